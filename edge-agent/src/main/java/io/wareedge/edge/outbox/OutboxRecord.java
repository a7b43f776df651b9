package io.wareedge.edge.outbox;

/**
 * One record in the outbox as the uplink reads it back.
 *
 * @param seq         position in the outbox; unique and increasing for the life of the outbox directory, and used
 *                    upstream as the identity of what it carries
 * @param fingerprint hash of the device message the record came from (0 when none), so a redelivered message can
 *                    be recognised after a crash
 * @param body        the encoded content (see {@link OutboundCodec})
 */
public record OutboxRecord(long seq, long fingerprint, byte[] body) {
}
