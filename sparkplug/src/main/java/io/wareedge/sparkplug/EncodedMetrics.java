package io.wareedge.sparkplug;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The metrics of one payload, encoded as they are added; {@link #toPayload} frames them with the payload's timestamp
 * and seq. The bytes are those {@link PayloadCodec#encode} writes for the same metrics.
 *
 * <p>Why: an edge node that gathers a backlog into one message per device holds every metric of the batch until the
 * batch is published. As objects (a metric, its property map, boxed values) they outlive several young collections
 * and are promoted; as bytes they are a few dozen per metric in one array per message.
 *
 * <p>Not thread-safe: one publisher fills and frames it.
 */
public final class EncodedMetrics {
    /** Room for a typical sample (four readings with their ids) without growing. */
    private byte[] bytes = new byte[256];
    /**
     * One encoder over the free part of {@link #bytes}, replaced only when the array grows: an encoder per metric
     * was 3 % of an edge node's CPU under the quick JIT, which does not remove the allocation.
     */
    private CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    /** Where {@link #out} starts in {@link #bytes}. */
    private int outStart;
    private int count;

    /** Encodes one metric, with its properties, after those added before. */
    public void add(Metric metric) {
        int propertiesSize = PayloadCodec.propertiesSize(metric);
        int metricSize = PayloadCodec.metricSize(metric, propertiesSize);
        int end = field(metricSize);
        try {
            PayloadCodec.writeMetric(out, metric, propertiesSize);
        } catch (IOException e) {
            throw new UncheckedIOException("sizing a Sparkplug metric went wrong", e);
        }
        close(end);
    }

    /**
     * Encodes one reading: the metric (its own properties are not written) with the properties {@code readingId}
     * and, when {@code quality >= 0}, {@code Quality}, both INT64. The hot path of an edge node: no property map.
     */
    public void addReading(Metric metric, long readingId, long quality) {
        int propertiesSize = PayloadCodec.readingPropertiesSize(readingId, quality);
        int metricSize = PayloadCodec.metricSize(metric, propertiesSize);
        int end = field(metricSize);
        try {
            PayloadCodec.writeReadingMetric(out, metric, propertiesSize, readingId, quality);
        } catch (IOException e) {
            throw new UncheckedIOException("sizing a Sparkplug metric went wrong", e);
        }
        close(end);
    }

    /**
     * Makes room for one metrics field of the payload and writes its tag and length; returns where the field must
     * end.
     */
    private int field(int metricSize) {
        int fieldSize = fieldSize(metricSize);
        int length = length();
        if (out.spaceLeft() < fieldSize) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + fieldSize));
            out = CodedOutputStream.newInstance(bytes, length, bytes.length - length);
            outStart = length;
        }
        try {
            out.writeTag(PayloadCodec.P_METRICS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(metricSize);
        } catch (IOException e) {
            throw new UncheckedIOException("sizing a Sparkplug metric went wrong", e);
        }
        return length + fieldSize;
    }

    private void close(int end) {
        if (length() != end) {
            throw new IllegalStateException("a Sparkplug metric took " + (length() - end)
                    + " bytes more than its computed size");
        }
        count++;
    }

    private int length() {
        return outStart + out.getTotalBytesWritten();
    }

    private static int fieldSize(int metricSize) {
        return CodedOutputStream.computeTagSize(PayloadCodec.P_METRICS) + CodedOutputStream.computeUInt32SizeNoTag(metricSize)
                + metricSize;
    }

    /** How many metrics were added. */
    public int count() {
        return count;
    }

    /** The whole payload: timestamp, the metrics in the order added, and seq (left out when negative). */
    public byte[] toPayload(long timestamp, long seq) {
        int length = length();
        int size = CodedOutputStream.computeUInt64Size(PayloadCodec.P_TIMESTAMP, timestamp) + length
                + (seq >= 0 ? CodedOutputStream.computeUInt64Size(PayloadCodec.P_SEQ, seq) : 0);
        byte[] payload = new byte[size];
        CodedOutputStream out = CodedOutputStream.newInstance(payload);
        try {
            out.writeUInt64(PayloadCodec.P_TIMESTAMP, timestamp);
            out.writeRawBytes(bytes, 0, length);
            if (seq >= 0) {
                out.writeUInt64(PayloadCodec.P_SEQ, seq);
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("sizing a Sparkplug payload went wrong", e);
        }
        return payload;
    }
}
