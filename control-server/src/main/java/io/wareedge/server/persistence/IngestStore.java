package io.wareedge.server.persistence;

import io.wareedge.server.deadletter.DeadLetter;
import io.wareedge.server.registry.ChangeSet;

import java.sql.SQLException;
import java.util.List;

/**
 * Port through which the ingest store thread persists what one batch of messages changed. An implementation writes the
 * whole batch atomically and idempotently (writing the same batch twice changes nothing the second time), so the
 * caller may retry after a failure and acknowledges the messages to the broker only after a successful return.
 * Called from one thread only.
 */
public interface IngestStore {

    /** Writes the batch in one transaction. */
    WriteResult write(ChangeSet changes, List<DeadLetter> deadLetters) throws SQLException;

    /**
     * @param readingsInserted readings new to storage
     * @param duplicates       readings already stored (replays, redeliveries), which changed nothing
     * @param deadLettersInserted dead letters new to storage
     * @param sortEventsInserted  sort decisions and results new to storage
     */
    record WriteResult(int readingsInserted, int duplicates, int deadLettersInserted, int sortEventsInserted) {
    }
}
