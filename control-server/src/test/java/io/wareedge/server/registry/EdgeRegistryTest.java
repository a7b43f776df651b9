package io.wareedge.server.registry;

import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.EdgeNodeId;
import io.wareedge.sparkplug.MessageType;
import io.wareedge.sparkplug.Metric;
import io.wareedge.sparkplug.NodeControl;
import io.wareedge.sparkplug.Payload;
import io.wareedge.sparkplug.SparkplugTopic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The host's session and sequence rules, without MQTT or storage. */
class EdgeRegistryTest {
    private static final EdgeNodeId NODE = new EdgeNodeId("g", "n");
    private final EdgeRegistry registry = new EdgeRegistry(Duration.ofSeconds(5));
    private final ChangeSet changes = new ChangeSet();

    private List<Problem> apply(MessageType type, String device, long seq, List<Metric> metrics, long now) {
        SparkplugTopic topic = device == null ? SparkplugTopic.node("g", type, "n") : SparkplugTopic.device("g", type, "n", device);
        return registry.apply(topic, new Payload(now, seq, metrics), now, changes);
    }

    private void born(long bdSeq) {
        apply(MessageType.NBIRTH, null, 0, List.of(Metric.of(NodeControl.BD_SEQ, 1, DataType.INT64, bdSeq)), 1000);
        apply(MessageType.DBIRTH, "d", 1, List.of(
                new Metric("t", 7, 1, DataType.DOUBLE, 1.0, false, Map.of(Metric.ENG_UNIT, "°C")),
                Metric.of(EdgeRegistry.DEVICE_PROFILE, 1, DataType.STRING, "p")), 1000);
    }

    @Test
    void birthRecordsNodeDeviceProfileUnitAndValues() {
        born(3);
        assertThat(changes.nodeChanges()).containsExactly(new NodeChange(NODE, true, 3, 1000));
        assertThat(changes.deviceChanges()).singleElement().satisfies(d -> {
            assertThat(d.event()).isEqualTo(DeviceChange.Event.BIRTH);
            assertThat(d.profile()).isEqualTo("p");
        });
        assertThat(changes.samples()).singleElement().satisfies(s -> assertThat(s.unit()).isEqualTo("°C"));
        assertThat(changes.seqGaps()).isZero();
        assertThat(registry.onlineNodes()).isEqualTo(1);
    }

    @Test
    void dataByAliasResolvesNameAndUnit() {
        born(0);
        changes.clear();
        apply(MessageType.DDATA, "d", 2, List.of(new Metric(null, 7, 5, DataType.DOUBLE, 2.0, false, Map.of())), 2000);
        assertThat(changes.samples()).singleElement().satisfies(s -> {
            assertThat(s.metric()).isEqualTo("t");
            assertThat(s.unit()).isEqualTo("°C");
        });
    }

    @Test
    void gapRedeliveryAndRebirthRateLimit() {
        born(0);
        changes.clear();
        apply(MessageType.DDATA, "d", 2, List.of(), 2000);
        apply(MessageType.DDATA, "d", 2, List.of(), 2001); // redelivered
        assertThat(changes.redeliveries()).isEqualTo(1);
        assertThat(changes.seqGaps()).isZero();
        apply(MessageType.DDATA, "d", 5, List.of(), 2002); // 3 and 4 lost
        apply(MessageType.DDATA, "d", 9, List.of(), 2003); // another gap, within the rebirth interval
        assertThat(changes.seqGaps()).isEqualTo(2);
        assertThat(changes.rebirthRequests()).containsExactly(NODE);
        changes.clear();
        apply(MessageType.DDATA, "d", 200, List.of(), 9000);
        assertThat(changes.rebirthRequests()).containsExactly(NODE);
    }

    @Test
    void seqWrapsAfter255() {
        born(0);
        for (long s = 2; s < 300; s++) {
            apply(MessageType.DDATA, "d", s % 256, List.of(), 2000 + s);
        }
        assertThat(changes.seqGaps()).isZero();
    }

    @Test
    void staleNdeathIgnoredCurrentOneEndsNodeAndDevices() {
        born(4);
        changes.clear();
        apply(MessageType.NDEATH, null, -1, List.of(Metric.of(NodeControl.BD_SEQ, 1, DataType.INT64, 3L)), 3000);
        assertThat(changes.staleDeaths()).isEqualTo(1);
        assertThat(changes.nodeChanges()).isEmpty();
        apply(MessageType.NDEATH, null, -1, List.of(Metric.of(NodeControl.BD_SEQ, 1, DataType.INT64, 4L)), 3001);
        assertThat(changes.nodeChanges()).containsExactly(new NodeChange(NODE, false, 4, 3001));
        assertThat(changes.deviceChanges()).singleElement().satisfies(d -> assertThat(d.event()).isEqualTo(DeviceChange.Event.DEATH));
        assertThat(registry.onlineNodes()).isZero();
    }

    @Test
    void dataFromUnbornNodeIsKeptCountedAsGapAndAsksForRebirth() {
        apply(MessageType.DDATA, "d", 17, List.of(Metric.of("t", 5, DataType.DOUBLE, 1.5)), 1000);
        assertThat(changes.seqGaps()).isEqualTo(1);
        assertThat(changes.rebirthRequests()).containsExactly(NODE);
        assertThat(changes.samples()).hasSize(1);
        assertThat(changes.deviceChanges()).isEmpty();
    }

    @Test
    void nbirthWithoutBdSeqIsAProblem() {
        List<Problem> problems = apply(MessageType.NBIRTH, null, 0, List.of(), 1000);
        assertThat(problems).extracting(Problem::kind).containsExactly("NBIRTH_WITHOUT_BDSEQ");
        assertThat(changes.nodeChanges()).isEmpty();
    }
}
