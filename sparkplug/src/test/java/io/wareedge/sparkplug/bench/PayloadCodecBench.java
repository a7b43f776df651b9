package io.wareedge.sparkplug.bench;

import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.InvalidPayloadException;
import io.wareedge.sparkplug.Metric;
import io.wareedge.sparkplug.Payload;
import io.wareedge.sparkplug.PayloadCodec;
import org.eclipse.tahu.protobuf.SparkplugBProto;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent's DDATA of one telemetry sample (4 double metrics, each with its readingId property), encoded and decoded
 * by {@link PayloadCodec} and, as the baseline in the same run, by Tahu's generated classes (builders to bytes; bytes
 * to messages to {@link Metric}s, which is what the codec did before it read the wire itself). How to run:
 * docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PayloadCodecBench {

    private Payload payload;
    private byte[] bytes;

    @Setup
    public void setUp() {
        long t = 1_700_000_000_000L;
        List<Metric> metrics = new ArrayList<>();
        String[] names = {"speed", "current", "temp", "items"};
        for (int i = 0; i < names.length; i++) {
            metrics.add(new Metric(names[i], 0, t, DataType.DOUBLE, 1.5 * i, false,
                    Map.of(Metric.READING_ID, 1_700_000_000_000_000L + i)));
        }
        payload = new Payload(t, 17, metrics);
        bytes = PayloadCodec.encode(payload);
    }

    @Benchmark
    public byte[] encode() {
        return PayloadCodec.encode(payload);
    }

    @Benchmark
    public byte[] encodeWithGeneratedClasses() {
        SparkplugBProto.Payload.Builder b = SparkplugBProto.Payload.newBuilder()
                .setTimestamp(payload.timestamp()).setSeq(payload.seq());
        for (Metric m : payload.metrics()) {
            SparkplugBProto.Payload.PropertySet.Builder ps = SparkplugBProto.Payload.PropertySet.newBuilder();
            m.properties().forEach((k, v) -> {
                ps.addKeys(k);
                ps.addValues(SparkplugBProto.Payload.PropertyValue.newBuilder().setType(DataType.INT64.code())
                        .setLongValue((Long) v));
            });
            b.addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName(m.name()).setTimestamp(m.timestamp())
                    .setDatatype(m.type().code()).setProperties(ps).setDoubleValue((Double) m.value()));
        }
        return b.build().toByteArray();
    }

    @Benchmark
    public Payload decode() throws InvalidPayloadException {
        return PayloadCodec.decode(bytes);
    }

    @Benchmark
    public Payload decodeWithGeneratedClasses() throws Exception {
        SparkplugBProto.Payload p = SparkplugBProto.Payload.parseFrom(bytes);
        List<Metric> metrics = new ArrayList<>(p.getMetricsCount());
        for (SparkplugBProto.Payload.Metric m : p.getMetricsList()) {
            Map<String, Object> props = new LinkedHashMap<>();
            SparkplugBProto.Payload.PropertySet ps = m.getProperties();
            for (int i = 0; i < ps.getKeysCount(); i++) {
                props.put(ps.getKeys(i), ps.getValues(i).getLongValue());
            }
            metrics.add(new Metric(m.getName(), m.getAlias(), m.getTimestamp(), DataType.fromCode(m.getDatatype()),
                    m.getDoubleValue(), m.getIsHistorical(), props));
        }
        return new Payload(p.getTimestamp(), p.getSeq(), metrics);
    }
}
