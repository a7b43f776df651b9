package io.wareedge.edge.outbox;

/** What the outbox does when it holds its configured maximum on disk. */
public enum OutboxFullPolicy {
    /** Delete the oldest segment, unsent or not, and count the records lost: the newest data matters most. */
    DROP_OLDEST,
    /** Refuse new records and count them: what is already queued is kept whole. */
    REJECT_NEW
}
