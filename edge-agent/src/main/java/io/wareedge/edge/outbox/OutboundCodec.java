package io.wareedge.edge.outbox;

import io.wareedge.edge.normalize.Quality;
import io.wareedge.edge.normalize.Reading;
import io.wareedge.edge.normalize.Sample;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Binary form of {@link OutboundMessage}s in the outbox: compact, versioned by its first byte.
 *
 * <p>The layout is that of {@link DataOutputStream} (big-endian numbers, strings as {@code writeUTF}), which earlier
 * versions used, so an outbox written before an upgrade still reads. Every sample is encoded once and decoded once
 * on a gateway, so both work on a plain byte array: ASCII strings, the usual case, are copied byte for byte, and only
 * other text goes through the JDK's modified UTF-8.
 */
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

    private static final int MAX_KNOWN_NAME = 64;
    /**
     * Names decoded lately, by a hash of their bytes; a collision replaces the entry. Entries are immutable, so a
     * thread that reads a slot while another replaces it sees either entry whole.
     */
    private static final KnownName[] NAMES = new KnownName[2048];

    private record KnownName(byte[] bytes, String name) {
    }

    private OutboundCodec() {
    }

    public static byte[] encode(OutboundMessage message) {
        Writer out = new Writer();
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
                    out.writeByte(b ? 1 : 0);
                } else if (v instanceof Long l) {
                    out.writeByte(LONG);
                    out.writeLong(l);
                } else if (v instanceof Double d) {
                    out.writeByte(DOUBLE);
                    out.writeLong(Double.doubleToLongBits(d));
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
            out.writeBytes(d.payload());
        } else if (message instanceof OutboundMessage.DeviceState st) {
            out.writeByte(DEVICE_STATE);
            out.writeUTF(st.device());
            out.writeByte(st.online() ? 1 : 0);
            out.writeLong(st.atMillis());
            out.writeUTF(truncate(st.reason()));
        } else if (message instanceof OutboundMessage.Event ev) {
            out.writeByte(EVENT);
            out.writeUTF(ev.kind());
            out.writeBytes(ev.json());
        }
        return out.toByteArray();
    }

    /** Whether the record holds a {@link OutboundMessage.SampleMessage}, without decoding it. */
    public static boolean isSample(byte[] body) {
        return body.length > 0 && body[0] == SAMPLE;
    }

    public static OutboundMessage decode(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            byte kind = in.get();
            switch (kind) {
                case SAMPLE -> {
                    String device = readName(in);
                    long ts = in.getLong();
                    int n = Short.toUnsignedInt(in.getShort());
                    List<Reading> readings = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        String metric = readName(in);
                        Quality q = QUALITIES[in.get()];
                        byte tag = in.get();
                        Object v = switch (tag) {
                            case NULL -> null;
                            case BOOL -> in.get() != 0;
                            case LONG -> in.getLong();
                            case DOUBLE -> in.getDouble();
                            case STRING -> readUTF(in);
                            default -> throw new IOException("unknown value tag " + tag);
                        };
                        readings.add(new Reading(metric, v, q));
                    }
                    return new OutboundMessage.SampleMessage(new Sample(device, ts, readings));
                }
                case DEAD_LETTER -> {
                    String device = readUTF(in);
                    String topic = readUTF(in);
                    String k = readUTF(in);
                    String detail = readUTF(in);
                    long at = in.getLong();
                    return new OutboundMessage.DeadLetter(device, topic, k, detail, at, readBytes(in));
                }
                case DEVICE_STATE -> {
                    return new OutboundMessage.DeviceState(readUTF(in), in.get() != 0, in.getLong(), readUTF(in));
                }
                case EVENT -> {
                    String k = readUTF(in);
                    return new OutboundMessage.Event(k, readBytes(in));
                }
                default -> throw new IOException("unknown outbox record kind " + kind);
            }
        } catch (IOException | BufferUnderflowException | ArrayIndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("corrupt outbox record: " + e, e);
        }
    }

    /**
     * A device or metric name. The same few names come back in every sample record, so an ASCII name is looked up
     * by its bytes in {@link #NAMES} and the String decoded before is returned: no copy, and its hash is already
     * known to the maps the uplink looks it up in.
     */
    private static String readName(ByteBuffer in) throws IOException {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new IOException("string of " + length + " bytes runs past the record");
        }
        byte[] array = in.array();
        int start = in.arrayOffset() + in.position();
        int hash = 0;
        for (int i = start; i < start + length; i++) {
            byte b = array[i];
            if (b <= 0) {
                return readUTF(in, length); // not plain ASCII: not kept
            }
            hash = 31 * hash + b;
        }
        in.position(in.position() + length);
        int slot = (hash ^ (hash >>> 16)) & (NAMES.length - 1);
        KnownName known = NAMES[slot];
        if (known != null && Arrays.equals(known.bytes, 0, known.bytes.length, array, start, start + length)) {
            return known.name;
        }
        String name = new String(array, start, length, StandardCharsets.ISO_8859_1);
        if (length <= MAX_KNOWN_NAME) {
            NAMES[slot] = new KnownName(Arrays.copyOfRange(array, start, start + length), name);
        }
        return name;
    }

    private static String readUTF(ByteBuffer in) throws IOException {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new IOException("string of " + length + " bytes runs past the record");
        }
        return readUTF(in, length);
    }

    /** {@code length} bytes of a string at the buffer's position, whose length prefix was read already. */
    private static String readUTF(ByteBuffer in, int length) throws IOException {
        byte[] array = in.array();
        int start = in.arrayOffset() + in.position();
        in.position(in.position() + length);
        for (int i = start; i < start + length; i++) {
            if (array[i] < 0 || array[i] == 0) {
                // Not plain ASCII: modified UTF-8, as DataOutputStream wrote it.
                byte[] framed = new byte[length + 2];
                framed[0] = (byte) (length >>> 8);
                framed[1] = (byte) length;
                System.arraycopy(array, start, framed, 2, length);
                return new DataInputStream(new ByteArrayInputStream(framed)).readUTF();
            }
        }
        return new String(array, start, length, StandardCharsets.ISO_8859_1);
    }

    private static byte[] readBytes(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return bytes;
    }

    private static String truncate(String s) {
        // writeUTF takes at most 65535 bytes; details are for people, a few hundred characters do.
        return s == null ? "" : s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }

    /** A growable big-endian byte array writer; strings in {@code writeUTF} form. */
    private static final class Writer {
        private byte[] bytes = new byte[128];
        private int size;

        void writeByte(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        void writeShort(int v) {
            ensure(2);
            bytes[size++] = (byte) (v >>> 8);
            bytes[size++] = (byte) v;
        }

        void writeInt(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (v >>> shift);
            }
        }

        void writeLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (v >>> shift);
            }
        }

        void writeBytes(byte[] b) {
            writeInt(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        void writeUTF(String s) {
            int n = s.length();
            boolean ascii = n <= 65535;
            for (int i = 0; i < n && ascii; i++) {
                char c = s.charAt(i);
                ascii = c > 0 && c < 0x80;
            }
            if (ascii) {
                writeShort(n);
                ensure(n);
                s.getBytes(0, n, bytes, size); // deprecated for its loss of the high byte, which ASCII does not have
                size += n;
                return;
            }
            ByteArrayOutputStream framed = new ByteArrayOutputStream(n + 8);
            try (DataOutputStream out = new DataOutputStream(framed)) {
                out.writeUTF(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] b = framed.toByteArray();
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
