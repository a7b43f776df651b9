package io.wareedge.edge.outbox;

import io.wareedge.edge.normalize.Quality;
import io.wareedge.edge.normalize.Reading;
import io.wareedge.edge.normalize.Sample;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Binary form of {@link OutboundMessage}s in the outbox: compact, versioned by its first byte. */
public final class OutboundCodec {

    private static final byte SAMPLE = 1;
    private static final byte DEAD_LETTER = 2;
    private static final byte DEVICE_STATE = 3;
    private static final byte EVENT = 4;

    private static final byte NULL = 0;
    private static final byte BOOL = 1;
    private static final byte LONG = 2;
    private static final byte DOUBLE = 3;
    private static final byte STRING = 4;

    private static final Quality[] QUALITIES = Quality.values();

    private OutboundCodec() {
    }

    public static byte[] encode(OutboundMessage message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (message instanceof OutboundMessage.SampleMessage s) {
                Sample sample = s.sample();
                out.writeByte(SAMPLE);
                out.writeUTF(sample.device());
                out.writeLong(sample.timestampMillis());
                out.writeShort(sample.readings().size());
                for (Reading r : sample.readings()) {
                    out.writeUTF(r.metric());
                    out.writeByte(r.quality().ordinal());
                    Object v = r.value();
                    if (v == null) {
                        out.writeByte(NULL);
                    } else if (v instanceof Boolean b) {
                        out.writeByte(BOOL);
                        out.writeBoolean(b);
                    } else if (v instanceof Long l) {
                        out.writeByte(LONG);
                        out.writeLong(l);
                    } else if (v instanceof Double d) {
                        out.writeByte(DOUBLE);
                        out.writeDouble(d);
                    } else {
                        out.writeByte(STRING);
                        out.writeUTF((String) v);
                    }
                }
            } else if (message instanceof OutboundMessage.DeadLetter d) {
                out.writeByte(DEAD_LETTER);
                out.writeUTF(d.device());
                out.writeUTF(d.topic());
                out.writeUTF(d.kind());
                out.writeUTF(truncate(d.detail()));
                out.writeLong(d.receivedAtMillis());
                out.writeInt(d.payload().length);
                out.write(d.payload());
            } else if (message instanceof OutboundMessage.DeviceState st) {
                out.writeByte(DEVICE_STATE);
                out.writeUTF(st.device());
                out.writeBoolean(st.online());
                out.writeLong(st.atMillis());
                out.writeUTF(truncate(st.reason()));
            } else if (message instanceof OutboundMessage.Event ev) {
                out.writeByte(EVENT);
                out.writeUTF(ev.kind());
                out.writeInt(ev.json().length);
                out.write(ev.json());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static OutboundMessage decode(byte[] body) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body))) {
            byte kind = in.readByte();
            switch (kind) {
                case SAMPLE -> {
                    String device = in.readUTF();
                    long ts = in.readLong();
                    int n = in.readUnsignedShort();
                    List<Reading> readings = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        String metric = in.readUTF();
                        Quality q = QUALITIES[in.readByte()];
                        byte tag = in.readByte();
                        Object v = switch (tag) {
                            case NULL -> null;
                            case BOOL -> in.readBoolean();
                            case LONG -> in.readLong();
                            case DOUBLE -> in.readDouble();
                            case STRING -> in.readUTF();
                            default -> throw new IOException("unknown value tag " + tag);
                        };
                        readings.add(new Reading(metric, v, q));
                    }
                    return new OutboundMessage.SampleMessage(new Sample(device, ts, readings));
                }
                case DEAD_LETTER -> {
                    String device = in.readUTF();
                    String topic = in.readUTF();
                    String k = in.readUTF();
                    String detail = in.readUTF();
                    long at = in.readLong();
                    byte[] payload = new byte[in.readInt()];
                    in.readFully(payload);
                    return new OutboundMessage.DeadLetter(device, topic, k, detail, at, payload);
                }
                case DEVICE_STATE -> {
                    return new OutboundMessage.DeviceState(in.readUTF(), in.readBoolean(), in.readLong(), in.readUTF());
                }
                case EVENT -> {
                    String k = in.readUTF();
                    byte[] json = new byte[in.readInt()];
                    in.readFully(json);
                    return new OutboundMessage.Event(k, json);
                }
                default -> throw new IOException("unknown outbox record kind " + kind);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt outbox record: " + e.getMessage(), e);
        }
    }

    private static String truncate(String s) {
        // writeUTF takes at most 65535 bytes; details are for people, a few hundred characters do.
        return s == null ? "" : s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }
}
