package io.wareedge.server.persistence;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + rows.size() * 160);
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.write(SIGNATURE);
            out.writeInt(0); // flags
            out.writeInt(0); // header extension length
            for (Row row : rows) {
                writeRow(out, row);
            }
            out.writeShort(-1);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static void writeRow(DataOutputStream out, Row row) throws IOException {
        List<Entry> entries = row.entries;
        out.writeShort(FIELDS);
        out.writeInt(8);
        out.writeLong(row.key.device());
        out.writeInt(8);
        out.writeLong((row.key.timestampMillis() - POSTGRES_EPOCH_MILLIS) * 1000);
        out.writeInt(8);
        out.writeLong(row.key.readingId());
        writeArray(out, entries, INT8, e -> e.metricId());
        writeArray(out, entries, FLOAT8, e -> e.value() instanceof Double ? e.value() : null);
        writeArray(out, entries, INT8, e -> e.value() instanceof Long ? e.value() : null);
        writeArray(out, entries, BOOL, e -> e.value() instanceof Boolean ? e.value() : null);
        writeArray(out, entries, TEXT, e -> e.value() instanceof String ? e.value() : null);
        writeArray(out, entries, BYTEA, e -> e.value() instanceof byte[] ? e.value() : null);
        boolean allGood = true;
        for (Entry e : entries) {
            allGood &= e.quality() == GOOD;
        }
        writeArray(out, entries, INT4, allGood ? e -> null : e -> e.quality());
        out.writeInt(1);
        out.writeBoolean(row.historical);
    }

    private interface Element {
        Object of(Entry entry);
    }

    /** A one-dimensional array of the entries' elements; NULL as a whole when every element is null. */
    private static void writeArray(DataOutputStream out, List<Entry> entries, int elementType, Element element)
            throws IOException {
        int nulls = 0;
        int dataBytes = 0;
        for (Entry e : entries) {
            Object v = element.of(e);
            if (v == null) {
                nulls++;
            } else {
                dataBytes += size(v);
            }
        }
        if (nulls == entries.size()) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(20 + 4 * entries.size() + dataBytes);
        out.writeInt(1); // dimensions
        out.writeInt(nulls > 0 ? 1 : 0);
        out.writeInt(elementType);
        out.writeInt(entries.size());
        out.writeInt(1); // lower bound
        for (Entry e : entries) {
            Object v = element.of(e);
            if (v == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(size(v));
                write(out, v);
            }
        }
    }

    private static int size(Object v) {
        if (v instanceof Long || v instanceof Double) {
            return 8;
        }
        if (v instanceof Integer) {
            return 4;
        }
        if (v instanceof Boolean) {
            return 1;
        }
        if (v instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
        return ((byte[]) v).length;
    }

    private static void write(DataOutputStream out, Object v) throws IOException {
        if (v instanceof Long l) {
            out.writeLong(l);
        } else if (v instanceof Double d) {
            out.writeDouble(d);
        } else if (v instanceof Integer i) {
            out.writeInt(i);
        } else if (v instanceof Boolean b) {
            out.writeBoolean(b);
        } else if (v instanceof String s) {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        } else {
            out.write((byte[]) v);
        }
    }
}
