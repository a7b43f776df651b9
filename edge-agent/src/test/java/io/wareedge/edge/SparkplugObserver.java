package io.wareedge.edge;

import io.wareedge.sparkplug.InvalidPayloadException;
import io.wareedge.sparkplug.MessageType;
import io.wareedge.sparkplug.Metric;
import io.wareedge.sparkplug.Payload;
import io.wareedge.sparkplug.PayloadCodec;
import io.wareedge.sparkplug.SparkplugTopic;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test-side Sparkplug host: records every message the edge node publishes, decoded. */
final class SparkplugObserver implements AutoCloseable {

    record Received(SparkplugTopic topic, Payload payload) {
    }

    final List<Received> sparkplug = new CopyOnWriteArrayList<>();
    final List<String> deadLetters = new CopyOnWriteArrayList<>();
    /** Interlock firings as the agent reported them. */
    final List<com.fasterxml.jackson.databind.JsonNode> interlockEvents = new CopyOnWriteArrayList<>();
    /** Sort events by their id (a replay overwrites, so each event is here once), in arrival order of first sight. */
    final java.util.Map<Long, com.fasterxml.jackson.databind.JsonNode> sortEvents = new java.util.concurrent.ConcurrentSkipListMap<>();
    final java.util.concurrent.atomic.AtomicLong sortEventMessages = new java.util.concurrent.atomic.AtomicLong();
    private final MqttClient client;

    SparkplugObserver(String url) throws MqttException {
        client = new MqttClient(url, "observer-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 1);
        o.setCleanStart(false);
        o.setSessionExpiryInterval(3600L);
        // Paho v5's per-subscription listeners are unreliable; one callback routes by topic.
        client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                if (topic.startsWith("spBv1.0/")) {
                    onSparkplug(topic, message);
                } else if (topic.endsWith("/events/sort")) {
                    onSortEvents(message);
                } else if (topic.endsWith("/events/interlock")) {
                    for (com.fasterxml.jackson.databind.JsonNode e : io.wareedge.sortation.SortJson.parse(message.getPayload()).get("events")) {
                        interlockEvents.add(e);
                    }
                } else if (topic.endsWith("/deadletter")) {
                    onDeadLetter(topic, message);
                }
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int code, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
            }
        });
        client.connect(o);
        client.subscribe(new String[]{"spBv1.0/#", "wareedge/#"}, new int[]{1, 1});
    }

    /** Announces a host application's STATE online (retained), as a primary host would. */
    void announceHost(String hostId) throws MqttException {
        announceHost(hostId, true);
    }

    void announceHost(String hostId, boolean online) throws MqttException {
        MqttMessage m = new MqttMessage(new io.wareedge.sparkplug.StatePayload(online, System.currentTimeMillis()).toJson());
        m.setQos(1);
        m.setRetained(true);
        client.publish(SparkplugTopic.state(hostId).toString(), m);
    }

    void publish(String topic, byte[] payload) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        client.publish(topic, m);
    }

    private void onSparkplug(String topic, MqttMessage message) {
        SparkplugTopic t = SparkplugTopic.parse(topic);
        if (t.type() == MessageType.STATE) {
            return;
        }
        try {
            sparkplug.add(new Received(t, PayloadCodec.decode(message.getPayload())));
        } catch (InvalidPayloadException e) {
            throw new AssertionError("edge node published an undecodable payload on " + topic, e);
        }
    }

    void publishRetained(String topic, byte[] payload) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        m.setRetained(true);
        client.publish(topic, m);
    }

    private void onSortEvents(MqttMessage message) {
        sortEventMessages.incrementAndGet();
        com.fasterxml.jackson.databind.JsonNode batch = io.wareedge.sortation.SortJson.parse(message.getPayload());
        for (com.fasterxml.jackson.databind.JsonNode e : batch.get("events")) {
            sortEvents.put(e.get("id").asLong(), e);
        }
    }

    /** Sort events of one type ("decided" or "completed"). */
    List<com.fasterxml.jackson.databind.JsonNode> sortEvents(String type) {
        return sortEvents.values().stream().filter(e -> type.equals(e.get("type").asText())).toList();
    }

    private void onDeadLetter(String topic, MqttMessage message) {
        deadLetters.add(new String(message.getPayload(), StandardCharsets.UTF_8));
    }

    List<Received> of(MessageType type) {
        return sparkplug.stream().filter(r -> r.topic().type() == type).toList();
    }

    /** Every DDATA metric of that name for that device. */
    List<Metric> metrics(String device, String name) {
        List<Metric> out = new ArrayList<>();
        for (Received r : of(MessageType.DDATA)) {
            if (device.equals(r.topic().deviceId())) {
                r.payload().metrics().stream().filter(m -> name.equals(m.name())).forEach(out::add);
            }
        }
        return out;
    }

    @Override
    public void close() throws MqttException {
        client.disconnectForcibly(0, 1000, false);
        client.close(true);
    }
}
