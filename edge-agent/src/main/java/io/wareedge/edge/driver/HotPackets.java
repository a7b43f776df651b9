package io.wareedge.edge.driver;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * MQTT 5 PUBLISH and PUBACK, the packets of every message, read and written by hand; {@link MqttLink} leaves the
 * others to Paho's codec. Paho decodes a PUBLISH through three {@code DataInputStream}s (each with its own buffers)
 * and a property set, and encodes one through two output streams: in the agent that was a third of all it allocated
 * per induction (JFR, docs/benchmarks.md). Here a message costs its topic string and a copy of its payload.
 *
 * <p>Not thread-safe (a cached UTF-8 decoder): one instance per reader thread.
 */
final class HotPackets {
    static final int PUBLISH = 3;
    static final int PUBACK = 4;

    /** A PUBLISH as the listener needs it. */
    record Publish(String topic, byte[] payload, int qos, int packetId, boolean duplicate) {
    }

    /** A packet the broker should not have sent; {@code reason} completes "the broker sent ...". */
    static final class Malformed extends Exception {
        Malformed(String reason) {
            super(reason);
        }
    }

    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();

    static int type(byte[] packet) {
        return (packet[0] & 0xff) >> 4;
    }

    /** Where the variable header starts: after the type byte and the remaining length. */
    private static int bodyStart(byte[] packet) {
        int pos = 1;
        while ((packet[pos++] & 0x80) != 0) {
            // the reader has checked the remaining length is at most 4 bytes
        }
        return pos;
    }

    Publish readPublish(byte[] packet) throws Malformed {
        int flags = packet[0] & 0x0f;
        int qos = flags >> 1 & 0x03;
        if (qos == 3) {
            throw new Malformed("a message with QoS 3, which does not exist");
        }
        int pos = bodyStart(packet);
        if (pos + 2 > packet.length) {
            throw new Malformed("a malformed packet (a message too short for its topic length)");
        }
        int topicLength = u16(packet, pos);
        pos += 2;
        if (pos + topicLength > packet.length) {
            throw new Malformed("a malformed packet (a topic of " + topicLength + " bytes that runs past the message)");
        }
        if (topicLength == 0) {
            throw new Malformed("a message without a topic name (no topic alias was allowed)");
        }
        String topic = topic(packet, pos, topicLength);
        pos += topicLength;
        int packetId = 0;
        if (qos > 0) {
            if (pos + 2 > packet.length) {
                throw new Malformed("a malformed packet (a QoS " + qos + " message without a packet id)");
            }
            packetId = u16(packet, pos);
            pos += 2;
            if (packetId == 0) {
                throw new Malformed("a malformed packet (packet id 0)");
            }
        }
        // Properties: none of them matters to a device reading; skip them whole.
        int length = 0;
        int multiplier = 1;
        int b;
        int lengthBytes = 0;
        do {
            if (pos >= packet.length || ++lengthBytes > 4) {
                throw new Malformed("a malformed packet (a bad property length)");
            }
            b = packet[pos++] & 0xff;
            length += (b & 0x7f) * multiplier;
            multiplier *= 128;
        } while ((b & 0x80) != 0);
        if (pos + length > packet.length) {
            throw new Malformed("a malformed packet (properties that run past the message)");
        }
        pos += length;
        return new Publish(topic, Arrays.copyOfRange(packet, pos, packet.length), qos, packetId, (flags & 0x08) != 0);
    }

    private String topic(byte[] packet, int from, int length) throws Malformed {
        boolean ascii = true;
        for (int i = from; i < from + length; i++) {
            byte c = packet[i];
            if (c == '+' || c == '#') {
                throw new Malformed("a message on a topic with a wildcard");
            }
            if (c == 0) {
                throw new Malformed("a malformed packet (U+0000 in a topic)");
            }
            ascii &= c >= 0;
        }
        if (ascii) {
            return new String(packet, from, length, StandardCharsets.US_ASCII);
        }
        try {
            return utf8.decode(ByteBuffer.wrap(packet, from, length)).toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("a malformed packet (a topic that is not UTF-8)");
        }
    }

    /** The packet id of a PUBACK and its reason code (0 when omitted, as MQTT 5 allows for success). */
    static int[] readPubAck(byte[] packet) throws Malformed {
        int pos = bodyStart(packet);
        if (pos + 2 > packet.length) {
            throw new Malformed("a malformed packet (a PUBACK without a packet id)");
        }
        int reason = pos + 2 < packet.length ? packet[pos + 2] & 0xff : 0;
        return new int[]{u16(packet, pos), reason};
    }

    /** A PUBLISH without properties; {@code packetId} only for QoS 1. */
    static byte[] publish(String topic, byte[] payload, int qos, int packetId) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        int remaining = 2 + name.length + (qos > 0 ? 2 : 0) + 1 + payload.length;
        byte[] packet = new byte[1 + varIntSize(remaining) + remaining];
        packet[0] = (byte) (PUBLISH << 4 | qos << 1);
        int pos = writeVarInt(packet, 1, remaining);
        packet[pos++] = (byte) (name.length >> 8);
        packet[pos++] = (byte) name.length;
        System.arraycopy(name, 0, packet, pos, name.length);
        pos += name.length;
        if (qos > 0) {
            packet[pos++] = (byte) (packetId >> 8);
            packet[pos++] = (byte) packetId;
        }
        packet[pos++] = 0;
        System.arraycopy(payload, 0, packet, pos, payload.length);
        return packet;
    }

    /** PUBACK with success: MQTT 5 lets it end after the packet id. */
    static void pubAck(byte[] into, int packetId) {
        into[0] = (byte) (PUBACK << 4);
        into[1] = 2;
        into[2] = (byte) (packetId >> 8);
        into[3] = (byte) packetId;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    private static int varIntSize(int value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    private static int writeVarInt(byte[] into, int at, int value) {
        int pos = at;
        do {
            int digit = value % 128;
            value /= 128;
            into[pos++] = (byte) (value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
        return pos;
    }
}
