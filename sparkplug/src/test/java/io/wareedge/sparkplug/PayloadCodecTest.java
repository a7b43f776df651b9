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
    void readingsAddedWithoutAPropertyMapEncodeAsMetricsWithThoseProperties() throws Exception {
        Metric speed = Metric.of("speed", 1_700_000_000_000L, DataType.DOUBLE, 1.25);
        Metric jam = Metric.of("jam", 1_700_000_000_001L, DataType.BOOLEAN, true).asHistorical();
        Map<String, Object> good = new java.util.LinkedHashMap<>();
        good.put(Metric.READING_ID, 7L);
        Map<String, Object> bad = new java.util.LinkedHashMap<>();
        bad.put(Metric.READING_ID, 300_000L);
        bad.put(Metric.QUALITY, (long) Metric.QUALITY_BAD);
        EncodedMetrics readings = new EncodedMetrics();
        for (int i = 0; i < 20; i++) { // past the first buffer's size
            readings.addReading(speed, 7, -1);
            readings.addReading(jam, 300_000, Metric.QUALITY_BAD);
        }
        List<Metric> withMaps = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            withMaps.add(speed.withProperties(good));
            withMaps.add(jam.withProperties(bad));
        }

        EncodedMetrics goodOnly = new EncodedMetrics();
        goodOnly.addReading(speed, 7, -1);

        byte[] bytes = readings.toPayload(99, 3);

        assertThat(readings.count()).isEqualTo(40);
        // a two-entry map's order varies from run to run, so with Quality the payloads are compared decoded
        assertThat(goodOnly.toPayload(99, 3))
                .isEqualTo(PayloadCodec.encode(new Payload(99, 3, List.of(speed.withProperties(good)))));
        Payload decoded = PayloadCodec.decode(bytes);
        assertThat(decoded).isEqualTo(PayloadCodec.decode(PayloadCodec.encode(new Payload(99, 3, withMaps))));
        assertThat(decoded.metrics().get(1).readingId()).isEqualTo(300_000L);
        assertThat(decoded.metrics().get(1).quality()).isEqualTo(Metric.QUALITY_BAD);
        assertThat(decoded.metrics().get(1).historical()).isTrue();
        assertThat(decoded.metrics().get(0).quality()).isEqualTo(Metric.QUALITY_GOOD);
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

    // ---- the same bytes as the spec's generated classes (Eclipse Tahu), both ways ----

    @Test
    void writesTheBytesTheGeneratedClassesWrite() {
        Payload ours = new Payload(1_700_000_000_123L, 200, List.of(
                new Metric("speed", 0, 1_700_000_000_100L, DataType.DOUBLE, 1.25, false, Map.of(Metric.READING_ID, 1_700_000_000_000_123L)),
                new Metric("count", 7, 5, DataType.UINT32, 4_000_000_000L, true, Map.of(Metric.QUALITY, 500L)),
                new Metric("level", 0, 0, DataType.INT8, -3L, false, Map.of(Metric.ENG_UNIT, "m")),
                new Metric("on", 0, 9, DataType.BOOLEAN, false, false, Map.of()),
                new Metric("t", 0, 9, DataType.FLOAT, 0.5, false, Map.of()),
                new Metric("big", 0, 9, DataType.INT64, -1L, false, Map.of()),
                new Metric("raw", 0, 9, DataType.BYTES, new byte[]{1, 2, 3}, false, Map.of()),
                new Metric("epc", 0, 9, DataType.STRING, "E280 ünïcode", false, Map.of()),
                new Metric("gone", 0, 9, DataType.DOUBLE, null, false, Map.of())));
        SparkplugBProto.Payload.Builder tahu = SparkplugBProto.Payload.newBuilder().setTimestamp(1_700_000_000_123L).setSeq(200);
        tahu.addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("speed").setTimestamp(1_700_000_000_100L)
                .setDatatype(10).setProperties(props(Metric.READING_ID, SparkplugBProto.Payload.PropertyValue.newBuilder()
                        .setType(4).setLongValue(1_700_000_000_000_123L))).setDoubleValue(1.25));
        tahu.addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("count").setAlias(7).setTimestamp(5)
                .setDatatype(7).setIsHistorical(true).setProperties(props(Metric.QUALITY, SparkplugBProto.Payload.PropertyValue
                        .newBuilder().setType(4).setLongValue(500))).setIntValue((int) 4_000_000_000L));
        tahu.addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("level").setDatatype(1)
                .setProperties(props(Metric.ENG_UNIT, SparkplugBProto.Payload.PropertyValue.newBuilder().setType(12)
                        .setStringValue("m"))).setIntValue(-3));
        tahu.addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("on").setTimestamp(9).setDatatype(11).setBooleanValue(false));
        tahu.addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("t").setTimestamp(9).setDatatype(9).setFloatValue(0.5f));
        tahu.addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("big").setTimestamp(9).setDatatype(4).setLongValue(-1L));
        tahu.addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("raw").setTimestamp(9).setDatatype(17)
                .setBytesValue(com.google.protobuf.ByteString.copyFrom(new byte[]{1, 2, 3})));
        tahu.addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("epc").setTimestamp(9).setDatatype(12).setStringValue("E280 ünïcode"));
        tahu.addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("gone").setTimestamp(9).setDatatype(10).setIsNull(true));

        assertThat(PayloadCodec.encode(ours)).isEqualTo(tahu.build().toByteArray());
    }

    @Test
    void readsWhatTheGeneratedClassesWriteIncludingFieldsItDoesNotUse() throws Exception {
        byte[] bytes = SparkplugBProto.Payload.newBuilder().setTimestamp(42).setUuid("u-1")
                .setBody(com.google.protobuf.ByteString.copyFromUtf8("body"))
                .addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("temp").setAlias(3).setTimestamp(41)
                        .setDatatype(9).setIsTransient(true)
                        .setMetadata(SparkplugBProto.Payload.MetaData.newBuilder().setContentType("x").setSize(3))
                        .setProperties(SparkplugBProto.Payload.PropertySet.newBuilder()
                                .addKeys(Metric.QUALITY).addValues(SparkplugBProto.Payload.PropertyValue.newBuilder().setType(3).setIntValue(192))
                                .addKeys("nested").addValues(SparkplugBProto.Payload.PropertyValue.newBuilder().setType(20)
                                        .setPropertysetValue(SparkplugBProto.Payload.PropertySet.newBuilder().addKeys("a")
                                                .addValues(SparkplugBProto.Payload.PropertyValue.newBuilder().setType(11).setBooleanValue(true))))
                                .addKeys("signed").addValues(SparkplugBProto.Payload.PropertyValue.newBuilder().setType(1).setIntValue(-2)))
                        .setFloatValue(21.5f))
                .addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("bad").setDatatype(3)
                        .setProperties(SparkplugBProto.Payload.PropertySet.newBuilder().addKeys("n")
                                .addValues(SparkplugBProto.Payload.PropertyValue.newBuilder().setType(3).setIsNull(true)))
                        .setIntValue(-7))
                .build().toByteArray();

        Payload p = PayloadCodec.decode(bytes);

        assertThat(p.timestamp()).isEqualTo(42);
        assertThat(p.seq()).isEqualTo(-1);
        Metric temp = p.metric("temp");
        assertThat(temp.alias()).isEqualTo(3);
        assertThat(temp.timestamp()).isEqualTo(41);
        assertThat(temp.type()).isEqualTo(DataType.FLOAT);
        assertThat(temp.value()).isEqualTo(21.5);
        assertThat(temp.quality()).isEqualTo(192);
        assertThat(temp.properties()).containsOnlyKeys(Metric.QUALITY, "signed").containsEntry("signed", -2L);
        Metric bad = p.metric("bad");
        assertThat(bad.value()).isEqualTo(-7L);
        assertThat(bad.properties()).isEmpty();
    }

    /** Names' bytes are kept for reuse; more names than the table has slots must still encode each as itself. */
    @Test
    void everyMetricNameEncodesAsItselfWhenManyShareTheTableOfKnownNames() throws Exception {
        for (int round = 0; round < 2; round++) {
            List<Metric> metrics = new java.util.ArrayList<>();
            EncodedMetrics encoded = new EncodedMetrics();
            for (int i = 0; i < 3_000; i++) {
                Metric m = Metric.of(i % 5 == 0 ? "température/" + i : "m" + i, 1, DataType.INT64, (long) i);
                metrics.add(m);
                encoded.addReading(m, i, -1);
            }
            List<Metric> decoded = PayloadCodec.decode(PayloadCodec.encode(new Payload(1, 0, metrics))).metrics();
            List<Metric> decodedReadings = PayloadCodec.decode(encoded.toPayload(1, 0)).metrics();
            for (int i = 0; i < metrics.size(); i++) {
                assertThat(decoded.get(i).name()).isEqualTo(metrics.get(i).name());
                assertThat(decodedReadings.get(i).name()).isEqualTo(metrics.get(i).name());
                assertThat(decodedReadings.get(i).readingId()).isEqualTo(i);
            }
        }
    }

    @Test
    void aNameDecodedAgainIsTheSameStringAndMalformedUtf8DecodesAsProtobufDoesIt() throws Exception {
        byte[] bytes = PayloadCodec.encode(new Payload(1, 0, List.of(Metric.of("speed", 1, DataType.DOUBLE, 1.0)
                .withProperties(Map.of(Metric.ENG_UNIT, "m/s")))));
        Metric first = PayloadCodec.decode(bytes).metrics().get(0);
        Metric again = PayloadCodec.decode(bytes.clone()).metrics().get(0);
        assertThat(again.name()).isSameAs(first.name()).isEqualTo("speed");
        assertThat(again.properties().keySet().iterator().next()).isSameAs(first.properties().keySet().iterator().next());

        byte[] malformed = SparkplugBProto.Payload.newBuilder().setTimestamp(1).addMetrics(
                SparkplugBProto.Payload.Metric.newBuilder()
                        .setNameBytes(com.google.protobuf.ByteString.copyFrom(new byte[]{'t', (byte) 0xC3, 'x', (byte) 0xFF}))
                        .setDatatype(DataType.DOUBLE.code()).setDoubleValue(2.0))
                .build().toByteArray();
        for (int round = 0; round < 2; round++) { // decoded, then found in the table
            assertThat(PayloadCodec.decode(malformed).metrics().get(0).name())
                    .isEqualTo(SparkplugBProto.Payload.parseFrom(malformed).getMetrics(0).getName());
        }
    }

    @Test
    void aNameLongerThanItsMetricIsRejected() {
        byte[] bytes = SparkplugBProto.Payload.newBuilder().setTimestamp(1).addMetrics(
                SparkplugBProto.Payload.Metric.newBuilder().setName("speed").setDatatype(DataType.DOUBLE.code())
                        .setDoubleValue(1.0)).build().toByteArray();
        int at = indexOf(bytes, "speed".getBytes(java.nio.charset.StandardCharsets.UTF_8)) - 1;
        bytes[at] = 100; // the name's length, now past the end of its metric
        assertThatThrownBy(() -> PayloadCodec.decode(bytes)).isInstanceOf(InvalidPayloadException.class);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void truncatedPayloadIsRejected() {
        byte[] whole = PayloadCodec.encode(new Payload(1, 0, List.of(Metric.of("name", 1, DataType.STRING, "value"))));
        assertThatThrownBy(() -> PayloadCodec.decode(java.util.Arrays.copyOf(whole, whole.length - 3)))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("not a Sparkplug B payload");
    }

    private static SparkplugBProto.Payload.PropertySet.Builder props(String key, SparkplugBProto.Payload.PropertyValue.Builder value) {
        return SparkplugBProto.Payload.PropertySet.newBuilder().addKeys(key).addValues(value);
    }
}
