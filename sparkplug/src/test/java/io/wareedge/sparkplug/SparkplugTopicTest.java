package io.wareedge.sparkplug;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SparkplugTopicTest {

    @Test
    void parsesNodeDeviceAndStateTopics() {
        SparkplugTopic d = SparkplugTopic.parse("spBv1.0/site-a/DDATA/gw-1/reader-1");
        assertThat(d).isEqualTo(SparkplugTopic.device("site-a", MessageType.DDATA, "gw-1", "reader-1"));
        assertThat(d.edgeNode()).isEqualTo(new EdgeNodeId("site-a", "gw-1"));
        assertThat(SparkplugTopic.parse("spBv1.0/site-a/NBIRTH/gw-1").toString()).isEqualTo("spBv1.0/site-a/NBIRTH/gw-1");
        assertThat(SparkplugTopic.parse("spBv1.0/STATE/host-1").hostId()).isEqualTo("host-1");
    }

    @Test
    void rejectsMalformedTopicsWithReason() {
        assertThatThrownBy(() -> SparkplugTopic.parse("spAv1.0/g/NDATA/n")).hasMessageContaining("not a Sparkplug B topic");
        assertThatThrownBy(() -> SparkplugTopic.parse("spBv1.0/g/NOPE/n")).hasMessageContaining("unknown message type");
        assertThatThrownBy(() -> SparkplugTopic.parse("spBv1.0/g/DDATA/n")).hasMessageContaining("needs device id");
        assertThatThrownBy(() -> SparkplugTopic.parse("spBv1.0/g/NDATA/n/d")).hasMessageContaining("takes no device id");
    }

    @Test
    void sequenceWrapsAt256() {
        assertThat(SequenceNumbers.next(255)).isZero();
        assertThat(SequenceNumbers.follows(255, 0)).isTrue();
        assertThat(SequenceNumbers.follows(3, 5)).isFalse();
    }

    @Test
    void statePayloadRoundTrips() {
        StatePayload s = StatePayload.parse(new StatePayload(true, 1700000000000L).toJson());
        assertThat(s.online()).isTrue();
        assertThat(s.timestamp()).isEqualTo(1700000000000L);
        assertThatThrownBy(() -> StatePayload.parse("ONLINE".getBytes())).isInstanceOf(IllegalArgumentException.class);
    }
}
