package io.wareedge.profiles;

import static io.wareedge.profiles.TestSupport.decodeText;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BadPayloadTest {

    @Test
    void notJson() {
        DecodeResult r = decodeText("zigbee2mqtt-temp-humidity", "state", "{\"temperature\": 21.4,");
        assertThat(r.records()).isEmpty();
        assertThat(r.problems()).extracting(DecodeProblem::kind).containsExactly(ProblemKind.NOT_JSON);
        assertThat(decodeText("zigbee2mqtt-temp-humidity", "state", "").problems())
                .extracting(DecodeProblem::kind).containsExactly(ProblemKind.NOT_JSON);
        assertThat(decodeText("zigbee2mqtt-temp-humidity", "state", "{} trailing").problems())
                .extracting(DecodeProblem::kind).containsExactly(ProblemKind.NOT_JSON);
    }

    @Test
    void wrongShapeOfPayloadAndOfOneRecordInABatch() {
        assertThat(decodeText("impinj-speedway-connect", "tagReads", "{\"reader_name\":\"x\"}").problems())
                .extracting(DecodeProblem::kind).containsExactly(ProblemKind.WRONG_SHAPE);
        assertThat(decodeText("zigbee2mqtt-temp-humidity", "state", "[1,2]").problems())
                .extracting(DecodeProblem::kind).containsExactly(ProblemKind.WRONG_SHAPE);

        DecodeResult r = decodeText("impinj-speedway-connect", "tagReads", "{\"tag_reads\":["
                + "{\"epc\":\"E200\",\"antennaPort\":1,\"isHeartBeat\":false,\"firstSeenTimestamp\":1},"
                + "42,"
                + "{\"epc\":\"E201\",\"antennaPort\":2,\"isHeartBeat\":false,\"firstSeenTimestamp\":2}]}");
        assertThat(r.problems()).extracting(DecodeProblem::kind).containsExactly(ProblemKind.WRONG_SHAPE);
        assertThat(r.records()).extracting(rec -> rec.value("epc")).containsExactly("E200", "E201");
    }

    @Test
    void badTypeKeepsTheGoodFields() {
        DecodeResult r = decodeText("zigbee2mqtt-temp-humidity", "state",
                "{\"temperature\":\"abc\",\"humidity\":\"45.5\",\"battery\":true}");
        assertThat(r.problems()).extracting(DecodeProblem::kind, DecodeProblem::resource).containsExactly(
                org.assertj.core.groups.Tuple.tuple(ProblemKind.BAD_TYPE, "temperature"),
                org.assertj.core.groups.Tuple.tuple(ProblemKind.BAD_TYPE, "battery"));
        assertThat(r.records()).hasSize(1);
        assertThat(r.records().get(0).values()).containsOnlyKeys("humidity").containsEntry("humidity", 45.5);
    }

    @Test
    void integerResourceRejectsFractionAndNonHexEpcIsBadType() {
        DecodeResult r = decodeText("zebra-fx9600", "tagData",
                "{\"type\":\"SIMPLE\",\"timestamp\":\"2026-11-23T21:30:52Z\",\"data\":{\"idHex\":\"XYZ\","
                        + "\"antenna\":1.5,\"peakRssi\":-40}}");
        assertThat(r.problems()).extracting(DecodeProblem::kind)
                .containsExactly(ProblemKind.BAD_TYPE, ProblemKind.BAD_TYPE);
        assertThat(r.records().get(0).values()).containsOnlyKeys("rssi");
    }

    @Test
    void outOfRange() {
        DecodeResult r = decodeText("zigbee2mqtt-temp-humidity", "state",
                "{\"temperature\":120.0,\"humidity\":50,\"linkquality\":300}");
        assertThat(r.problems()).extracting(DecodeProblem::kind)
                .containsExactly(ProblemKind.OUT_OF_RANGE, ProblemKind.OUT_OF_RANGE);
        assertThat(r.problems().get(0).detail()).contains("120").contains("85");
        assertThat(r.records().get(0).values()).containsOnlyKeys("humidity");
    }

    @Test
    void integerOutsideItsTypeIsOutOfRange() {
        DecodeResult r = decodeText("generic-sorter", "result", "{\"seq\":1,\"chute\":70000,\"outcome\":"
                + "\"diverted\",\"ts\":1}");
        assertThat(r.problems()).extracting(DecodeProblem::kind).containsExactly(ProblemKind.OUT_OF_RANGE);
        assertThat(r.records().get(0).values()).containsEntry("resultSeq", 1L).containsEntry("outcome", "diverted")
                .doesNotContainKey("resultChute");
    }

    @Test
    void unknownEnum() {
        DecodeResult r = decodeText("generic-sorter", "status", "{\"state\":\"exploded\",\"speed\":2.0,\"ts\":5}");
        assertThat(r.problems()).extracting(DecodeProblem::kind).containsExactly(ProblemKind.UNKNOWN_ENUM);
        assertThat(r.problems().get(0).detail()).contains("exploded");
        assertThat(r.records().get(0).values()).containsOnlyKeys("speed");
    }

    @Test
    void badTimestampFallsBackToReceiveTime() {
        DecodeResult r = decodeText("zebra-fx9600", "tagData",
                "{\"type\":\"SIMPLE\",\"timestamp\":\"yesterday\",\"data\":{\"idHex\":\"e280\",\"antenna\":2}}");
        assertThat(r.problems()).extracting(DecodeProblem::kind).containsExactly(ProblemKind.BAD_TIMESTAMP);
        assertThat(r.records().get(0).timestamp()).isEqualTo(TestSupport.RECEIVED);
        assertThat(r.records().get(0).values()).containsEntry("epc", "E280").containsEntry("antenna", 2L);

        DecodeResult noOffset = decodeText("zebra-fx9600", "tagData",
                "{\"type\":\"SIMPLE\",\"timestamp\":\"2026-11-23T21:30:52\",\"data\":{\"idHex\":\"e280\"}}");
        assertThat(noOffset.problems()).extracting(DecodeProblem::kind).containsExactly(ProblemKind.BAD_TIMESTAMP);
        assertThat(noOffset.problems().get(0).detail()).contains("no UTC offset");
    }

    @Test
    void isoTimestampOffsetForms() {
        for (String ts : new String[] {"2026-11-23T22:30:52.011+0100", "2026-11-23T22:30:52.011+01:00",
                "2026-11-23T21:30:52.011Z"}) {
            DecodeResult r = decodeText("zebra-fx9600", "tagData",
                    "{\"type\":\"SIMPLE\",\"timestamp\":\"" + ts + "\",\"data\":{\"idHex\":\"e280\"}}");
            assertThat(r.records().get(0).timestamp()).as(ts).isEqualTo(Instant.parse("2026-11-23T21:30:52.011Z"));
        }
    }

    @Test
    void oversized() {
        String big = "{\"temperature\":21.0,\"pad\":\"" + "x".repeat(300_000) + "\"}";
        DecodeResult r = decodeText("zigbee2mqtt-temp-humidity", "state", big);
        assertThat(r.records()).isEmpty();
        assertThat(r.problems()).extracting(DecodeProblem::kind).containsExactly(ProblemKind.OVERSIZED);
        assertThat(r.problems().get(0).detail()).contains("262144");
    }

    @Test
    void missingRequiredFieldIsAProblemButOtherFieldsStay() {
        DecodeResult r = decodeText("zebra-fx9600", "tagData",
                "{\"type\":\"SIMPLE\",\"timestamp\":\"2026-11-23T21:30:52Z\",\"data\":{\"antenna\":3}}");
        assertThat(r.problems()).extracting(DecodeProblem::kind).containsExactly(ProblemKind.MISSING_REQUIRED);
        assertThat(r.records().get(0).values()).containsExactly(java.util.Map.entry("antenna", 3L));
    }

    @Test
    void deeplyNestedGarbageNeverThrows() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        DecodeResult r = decodeText("zigbee2mqtt-temp-humidity", "state", deep);
        assertThat(r.records()).isEmpty();
        assertThat(r.problems()).isNotEmpty();
    }
}
