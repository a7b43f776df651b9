package io.wareedge.edge.driver;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttConnAck;
import org.eclipse.paho.mqttv5.common.packet.MqttConnect;
import org.eclipse.paho.mqttv5.common.packet.MqttDisconnect;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPubAck;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.MqttSubscribe;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The device-broker link against a broker scripted packet by packet: what it sends, and every packet it refuses. */
class MqttLinkTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> FILTERS = List.of("sorters/s1/induction", "env/+/data");

    private ScriptedBroker broker;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<String> lost = new CopyOnWriteArrayList<>();
    private final List<String> bad = new CopyOnWriteArrayList<>();
    private final AtomicInteger unsent = new AtomicInteger();
    private volatile Consumer<String> onMessage = topic -> { };
    private MqttLink link;

    @BeforeEach
    void start() throws IOException {
        broker = new ScriptedBroker();
    }

    @AfterEach
    void stop() throws IOException {
        if (link != null) {
            link.close();
        }
        broker.close();
    }

    private MqttLink link(Duration keepAlive) {
        link = new MqttLink("test", broker.url(), "gw-1", Duration.ofHours(1), keepAlive, 100, Duration.ofSeconds(2),
                new MqttLink.Listener() {
                    @Override
                    public void message(String topic, byte[] payload, boolean duplicate) {
                        messages.add(topic + " " + new String(payload, StandardCharsets.UTF_8) + (duplicate ? " dup" : ""));
                        onMessage.accept(topic);
                    }

                    @Override
                    public void lost(String reason) {
                        lost.add(reason);
                    }

                    @Override
                    public void badPacket(byte[] raw, String reason) {
                        bad.add(HexFormat.of().formatHex(raw) + " " + reason);
                    }
                }, unsent::addAndGet);
        return link;
    }

    private CompletableFuture<Void> connectAsync(MqttLink l) {
        return CompletableFuture.runAsync(() -> {
            try {
                l.connect(FILTERS, TIMEOUT);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    /** Connects with a scripted CONNACK and SUBACK; returns the broker's side of the connection. */
    private ScriptedBroker.Session connected(MqttLink l, boolean sessionPresent, Integer receiveMaximum) throws Exception {
        CompletableFuture<Void> connecting = connectAsync(l);
        ScriptedBroker.Session s = broker.accept();
        s.connAck(sessionPresent, 0, receiveMaximum);
        s.subAck(1);
        connecting.get(5, TimeUnit.SECONDS);
        return s;
    }

    private static byte[] publish(String topic, String payload, int qos, int id) throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(qos);
        MqttPublish p = new MqttPublish(topic, m, new MqttProperties());
        if (qos > 0) {
            p.setMessageId(id);
        }
        return p.serialize();
    }

    @Test
    void connectsWithAPersistentSessionAndSubscribesEveryFilterAtQos1() throws Exception {
        CompletableFuture<Void> connecting = connectAsync(link(Duration.ofSeconds(10)));
        ScriptedBroker.Session s = broker.accept();
        MqttConnect connect = (MqttConnect) s.connAck(false, 0, null);
        assertThat(connect.getClientId()).isEqualTo("gw-1");
        assertThat(connect.isCleanStart()).isFalse();
        assertThat(connect.getMqttVersion()).isEqualTo(5);
        assertThat(connect.getKeepAliveInterval()).isEqualTo(10);
        assertThat(connect.getProperties().getSessionExpiryInterval()).isEqualTo(3600L);
        assertThat(connect.getProperties().getReceiveMaximum()).isEqualTo(100);
        assertThat(connect.getProperties().getMaximumPacketSize()).isEqualTo((long) MqttLink.MAX_PACKET);
        MqttSubscribe sub = s.subAck(1);
        assertThat(Stream.of(sub.getSubscriptions()).map(MqttSubscription::getTopic)).containsExactlyElementsOf(FILTERS);
        assertThat(Stream.of(sub.getSubscriptions()).map(MqttSubscription::getQos)).containsOnly(1);
        connecting.get(5, TimeUnit.SECONDS);
        assertThat(link.isConnected()).isTrue();
    }

    @Test
    void aQos1MessageIsAcknowledgedOnlyAfterTheListenerReturned() throws Exception {
        MqttLink l = link(Duration.ofSeconds(10));
        AtomicBoolean handled = new AtomicBoolean();
        onMessage = topic -> handled.set(true);
        ScriptedBroker.Session s = connected(l, false, null);
        s.send(publish("sorters/s1/induction", "{\"seq\":1}", 1, 7), publish("env/t1/data", "{\"t\":20}", 0, 0));
        MqttPubAck ack = (MqttPubAck) s.read();
        assertThat(handled).isTrue();
        assertThat(ack.getMessageId()).isEqualTo(7);
        await().atMost(TIMEOUT).until(() -> messages.size() == 2);
        assertThat(messages).containsExactly("sorters/s1/induction {\"seq\":1}", "env/t1/data {\"t\":20}");
    }

    @Test
    void aRedeliveredMessageReachesTheListenerMarkedDuplicate() throws Exception {
        ScriptedBroker.Session s = connected(link(Duration.ofSeconds(10)), true, null);
        byte[] redelivered = publish("env/t1/data", "{\"t\":20}", 1, 3);
        redelivered[0] |= 0x08;
        s.send(redelivered);
        assertThat(((MqttPubAck) s.read()).getMessageId()).isEqualTo(3);
        assertThat(messages).containsExactly("env/t1/data {\"t\":20} dup");
    }

    @Test
    void aCommandPublishedByTheListenerLeavesBeforeTheAcknowledgementOfWhatItAnswers() throws Exception {
        MqttLink l = link(Duration.ofSeconds(10));
        onMessage = topic -> assertThat(l.publish("sorters/s1/divert", "{\"chute\":3}".getBytes(StandardCharsets.UTF_8), 1)).isTrue();
        ScriptedBroker.Session s = connected(l, false, null);
        s.send(publish("sorters/s1/induction", "{\"seq\":1}", 1, 9));
        MqttPublish divert = (MqttPublish) s.read();
        assertThat(divert.getTopicName()).isEqualTo("sorters/s1/divert");
        assertThat(divert.getMessage().getQos()).isEqualTo(1);
        assertThat(new String(divert.getMessage().getPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"chute\":3}");
        assertThat(((MqttPubAck) s.read()).getMessageId()).isEqualTo(9);
    }

    @Test
    void waitsForASlotUnderTheBrokersReceiveMaximumAndHandlesWhatArrivedMeanwhileInOrder() throws Exception {
        MqttLink l = link(Duration.ofSeconds(10));
        onMessage = topic -> l.publish("out/" + messages.size(), new byte[]{1}, 1);
        ScriptedBroker.Session s = connected(l, false, 1);
        s.send(publish("env/a/data", "a", 0, 0), publish("env/b/data", "b", 0, 0), publish("env/c/data", "c", 0, 0));
        MqttPublish first = (MqttPublish) MqttWireMessage.createWireMessage(s.readRaw());
        assertThat(first.getTopicName()).isEqualTo("out/1");
        // One slot: nothing more may come until the broker acknowledges the first.
        assertThat(s.readRawWithin(300)).isNull();
        s.send(new MqttPubAck(0, first.getMessageId(), new MqttProperties()));
        MqttPublish second = (MqttPublish) s.read();
        assertThat(second.getTopicName()).isEqualTo("out/2");
        s.send(new MqttPubAck(0, second.getMessageId(), new MqttProperties()));
        MqttPublish third = (MqttPublish) s.read();
        assertThat(third.getTopicName()).isEqualTo("out/3");
        assertThat(messages).containsExactly("env/a/data a", "env/b/data b", "env/c/data c");
    }

    @Test
    void aFullWindowThatNeverFreesFailsThePublishAfterTheSendWait() throws Exception {
        MqttLink l = link(Duration.ofSeconds(10));
        List<Boolean> sent = new CopyOnWriteArrayList<>();
        onMessage = topic -> sent.add(l.publish("out", new byte[]{1}, 1));
        ScriptedBroker.Session s = connected(l, false, 1);
        s.send(publish("env/a/data", "a", 0, 0), publish("env/b/data", "b", 0, 0));
        await().atMost(TIMEOUT).until(() -> sent.size() == 2);
        assertThat(sent).containsExactly(true, false);
        assertThat(l.isConnected()).isTrue();
    }

    @Test
    void unacknowledgedCommandsAreSentAgainMarkedDuplicateWhenTheSessionSurvived() throws Exception {
        MqttLink l = link(Duration.ofSeconds(10));
        onMessage = topic -> l.publish("sorters/s1/divert", "{\"chute\":5}".getBytes(StandardCharsets.UTF_8), 1);
        ScriptedBroker.Session s = connected(l, false, null);
        s.send(publish("sorters/s1/induction", "{\"seq\":1}", 0, 0));
        byte[] sent = s.readRaw();
        MqttPublish divert = (MqttPublish) MqttWireMessage.createWireMessage(sent);
        assertThat(sent[0] & 0x08).isZero();
        s.close();
        await().atMost(TIMEOUT).until(() -> lost.size() == 1);

        CompletableFuture<Void> again = connectAsync(l);
        ScriptedBroker.Session s2 = broker.accept();
        s2.connAck(true, 0, null);
        byte[] again2 = s2.readRaw();
        MqttPublish resent = (MqttPublish) MqttWireMessage.createWireMessage(again2);
        assertThat(again2[0] & 0x08).as("DUP flag").isEqualTo(0x08);
        assertThat(resent.getMessageId()).isEqualTo(divert.getMessageId());
        assertThat(resent.getMessage().getPayload()).isEqualTo(divert.getMessage().getPayload());
        s2.subAck(1);
        again.get(5, TimeUnit.SECONDS);
        assertThat(unsent).hasValue(0);
    }

    @Test
    void unacknowledgedCommandsAreCountedAsUnsentWhenTheSessionWasLost() throws Exception {
        MqttLink l = link(Duration.ofSeconds(10));
        onMessage = topic -> l.publish("sorters/s1/divert", new byte[]{1}, 1);
        ScriptedBroker.Session s = connected(l, false, null);
        s.send(publish("sorters/s1/induction", "{\"seq\":1}", 0, 0));
        assertThat(s.read()).isInstanceOf(MqttPublish.class);
        s.close();
        await().atMost(TIMEOUT).until(() -> lost.size() == 1);

        CompletableFuture<Void> again = connectAsync(l);
        ScriptedBroker.Session s2 = broker.accept();
        s2.connAck(false, 0, null);
        assertThat(s2.read()).isInstanceOf(MqttSubscribe.class);
        assertThat(unsent).hasValue(1);
        again.cancel(true);
    }

    @Test
    void anIdleLinkPingsAndDropsABrokerThatDoesNotAnswer() throws Exception {
        MqttLink l = link(Duration.ofSeconds(2));
        ScriptedBroker.Session s = connected(l, false, null);
        byte[] ping = s.readRaw();
        assertThat(ping[0] & 0xff).isEqualTo(0xC0);
        await().atMost(TIMEOUT).until(() -> lost.size() == 1);
        assertThat(lost.get(0)).contains("did not answer a ping");
        assertThat(bad).isEmpty();
        assertThat(s.closedByClient()).isTrue();
    }

    @Test
    void aBrokerThatAnswersItsPingsKeepsTheLink() throws Exception {
        MqttLink l = link(Duration.ofSeconds(2));
        ScriptedBroker.Session s = connected(l, false, null);
        for (int i = 0; i < 3; i++) {
            assertThat(s.readRaw()[0] & 0xff).isEqualTo(0xC0);
            s.send(new byte[]{(byte) 0xD0, 0});
        }
        assertThat(lost).isEmpty();
        assertThat(l.isConnected()).isTrue();
    }

    @Test
    void aRefusedConnectionFailsTheConnectWithTheReasonCode() throws Exception {
        CompletableFuture<Void> connecting = connectAsync(link(Duration.ofSeconds(10)));
        broker.accept().connAck(false, 0x87, null);
        assertThatThrownBy(() -> connecting.get(5, TimeUnit.SECONDS)).hasMessageContaining("refused the connection")
                .hasMessageContaining("0x87");
        assertThat(link.isConnected()).isFalse();
    }

    @Test
    void aRefusedSubscriptionFailsTheConnectNamingTheFilter() throws Exception {
        CompletableFuture<Void> connecting = connectAsync(link(Duration.ofSeconds(10)));
        ScriptedBroker.Session s = broker.accept();
        s.connAck(false, 0, null);
        s.subAck(0x87);
        assertThatThrownBy(() -> connecting.get(5, TimeUnit.SECONDS)).hasMessageContaining("refused the subscription sorters/s1/induction");
        assertThat(lost).isEmpty();
    }

    @Test
    void aBrokerDisconnectIsALossNotABadPacket() throws Exception {
        ScriptedBroker.Session s = connected(link(Duration.ofSeconds(10)), false, null);
        s.send(new MqttDisconnect(0x8B, new MqttProperties()));
        await().atMost(TIMEOUT).until(() -> lost.size() == 1);
        assertThat(lost.get(0)).contains("disconnected").contains("0x8b");
        assertThat(bad).isEmpty();
    }

    static Stream<Arguments> badPackets() throws MqttException {
        MqttMessage qos2 = new MqttMessage(new byte[]{1});
        qos2.setQos(2);
        MqttPublish exactlyOnce = new MqttPublish("env/a/data", qos2, new MqttProperties());
        exactlyOnce.setMessageId(3);
        MqttSubscribe subscribe = new MqttSubscribe(new MqttSubscription("x", 1), new MqttProperties());
        subscribe.setMessageId(4);
        int tooBig = MqttLink.MAX_PACKET + 10;
        return Stream.of(
                Arguments.of("a remaining length of five bytes", new byte[]{0x30, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01},
                        "remaining length longer than 4 bytes"),
                Arguments.of("a packet above the announced maximum", new byte[]{0x30, (byte) (0x80 | tooBig & 0x7f),
                        (byte) (0x80 | tooBig >> 7 & 0x7f), (byte) (tooBig >> 14)}, "above the maximum"),
                Arguments.of("a QoS 2 message", exactlyOnce.serialize(), "QoS 2"),
                Arguments.of("a message whose topic runs past the packet", new byte[]{0x30, 0x03, 0x00, 0x10, 0x61}, "malformed"),
                Arguments.of("a message without a topic", new byte[]{0x30, 0x04, 0x00, 0x00, 0x00, 0x41}, "without a topic"),
                Arguments.of("reserved packet type 0", new byte[]{0x00, 0x00}, "malformed"),
                Arguments.of("a message on a wildcard topic", new byte[]{0x30, 0x06, 0x00, 0x03, 0x61, 0x2f, 0x23, 0x00}, "wildcard"),
                Arguments.of("a PUBACK without its packet id", new byte[]{0x40, 0x01, 0x01}, "without a packet id"),
                Arguments.of("a SUBSCRIBE from the broker", subscribe.serialize(), "unexpected SUBSCRIBE"),
                Arguments.of("a second CONNACK", new MqttConnAck(false, 0, new MqttProperties()).serialize(), "unexpected CONNACK"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPackets")
    void aBadPacketIsKeptWithItsBytesAndDropsTheConnectionAndWhatFollowsIt(String what, byte[] packet, String reason)
            throws Exception {
        MqttLink l = link(Duration.ofSeconds(10));
        ScriptedBroker.Session s = connected(l, false, null);
        s.send(publish("env/a/data", "before", 0, 0), packet, publish("env/a/data", "after", 0, 0));
        await().atMost(TIMEOUT).until(() -> lost.size() == 1);
        assertThat(bad).hasSize(1);
        assertThat(bad.get(0)).startsWith(HexFormat.of().formatHex(packet, 0, Math.min(packet.length, 4))).contains(reason);
        assertThat(lost.get(0)).contains(reason);
        assertThat(messages).containsExactly("env/a/data before");
        assertThat(s.closedByClient()).isTrue();

        // The next connection works (the driver's reconnect loop makes it).
        ScriptedBroker.Session s2 = connected(l, true, null);
        s2.send(publish("env/a/data", "again", 1, 1));
        assertThat(((MqttPubAck) s2.read()).getMessageId()).isEqualTo(1);
        assertThat(messages).containsExactly("env/a/data before", "env/a/data again");
    }

    @Test
    void closingSendsDisconnectAndReportsNoLoss() throws Exception {
        MqttLink l = link(Duration.ofSeconds(10));
        ScriptedBroker.Session s = connected(l, false, null);
        l.close();
        assertThat(s.read()).isInstanceOf(MqttDisconnect.class);
        assertThat(s.closedByClient()).isTrue();
        assertThat(lost).isEmpty();
        assertThat(l.publish("out", new byte[]{1}, 0)).isFalse();
        link = null;
    }
}
