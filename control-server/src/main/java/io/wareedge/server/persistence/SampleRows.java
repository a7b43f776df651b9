package io.wareedge.server.persistence;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows of the readings table (V11): one per sample, that is the readings of one device at one timestamp with one
 * reading id, each reading a metric id, a value and a quality. Encodes rows for {@code COPY readings FROM STDIN
 * (FORMAT binary)}, which PostgreSQL takes without parsing text or planning a statement per batch.
 */
final class SampleRows {

    /** The readings table's key: a row's device, timestamp (epoch milliseconds) and reading id. */
    record Key(long device, long timestampMillis, long readingId) {
    }

    /** One reading of a row. */
    record Entry(long metricId, Object value, int quality) {
    }

    /** One row: its readings in the order they arrived, no metric twice. */
    static final class Row {
        final Key key;
        boolean historical;
        final List<Entry> entries = new ArrayList<>(4);

        Row(Key key, boolean historical) {
            this.key = key;
            this.historical = historical;
        }

        boolean has(long metricId) {
            for (Entry e : entries) {
                if (e.metricId() == metricId) {
                    return true;
                }
            }
            return false;
        }
    }

    static final String COPY = """
            COPY readings (device_id, ts, reading_id, metric_ids, value_double, value_long, value_bool, value_text,
                           value_bytes, quality, historical) FROM STDIN (FORMAT binary)""";

    static final int GOOD = 192;

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final short FIELDS = 11;
    /** PostgreSQL's binary timestamps count microseconds from 2000-01-01T00:00:00Z. */
    private static final long POSTGRES_EPOCH_MILLIS = 946_684_800_000L;
    private static final int INT8 = 20;
    private static final int FLOAT8 = 701;
    private static final int BOOL = 16;
    private static final int TEXT = 25;
    private static final int BYTEA = 17;
    private static final int INT4 = 23;

    private SampleRows() {
    }

    /** The rows in COPY's binary format, header and trailer included. */
    static byte[] copyBinary(List<Row> rows) {
        Out out = new Out(64 + rows.size() * 160);
        out.bytes(SIGNATURE);
        out.i32(0); // flags
        out.i32(0); // header extension length
        for (Row row : rows) {
            writeRow(out, row);
        }
        out.i16(-1);
        return out.toByteArray();
    }

    // Kinds of value, one typed column each.
    private static final int DOUBLE = 0;
    private static final int LONG = 1;
    private static final int BOOLEAN = 2;
    private static final int STRING = 3;
    private static final int BYTES = 4;
    private static final int OTHER = 5;

    private static int kind(Object v) {
        if (v instanceof Double) {
            return DOUBLE;
        } else if (v instanceof Long) {
            return LONG;
        } else if (v instanceof Boolean) {
            return BOOLEAN;
        } else if (v instanceof String) {
            return STRING;
        } else if (v instanceof byte[]) {
            return BYTES;
        }
        return OTHER;
    }

    private static void writeRow(Out out, Row row) {
        List<Entry> entries = row.entries;
        int n = entries.size();
        out.i16(FIELDS);
        out.i32(8);
        out.i64(row.key.device());
        out.i32(8);
        out.i64((row.key.timestampMillis() - POSTGRES_EPOCH_MILLIS) * 1000);
        out.i32(8);
        out.i64(row.key.readingId());
        // One pass to count each kind and its bytes: most rows hold one kind (numbers), the other columns are NULL.
        int[] count = new int[OTHER + 1];
        int[] dataBytes = new int[OTHER + 1];
        byte[][] utf8 = null;
        boolean allGood = true;
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            Object v = e.value();
            int kind = kind(v);
            count[kind]++;
            switch (kind) {
                case DOUBLE, LONG -> dataBytes[kind] += 8;
                case BOOLEAN -> dataBytes[kind] += 1;
                case STRING -> {
                    if (utf8 == null) {
                        utf8 = new byte[n][];
                    }
                    utf8[i] = ((String) v).getBytes(StandardCharsets.UTF_8);
                    dataBytes[kind] += utf8[i].length;
                }
                case BYTES -> dataBytes[kind] += ((byte[]) v).length;
                default -> { }
            }
            allGood &= e.quality() == GOOD;
        }
        arrayHeader(out, n, 0, INT8, 8 * n);
        for (Entry e : entries) {
            out.i32(8);
            out.i64(e.metricId());
        }
        column(out, entries, DOUBLE, FLOAT8, count, dataBytes, utf8);
        column(out, entries, LONG, INT8, count, dataBytes, utf8);
        column(out, entries, BOOLEAN, BOOL, count, dataBytes, utf8);
        column(out, entries, STRING, TEXT, count, dataBytes, utf8);
        column(out, entries, BYTES, BYTEA, count, dataBytes, utf8);
        if (allGood) {
            out.i32(-1); // a row of good readings keeps no quality array
        } else {
            arrayHeader(out, n, 0, INT4, 4 * n);
            for (Entry e : entries) {
                out.i32(4);
                out.i32(e.quality());
            }
        }
        out.i32(1);
        out.i8(row.historical ? 1 : 0);
    }

    /** One value column: an array with the entries of its kind and NULL elsewhere, or NULL when it has none. */
    private static void column(Out out, List<Entry> entries, int kind, int elementType, int[] count, int[] dataBytes,
                               byte[][] utf8) {
        int n = entries.size();
        if (count[kind] == 0) {
            out.i32(-1);
            return;
        }
        arrayHeader(out, n, n - count[kind], elementType, dataBytes[kind]);
        for (int i = 0; i < n; i++) {
            Object v = entries.get(i).value();
            if (kind(v) != kind) {
                out.i32(-1);
                continue;
            }
            switch (kind) {
                case DOUBLE -> {
                    out.i32(8);
                    out.i64(Double.doubleToLongBits((Double) v));
                }
                case LONG -> {
                    out.i32(8);
                    out.i64((Long) v);
                }
                case BOOLEAN -> {
                    out.i32(1);
                    out.i8((Boolean) v ? 1 : 0);
                }
                case STRING -> {
                    out.i32(utf8[i].length);
                    out.bytes(utf8[i]);
                }
                default -> {
                    out.i32(((byte[]) v).length);
                    out.bytes((byte[]) v);
                }
            }
        }
    }

    /** A one-dimensional array's length and header: its elements follow, each a length (-1: NULL) and bytes. */
    private static void arrayHeader(Out out, int elements, int nulls, int elementType, int dataBytes) {
        out.i32(20 + 4 * elements + dataBytes);
        out.i32(1); // dimensions
        out.i32(nulls > 0 ? 1 : 0);
        out.i32(elementType);
        out.i32(elements);
        out.i32(1); // lower bound
    }

    /** A growing big-endian buffer. */
    private static final class Out {
        private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
        private byte[] buf;
        private int pos;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        private void room(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        void i8(int v) {
            room(1);
            buf[pos++] = (byte) v;
        }

        void i16(int v) {
            room(2);
            buf[pos++] = (byte) (v >> 8);
            buf[pos++] = (byte) v;
        }

        void i32(int v) {
            room(4);
            INT.set(buf, pos, v);
            pos += 4;
        }

        void i64(long v) {
            room(8);
            LONG.set(buf, pos, v);
            pos += 8;
        }

        void bytes(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, pos);
        }
    }
}
