package io.wareedge.sim.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One injected fault. While it is active {@code clearedAt} and {@code ending} are null.
 *
 * @param clearsAt when it clears by itself
 */
public record Fault(long id, String device, FaultKind kind, Instant startedAt, Instant clearsAt, Instant clearedAt,
                    Ending ending) {

    /** How a fault ended. */
    public enum Ending {
        /** Its duration ran out. */
        EXPIRED,
        /** Someone cleared it before that (the API or a caller of {@link FaultInjector#clear}). */
        CLEARED_ON_REQUEST,
        /** The injector was closed. */
        INJECTOR_CLOSED
    }

    public Fault {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(clearsAt, "clearsAt");
        if ((clearedAt == null) != (ending == null)) {
            throw new IllegalArgumentException("clearedAt and ending come together");
        }
    }

    public boolean active() {
        return clearedAt == null;
    }

    public Duration duration() {
        return Duration.between(startedAt, clearsAt);
    }

    Fault ended(Instant at, Ending how) {
        return new Fault(id, device, kind, startedAt, clearsAt, at, how);
    }
}
