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
}
