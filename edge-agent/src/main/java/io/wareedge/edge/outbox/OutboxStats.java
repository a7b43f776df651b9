package io.wareedge.edge.outbox;

/**
 * A snapshot of the outbox's counters.
 *
 * @param pending  records appended but not yet acknowledged upstream
 * @param bytes    bytes on disk
 * @param appended records appended since this process opened the outbox
 * @param dropped  undelivered records deleted to stay within the bound (policy DROP_OLDEST)
 * @param rejected records refused because the outbox was full (policy REJECT_NEW)
 * @param acked    highest acknowledged seq
 */
public record OutboxStats(long pending, long bytes, long appended, long dropped, long rejected, long acked) {
}
