package io.wareedge.sim.faults;

import java.time.Duration;
import java.util.Set;

/** A simulated device the injector can hurt, and how. Implementations are called under the injector's lock. */
interface FaultTarget {

    String device();

    /** The kinds of fault that make sense for this device. */
    Set<FaultKind> kinds();

    /**
     * Starts a fault of one of {@link #kinds()} on the simulated device.
     *
     * @param duration how long it is meant to last (the injector ends it; a target may pass it on to the device)
     * @return what ends the fault
     */
    Runnable start(FaultKind kind, Duration duration);

    /**
     * How long a fault of this kind must last before the device's profile can raise its alarm for it (the alarm's
     * hold time, or the time before silence counts as offline); zero when the alarm raises at once or is not known.
     */
    default Duration noticedAfter(FaultKind kind) {
        return Duration.ZERO;
    }
}
