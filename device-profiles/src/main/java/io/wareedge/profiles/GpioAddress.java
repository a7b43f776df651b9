package io.wareedge.profiles;

import java.time.Duration;

/**
 * A GPIO pin carrying a BOOLEAN resource.
 *
 * @param pin       BCM pin number (0..27 on a Raspberry Pi header)
 * @param direction input or output
 * @param pull      pull resistor (inputs only; OFF for outputs)
 * @param debounce  how long an input level must hold before it counts (inputs only)
 * @param activeLow whether logical true is the low level (e.g. an e-stop contact pulled up, closing to ground)
 */
public record GpioAddress(int pin, Direction direction, Pull pull, Duration debounce, boolean activeLow) {
    public GpioAddress {
        if (pin < 0 || pin > 27) {
            throw new IllegalArgumentException("gpio pin " + pin + " is not a BCM header pin (0..27)");
        }
        Checks.notNull("gpio direction", direction);
        pull = pull == null ? Pull.OFF : pull;
        debounce = debounce == null ? Duration.ZERO : debounce;
        if (debounce.isNegative()) {
            throw new IllegalArgumentException("debounce must not be negative");
        }
        if (direction == Direction.OUTPUT && (pull != Pull.OFF || !debounce.isZero())) {
            throw new IllegalArgumentException("pull and debounce apply to inputs only; pin " + pin + " is an output");
        }
    }
}
