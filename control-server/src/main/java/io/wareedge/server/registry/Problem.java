package io.wareedge.server.registry;

/**
 * Part of an otherwise valid message that the registry could not use (for example a metric of a type this host
 * does not support). The ingest adapter turns it into a dead letter carrying the whole raw message.
 */
public record Problem(String kind, String detail) {
}
