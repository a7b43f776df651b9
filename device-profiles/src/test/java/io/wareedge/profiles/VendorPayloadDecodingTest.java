package io.wareedge.profiles;

import static io.wareedge.profiles.TestSupport.RECEIVED;
import static io.wareedge.profiles.TestSupport.decode;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class VendorPayloadDecodingTest {

    @Test
    void zebraDataEventWithOffsetWithoutColon() {
        DecodeResult r = decode("zebra-fx9600", "tagData", "zebra-fx9600-tag.json");
        assertThat(r.problems()).isEmpty();
        assertThat(r.records()).hasSize(1);
        DecodedRecord rec = r.records().get(0);
        assertThat(rec.timestamp()).isEqualTo(Instant.parse("2026-11-23T21:30:52.011Z"));
        assertThat(rec.values()).containsEntry("epc", "E28011606000020912345678")
                .containsEntry("antenna", 1L).containsEntry("rssi", -52.0).containsEntry("reads", 1L)
                .containsEntry("seenCount", 1L).containsEntry("eventNum", 1234L).containsEntry("format", "epc");
    }

    @Test
    void zebraHeartbeatIsSkippedSilently() {
        DecodeResult r = decode("zebra-fx9600", "tagData", "zebra-fx9600-heartbeat.json");
        assertThat(r.records()).isEmpty();
        assertThat(r.problems()).isEmpty();
        assertThat(r.skipped()).isEqualTo(1);
    }

    @Test
    void speedwayBatchWithMicrosecondTimestampsAndHeartbeatRecord() {
        DecodeResult r = decode("impinj-speedway-connect", "tagReads", "impinj-speedway-connect-batch.json");
        assertThat(r.problems()).isEmpty();
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.records()).hasSize(3);
        assertThat(r.records()).extracting(rec -> rec.value("epc")).containsExactly("E28011606000020912345678",
                "E28011606000020912345679", "E2801160600002091234567A");
        assertThat(r.records()).extracting(rec -> rec.value("antenna")).containsExactly(1L, 2L, 4L);
        assertThat(r.records().get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(1763933452L, 11_000_000));
        assertThat(r.records().get(1).timestamp()).isEqualTo(Instant.ofEpochSecond(1763933452L, 11_250_000));
        assertThat(r.records().get(2).value("rssi")).isEqualTo(-70.0);
    }

    @Test
    void r700Base64EpcAndCentiDbmRssi() {
        DecodeResult r = decode("impinj-r700", "events", "impinj-r700-tag.json");
        assertThat(r.problems()).isEmpty();
        DecodedRecord rec = r.records().get(0);
        assertThat(rec.value("epc")).isEqualTo("E28011606000020912345678");
        assertThat(rec.value("rssi")).isEqualTo(-54.12);
        assertThat(rec.value("antenna")).isEqualTo(1L);
        assertThat(rec.value("lastSeen")).isEqualTo("2026-11-23T21:30:52.010Z");
        assertThat(rec.timestamp()).isEqualTo(Instant.parse("2026-11-23T21:30:52.011Z"));
    }

    @Test
    void r700OtherEventTypesAreSkipped() {
        DecodeResult r = decode("impinj-r700", "events", "impinj-r700-status.json");
        assertThat(r.records()).isEmpty();
        assertThat(r.problems()).isEmpty();
        assertThat(r.skipped()).isEqualTo(1);
    }

    @Test
    void zigbeeSampleUsesReceiveTimeAndConvertsMillivolts() {
        DecodeResult r = decode("zigbee2mqtt-temp-humidity", "state", "zigbee2mqtt-temp-humidity.json");
        assertThat(r.problems()).isEmpty();
        DecodedRecord rec = r.records().get(0);
        assertThat(rec.timestamp()).isEqualTo(RECEIVED);
        assertThat(rec.values()).containsEntry("temperature", 21.4).containsEntry("humidity", 45.2)
                .containsEntry("battery", 97.0).containsEntry("voltage", 3.015).containsEntry("linkQuality", 120L);
    }

    @Test
    void sorterInductionMultiReadAndNoRead() {
        DecodeResult multi = decode("generic-sorter", "induction", "generic-sorter-induction-multiread.json");
        assertThat(multi.problems()).isEmpty();
        assertThat(multi.records().get(0).values()).containsEntry("seq", 123L)
                .containsEntry("codes", "4006381333931,4006381333955").containsEntry("codeCount", 2L);
        assertThat(multi.records().get(0).timestamp()).isEqualTo(Instant.ofEpochMilli(1763933452011L));

        DecodeResult none = decode("generic-sorter", "induction", "generic-sorter-induction-noread.json");
        assertThat(none.records().get(0).values()).containsEntry("codes", "").containsEntry("codeCount", 0L);
    }

    @Test
    void sorterStatusEnumAndNumbers() {
        DecodeResult r = decode("generic-sorter", "status", "generic-sorter-status.json");
        assertThat(r.problems()).isEmpty();
        assertThat(r.records().get(0).values()).containsEntry("state", "fault").containsEntry("speed", 1.95)
                .containsEntry("inducted", 48211L).containsEntry("faultText", "E-stop zone 3");
        AlarmDefinition fault = ProfileLoader.loadBundled().require("generic-sorter").alarms().get(0);
        assertThat(fault.raisedBy(r.records().get(0).value("state"))).isTrue();
    }
}
