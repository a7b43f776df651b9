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
    private int length;
    private int count;

    /** Encodes one metric, with its properties, after those added before. */
    public void add(Metric metric) {
        int propertiesSize = PayloadCodec.propertiesSize(metric);
        int metricSize = PayloadCodec.metricSize(metric, propertiesSize);
        CodedOutputStream out = field(metricSize);
        try {
            PayloadCodec.writeMetric(out, metric, propertiesSize);
        } catch (IOException e) {
            throw new UncheckedIOException("sizing a Sparkplug metric went wrong", e);
        }
        close(out, metricSize);
    }

    /**
     * Encodes one reading: the metric (its own properties are not written) with the properties {@code readingId}
     * and, when {@code quality >= 0}, {@code Quality}, both INT64. The hot path of an edge node: no property map.
     */
    public void addReading(Metric metric, long readingId, long quality) {
        int propertiesSize = PayloadCodec.readingPropertiesSize(readingId, quality);
        int metricSize = PayloadCodec.metricSize(metric, propertiesSize);
        CodedOutputStream out = field(metricSize);
        try {
            PayloadCodec.writeReadingMetric(out, metric, propertiesSize, readingId, quality);
        } catch (IOException e) {
            throw new UncheckedIOException("sizing a Sparkplug metric went wrong", e);
        }
        close(out, metricSize);
    }

    /** Room for one metrics field of the payload, its tag and length already written. */
    private CodedOutputStream field(int metricSize) {
        int fieldSize = fieldSize(metricSize);
        if (length + fieldSize > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + fieldSize));
        }
        CodedOutputStream out = CodedOutputStream.newInstance(bytes, length, fieldSize);
        try {
            out.writeTag(PayloadCodec.P_METRICS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(metricSize);
        } catch (IOException e) {
            throw new UncheckedIOException("sizing a Sparkplug metric went wrong", e);
        }
        return out;
    }

    private void close(CodedOutputStream out, int metricSize) {
        out.checkNoSpaceLeft();
        length += fieldSize(metricSize);
        count++;
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
