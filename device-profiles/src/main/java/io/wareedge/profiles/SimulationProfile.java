package io.wareedge.profiles;

import java.time.Duration;

/**
 * How a simulator paces a device model.
 *
 * @param interval          time between messages
 * @param recordsPerMessage records per message for batch-shaped streams (1 otherwise)
 */
public record SimulationProfile(Duration interval, int recordsPerMessage) {
    public static final SimulationProfile DEFAULT = new SimulationProfile(Duration.ofSeconds(1), 1);

    public SimulationProfile {
        interval = interval == null ? Duration.ofSeconds(1) : interval;
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("simulation interval must be positive");
        }
        if (recordsPerMessage < 1) {
            throw new IllegalArgumentException("recordsPerMessage must be >= 1, got " + recordsPerMessage);
        }
    }
}
