package io.wareedge.edge.driver;

import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPubAck;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written PUBLISH and PUBACK against Paho's codec, both ways. */
class HotPacketsTest {
    private final HotPackets hot = new HotPackets();

    private static byte[] pahoPublish(String topic, byte[] payload, int qos, int id, MqttProperties props) throws Exception {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        MqttPublish p = new MqttPublish(topic, m, props);
        if (qos > 0) {
            p.setMessageId(id);
        }
        return p.serialize();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 127, 128, 16_383, 16_384, 300_000})
    void readsWhatPahoWritesWhateverTheLengthAndProperties(int payloadSize) throws Exception {
        byte[] payload = new byte[payloadSize];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        MqttProperties props = new MqttProperties();
        props.setMessageExpiryInterval(60L);
        props.setContentType("application/json");
        props.setUserProperties(List.of(new UserProperty("site", "dc-north")));
        byte[] packet = pahoPublish("env/Kühlraum-1/data", payload, 1, 4242, props);
        packet[0] |= 0x08;
        HotPackets.Publish p = hot.readPublish(packet);
        assertThat(p.topic()).isEqualTo("env/Kühlraum-1/data");
        assertThat(p.payload()).isEqualTo(payload);
        assertThat(p.qos()).isEqualTo(1);
        assertThat(p.packetId()).isEqualTo(4242);
        assertThat(p.duplicate()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void pahoReadsWhatItWrites(int qos) throws Exception {
        byte[] payload = "{\"seq\":7,\"chute\":3}".repeat(qos == 0 ? 1 : 20).getBytes(StandardCharsets.UTF_8);
        byte[] packet = HotPackets.publish("sorters/Sortierer-ü/divert", payload, qos, qos == 0 ? 0 : 65_534);
        MqttPublish p = (MqttPublish) MqttWireMessage.createWireMessage(packet);
        assertThat(p.getTopicName()).isEqualTo("sorters/Sortierer-ü/divert");
        assertThat(p.getMessage().getPayload()).isEqualTo(payload);
        assertThat(p.getMessage().getQos()).isEqualTo(qos);
        if (qos == 1) {
            assertThat(p.getMessageId()).isEqualTo(65_534);
        }
    }

    @Test
    void pubAckBothWays() throws Exception {
        byte[] ours = new byte[4];
        HotPackets.pubAck(ours, 513);
        assertThat(((MqttPubAck) MqttWireMessage.createWireMessage(ours)).getMessageId()).isEqualTo(513);
        assertThat(HotPackets.readPubAck(new MqttPubAck(0x97, 77, new MqttProperties()).serialize())).containsExactly(77, 0x97);
        assertThat(HotPackets.readPubAck(ours)).containsExactly(513, 0);
    }

    @Test
    void refusesWhatNoBrokerMaySend() throws Exception {
        byte[] wildcard = pahoPublish("env/+/data", new byte[]{1}, 0, 0, new MqttProperties());
        assertThatThrownBy(() -> hot.readPublish(wildcard)).hasMessageContaining("wildcard");
        byte[] qos3 = pahoPublish("env/a/data", new byte[]{1}, 1, 5, new MqttProperties());
        qos3[0] |= 0x06;
        assertThatThrownBy(() -> hot.readPublish(qos3)).hasMessageContaining("QoS 3");
        byte[] idZero = pahoPublish("env/a/data", new byte[]{1}, 1, 5, new MqttProperties());
        idZero[2 + 2 + "env/a/data".length()] = 0;
        idZero[2 + 2 + "env/a/data".length() + 1] = 0;
        assertThatThrownBy(() -> hot.readPublish(idZero)).hasMessageContaining("packet id 0");
        byte[] notUtf8 = {0x30, 0x06, 0x00, 0x02, (byte) 0xc3, 0x28, 0x00, 0x41};
        assertThatThrownBy(() -> hot.readPublish(notUtf8)).hasMessageContaining("not UTF-8");
        byte[] nul = {0x30, 0x05, 0x00, 0x01, 0x00, 0x00, 0x41};
        assertThatThrownBy(() -> hot.readPublish(nul)).hasMessageContaining("U+0000");
        byte[] propertiesTooLong = {0x30, 0x05, 0x00, 0x01, 0x61, 0x09, 0x41};
        assertThatThrownBy(() -> hot.readPublish(propertiesTooLong)).hasMessageContaining("properties");
        byte[] shortAck = {0x40, 0x01, 0x01};
        assertThatThrownBy(() -> HotPackets.readPubAck(shortAck)).hasMessageContaining("without a packet id");
    }
}
