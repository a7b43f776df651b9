package io.wareedge.server.ingest;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/**
 * Ingest counters since this server started.
 *
 * @param connected        connected to the broker with STATE online
 * @param duplicates       readings received again (replays, redeliveries) that changed nothing
 * @param seqGaps          sequence gaps, including data from nodes or devices not born in this host's view
 * @param staleDeaths      NDEATHs of earlier node sessions, ignored
 * @param redeliveries     messages repeating the previous seq (broker redelivery), processed idempotently
 * @param deadLetters      dead letters stored (server rejects and agents' forwarded ones)
 * @param rejectsByKind    dead letters by kind; the edge agents' own ones are prefixed {@code agent:}
 * @param queueDepth       messages waiting for the ingest thread
 * @param nodesOnline      edge nodes with a current session in this server's view
 */
@Serdeable
public record IngestHealth(boolean connected, String hostId, long messages, long batches, long readingsStored,
                           long duplicates, long seqGaps, long rebirthsRequested, long staleDeaths, long redeliveries,
                           long storeFailures, long deadLetters, Map<String, Long> rejectsByKind, int queueDepth,
                           int nodesOnline, long sortEventsStored, long sortEventDuplicates) {
}
