package io.wareedge.server.alerts;

import java.time.Instant;

/** What people do to alerts; carried out on the alert thread, one at a time, in the order they arrive. */
public sealed interface AlertCommand {

    String user();

    record Acknowledge(long alertId, String user, String comment) implements AlertCommand {
    }

    /** Hides the alert until {@code until}; the reason is required. */
    record Shelve(long alertId, String user, String reason, Instant until) implements AlertCommand {
    }

    record Unshelve(long alertId, String user) implements AlertCommand {
    }

    /** Closes the alert: the fault is dealt with. */
    record Resolve(long alertId, String user, String comment) implements AlertCommand {
    }

    record Comment(long alertId, String user, String comment) implements AlertCommand {
    }

    /** A device under maintenance: its conditions raise nothing until it is back in service. */
    record OutOfService(String source, String user, String reason) implements AlertCommand {
    }

    record ReturnToService(String source, String user) implements AlertCommand {
    }
}
