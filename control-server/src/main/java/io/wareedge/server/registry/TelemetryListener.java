package io.wareedge.server.registry;

/**
 * Told what each batch of edge traffic changed, right after the batch was stored and before its messages are
 * acknowledged. Called on the ingest store thread: an implementation must not change the change set, and may block
 * to make ingest wait when it cannot keep up, never drop.
 */
public interface TelemetryListener {

    void stored(ChangeSet changes) throws InterruptedException;
}
