package io.wareedge.sparkplug;

import org.eclipse.tahu.protobuf.SparkplugBProto;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadCodecTest {

    @Test
    void roundTripsEveryScalarTypeWithProperties() throws Exception {
        List<Metric> metrics = List.of(
                Metric.of("i8", 1, DataType.INT8, -5L),
                Metric.of("i16", 2, DataType.INT16, -300L),
                Metric.of("i32", 3, DataType.INT32, -70000L),
                Metric.of("u32", 4, DataType.UINT32, 4_000_000_000L),
                Metric.of("i64", 5, DataType.INT64, Long.MIN_VALUE),
                Metric.of("f", 6, DataType.FLOAT, 1.5),
                Metric.of("d", 7, DataType.DOUBLE, 21.375),
                Metric.of("b", 8, DataType.BOOLEAN, true),
                Metric.of("s", 9, DataType.STRING, "E28011606000020912345678"),
                Metric.of("n", 10, DataType.DOUBLE, null),
                Metric.of("t", 11, DataType.DOUBLE, 1.0).asHistorical()
                        .withProperties(Map.of(Metric.READING_ID, 42L, Metric.QUALITY, 192L, Metric.ENG_UNIT, "degC")));
        Payload decoded = PayloadCodec.decode(PayloadCodec.encode(new Payload(1000, 7, metrics)));

        assertThat(decoded.timestamp()).isEqualTo(1000);
        assertThat(decoded.seq()).isEqualTo(7);
        assertThat(decoded.metrics()).extracting(Metric::value)
                .containsExactly(-5L, -300L, -70000L, 4_000_000_000L, Long.MIN_VALUE, 1.5, 21.375, true,
                        "E28011606000020912345678", null, 1.0);
        Metric t = decoded.metric("t");
        assertThat(t.historical()).isTrue();
        assertThat(t.readingId()).isEqualTo(42L);
        assertThat(t.quality()).isEqualTo(192);
        assertThat(t.properties()).containsEntry(Metric.ENG_UNIT, "degC");
        assertThat(decoded.metric("i8").readingId()).isEqualTo(-1);
    }

    @Test
    void payloadWithoutSeqDecodesAsMinusOne() throws Exception {
        Payload decoded = PayloadCodec.decode(PayloadCodec.encode(new Payload(5, -1, List.of())));
        assertThat(decoded.seq()).isEqualTo(-1);
    }

    @Test
    void garbageIsRejectedWithReason() {
        assertThatThrownBy(() -> PayloadCodec.decode("{\"not\":\"protobuf\"}".getBytes()))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("not a Sparkplug B payload");
    }

    @Test
    void metricWhoseValueDoesNotMatchItsTypeIsRejected() {
        byte[] bytes = SparkplugBProto.Payload.newBuilder().setTimestamp(1).setSeq(0)
                .addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("x")
                        .setDatatype(DataType.DOUBLE.code()).setStringValue("oops"))
                .build().toByteArray();
        assertThatThrownBy(() -> PayloadCodec.decode(bytes))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("metric x declares DOUBLE");
    }

    @Test
    void complexTypesFromForeignNodesDecodeWithoutValue() throws Exception {
        byte[] bytes = SparkplugBProto.Payload.newBuilder().setTimestamp(1).setSeq(0)
                .addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("ds").setDatatype(16)
                        .setDatasetValue(SparkplugBProto.Payload.DataSet.newBuilder().setNumOfColumns(0)))
                .build().toByteArray();
        Metric ds = PayloadCodec.decode(bytes).metric("ds");
        assertThat(ds.type()).isEqualTo(DataType.UNSUPPORTED);
        assertThat(ds.value()).isNull();
    }
}
