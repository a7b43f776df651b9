package io.wareedge.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Encoding what a profile describes and decoding it again gives back the same values, for every MQTT stream. */
class RoundTripTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-23T21:30:52.011Z");

    @Test
    void everyShippedMqttStreamRoundTrips() {
        int streams = 0;
        for (DeviceProfile p : ProfileLoader.loadBundled().all()) {
            for (MqttStream s : p.mqttStreams()) {
                streams++;
                int n = s.batch() ? Math.max(2, p.simulation().recordsPerMessage()) : 1;
                List<Map<String, Object>> records = new ArrayList<>();
                List<Instant> times = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    records.add(sampleValues(p.resourcesOf(s.name()), i));
                    times.add(T0.plusMillis(i * 7L));
                }
                byte[] payload = JsonPayloadEncoder.forStream(p, s.name()).encode(records, times);
                DecodeResult r = JsonPayloadDecoder.forStream(p, s.name()).decode(payload, TestSupport.RECEIVED);
                String what = p.id() + "/" + s.name() + ": " + new String(payload, StandardCharsets.UTF_8);
                assertThat(r.problems()).as(what).isEmpty();
                assertThat(r.skipped()).as(what).isZero();
                assertThat(r.records()).as(what).hasSize(n);
                for (int i = 0; i < n; i++) {
                    DecodedRecord rec = r.records().get(i);
                    assertThat(rec.timestamp()).as(what).isEqualTo(s.timestamp().isPresent() ? times.get(i)
                            : TestSupport.RECEIVED);
                    assertThat(rec.values()).as(what).containsAllEntriesOf(records.get(i));
                }
            }
        }
        assertThat(streams).isEqualTo(8);
    }

    /** Plausible values from the simulation hints, in the resource unit. */
    private static Map<String, Object> sampleValues(List<Resource> resources, int i) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Resource r : resources) {
            if (r.mqtt().orElseThrow().reduce() == ArrayReduce.COUNT) {
                continue;
            }
            SimulationHints h = r.simulate();
            Object v;
            if (h.generator().filter(g -> g.equals("epc96")).isPresent()) {
                v = String.format("E2801160600002091234%04X", i);
            } else if (h.generator().isPresent()) {
                v = 1000L + i;
            } else if (!h.values().isEmpty()) {
                v = ValueConversion.coerce(r.type(), h.values().get(i % h.values().size()));
            } else if (h.typical().isPresent()) {
                double typical = h.typical().getAsDouble() + (r.type().isInteger() ? i : i * 0.37);
                v = r.type().isInteger() ? (Object) Math.round(typical) : (Object) (Math.round(typical * 100) / 100.0);
            } else {
                v = r.type() == ValueType.STRING ? "text-" + i : ValueConversion.coerce(r.type(), 1);
            }
            values.put(r.name(), v);
        }
        return values;
    }

    @Test
    void r700EncodesBase64EpcAndCentiDbm() throws Exception {
        DeviceProfile p = ProfileLoader.loadBundled().require("impinj-r700");
        byte[] payload = JsonPayloadEncoder.forStream(p, "events")
                .encode(Map.of("epc", "E28011606000020912345678", "rssi", -54.12, "antenna", 1L), T0);
        JsonNode json = MAPPER.readTree(payload);
        assertThat(json.at("/eventType").asText()).isEqualTo("tagInventory");
        assertThat(json.at("/timestamp").asText()).isEqualTo("2026-11-23T21:30:52.011Z");
        assertThat(json.at("/tagInventoryEvent/epc").asText()).isEqualTo("4oARYGAAAgkSNFZ4");
        assertThat(json.at("/tagInventoryEvent/peakRssiCdbm").isIntegralNumber()).isTrue();
        assertThat(json.at("/tagInventoryEvent/peakRssiCdbm").asLong()).isEqualTo(-5412L);
    }

    @Test
    void speedwayEncodesBatchWithEnvelopeAndHeartbeatFlag() throws Exception {
        DeviceProfile p = ProfileLoader.loadBundled().require("impinj-speedway-connect");
        byte[] payload = JsonPayloadEncoder.forStream(p, "tagReads").encode(
                List.of(Map.of("epc", "E200", "antenna", 1L), Map.of("epc", "E201", "antenna", 2L)),
                List.of(T0, T0.plusNanos(1_000)));
        JsonNode json = MAPPER.readTree(payload);
        assertThat(json.at("/reader_name").asText()).isEqualTo("speedway-sim");
        assertThat(json.at("/tag_reads").size()).isEqualTo(2);
        assertThat(json.at("/tag_reads/0/isHeartBeat").isBoolean()).isTrue();
        assertThat(json.at("/tag_reads/1/firstSeenTimestamp").asLong()).isEqualTo(1795469452011001L);
    }

    @Test
    void zigbeeEncodesMillivoltsAsIntegers() throws Exception {
        DeviceProfile p = ProfileLoader.loadBundled().require("zigbee2mqtt-temp-humidity");
        byte[] payload = JsonPayloadEncoder.forStream(p, "state").encode(Map.of("voltage", 3.015,
                "temperature", 21.4), null);
        JsonNode json = MAPPER.readTree(payload);
        assertThat(json.at("/voltage").isIntegralNumber()).isTrue();
        assertThat(json.at("/voltage").asLong()).isEqualTo(3015L);
        assertThat(json.at("/temperature").asDouble()).isEqualTo(21.4);
    }

    @Test
    void sorterNoReadEncodesEmptyCodeArray() throws Exception {
        DeviceProfile p = ProfileLoader.loadBundled().require("generic-sorter");
        byte[] payload = JsonPayloadEncoder.forStream(p, "induction").encode(Map.of("seq", 7L, "codes", ""), T0);
        JsonNode json = MAPPER.readTree(payload);
        assertThat(json.at("/codes").isArray()).isTrue();
        assertThat(json.at("/codes").size()).isZero();
        assertThat(json.at("/ts").asLong()).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void encoderRejectsWhatTheProfileDoesNotDescribe() {
        DeviceProfile p = ProfileLoader.loadBundled().require("generic-sorter");
        JsonPayloadEncoder status = JsonPayloadEncoder.forStream(p, "status");
        assertThatThrownBy(() -> status.encode(Map.of("nope", 1), T0)).hasMessageContaining("no resource 'nope'");
        assertThatThrownBy(() -> status.encode(Map.of("state", "exploded"), T0)).hasMessageContaining("exploded");
        assertThatThrownBy(() -> status.encode(Map.of("speed", "fast"), T0)).hasMessageContaining("speed");
        assertThatThrownBy(() -> status.encode(List.of(Map.of(), Map.of()), List.of(T0, T0)))
                .hasMessageContaining("one record per message");
        assertThatThrownBy(() -> JsonPayloadEncoder.forStream(p, "nope")).hasMessageContaining("nope");
    }
}
