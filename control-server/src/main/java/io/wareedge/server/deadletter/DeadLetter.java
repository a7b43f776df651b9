package io.wareedge.server.deadletter;

/**
 * Input that could not be used, kept with its raw bytes so it can be examined and replayed.
 *
 * @param receivedAt epoch milliseconds
 * @param source     {@link #SERVER} when this server rejected it, else the edge node ({@code group/node}) that did
 * @param sourceId   the edge node's own id of the dead letter (dedupes re-forwarded ones), null for the server's
 * @param device     the device the bytes came from, when known
 * @param topic      the MQTT topic the bytes arrived on
 * @param kind       what was wrong, a short upper-case code (NOT_SPARKPLUG_PAYLOAD, OVERSIZED, ...)
 */
public record DeadLetter(long receivedAt, String source, Long sourceId, String device, String topic, String kind,
                         String detail, byte[] payload) {

    public static final String SERVER = "server";

    public static DeadLetter server(long receivedAt, String topic, String kind, String detail, byte[] payload) {
        return new DeadLetter(receivedAt, SERVER, null, null, topic, kind, detail, payload);
    }
}
