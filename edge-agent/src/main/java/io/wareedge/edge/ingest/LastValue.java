package io.wareedge.edge.ingest;

/**
 * The latest value of one metric, with the identity of the reading that carried it: a birth repeats it with the
 * same reading id and timestamp, so the host sees the same reading, not a new one.
 */
public record LastValue(Object value, long timestampMillis, long readingId) {
}
