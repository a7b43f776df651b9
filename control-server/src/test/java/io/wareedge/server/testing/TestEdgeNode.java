package io.wareedge.server.testing;

import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.MessageType;
import io.wareedge.sparkplug.Metric;
import io.wareedge.sparkplug.NodeControl;
import io.wareedge.sparkplug.Payload;
import io.wareedge.sparkplug.PayloadCodec;
import io.wareedge.sparkplug.SequenceNumbers;
import io.wareedge.sparkplug.SparkplugTopic;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small Sparkplug B edge node for tests: NBIRTH with bdSeq and an NDEATH will, DBIRTH/DDATA/DDEATH with proper
 * seq, answers {@code Node Control/Rebirth} NCMDs with a fresh NBIRTH and DBIRTHs, and can misbehave on request
 * (skip a seq, replay bytes, publish an NDEATH of an old session, die without DISCONNECT).
 *
 * <p>Data metrics carry a {@code readingId} property from a per-node counter, as the WareEdge agent does.
 */
public final class TestEdgeNode implements AutoCloseable {
    private static final long TIMEOUT = 10_000;

    private final String brokerUrl;
    private final String group;
    private final String node;
    private final Map<String, DeviceBirth> devices = new LinkedHashMap<>();
    private final AtomicInteger rebirthRequests = new AtomicInteger();
    private final AtomicLong readingIds = new AtomicLong(1);
    private final ExecutorService rebirthExecutor;
    private MqttAsyncClient client;
    private long bdSeq = -1;
    private long seq = -1;

    private record DeviceBirth(String profile, String kind, List<Metric> metrics) {
    }

    private TestEdgeNode(String brokerUrl, String group, String node) {
        this.brokerUrl = brokerUrl;
        this.group = group;
        this.node = node;
        this.rebirthExecutor = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-node-" + node + "-rebirth"));
    }

    /** Connects (with the NDEATH will) and publishes NBIRTH; devices are born with {@link #deviceBirth}. */
    public static TestEdgeNode start(String brokerUrl, String group, String node) throws MqttException {
        TestEdgeNode n = new TestEdgeNode(brokerUrl, group, node);
        n.connect();
        return n;
    }

    public String group() {
        return group;
    }

    public String node() {
        return node;
    }

    public long bdSeq() {
        return bdSeq;
    }

    public int rebirthRequests() {
        return rebirthRequests.get();
    }

    /** A new MQTT connection: next bdSeq, its NDEATH as will, NBIRTH, then DBIRTH of every device born before. */
    public synchronized void connect() throws MqttException {
        bdSeq = SequenceNumbers.next(bdSeq);
        client = new MqttAsyncClient(brokerUrl, group + "-" + node + "-" + bdSeq, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        o.setWill(topic(MessageType.NDEATH, null), new MqttMessage(PayloadCodec.encode(deathPayload(bdSeq)), 1, false, null));
        client.setCallback(new Callback());
        client.connect(o).waitForCompletion(TIMEOUT);
        client.subscribe(topic(MessageType.NCMD, null), 1).waitForCompletion(TIMEOUT);
        birth();
    }

    /** NBIRTH (seq 0) and the DBIRTHs of every known device. */
    public synchronized void birth() throws MqttException {
        seq = -1;
        long now = System.currentTimeMillis();
        publish(topic(MessageType.NBIRTH, null), new Payload(now, nextSeq(), List.of(
                Metric.of(NodeControl.BD_SEQ, now, DataType.INT64, bdSeq),
                Metric.of(NodeControl.REBIRTH, now, DataType.BOOLEAN, false),
                Metric.of("Node/Uptime", now, DataType.INT64, 42L))));
        for (Map.Entry<String, DeviceBirth> d : devices.entrySet()) {
            publishDeviceBirth(d.getKey(), d.getValue());
        }
    }

    /** DBIRTH with {@code Device/Profile}, {@code Device/Kind} and the given metrics (give them an engUnit property as needed). */
    public synchronized void deviceBirth(String device, String profile, String kind, List<Metric> metrics) throws MqttException {
        DeviceBirth b = new DeviceBirth(profile, kind, metrics);
        devices.put(device, b);
        publishDeviceBirth(device, b);
    }

    private void publishDeviceBirth(String device, DeviceBirth b) throws MqttException {
        long now = System.currentTimeMillis();
        List<Metric> metrics = new ArrayList<>();
        metrics.add(Metric.of("Device/Profile", now, DataType.STRING, b.profile()));
        if (b.kind() != null) {
            metrics.add(Metric.of("Device/Kind", now, DataType.STRING, b.kind()));
        }
        metrics.addAll(b.metrics());
        publish(topic(MessageType.DBIRTH, device), new Payload(now, nextSeq(), metrics));
    }

    /** DDATA; each metric without a readingId gets a fresh one. Returns the bytes sent, for replays. */
    public synchronized byte[] deviceData(String device, List<Metric> metrics) throws MqttException {
        long now = System.currentTimeMillis();
        List<Metric> withIds = new ArrayList<>();
        for (Metric m : metrics) {
            Map<String, Object> props = new LinkedHashMap<>(m.properties());
            if (!props.containsKey(Metric.READING_ID)) {
                props.put(Metric.READING_ID, readingIds.getAndIncrement());
            }
            withIds.add(m.withProperties(props));
        }
        byte[] bytes = PayloadCodec.encode(new Payload(now, nextSeq(), withIds));
        publishBytes(topic(MessageType.DDATA, device), bytes);
        return bytes;
    }

    /** DDATA as a node that numbers no readings sends it (any Sparkplug node but ours): the metrics as they are. */
    public synchronized void deviceDataWithoutReadingIds(String device, List<Metric> metrics) throws MqttException {
        publish(topic(MessageType.DDATA, device), new Payload(System.currentTimeMillis(), nextSeq(), metrics));
    }

    /** NDATA with the node's own metrics (an agent's periodic counters). */
    public synchronized void nodeData(List<Metric> metrics) throws MqttException {
        publish(topic(MessageType.NDATA, null), new Payload(System.currentTimeMillis(), nextSeq(), metrics));
    }

    public synchronized void deviceDeath(String device) throws MqttException {
        devices.remove(device);
        publish(topic(MessageType.DDEATH, device), new Payload(System.currentTimeMillis(), nextSeq(), List.of()));
    }

    /** Consumes one seq without sending it: the host sees a gap. */
    public synchronized void skipSeq() {
        nextSeq();
    }

    /** Publishes an NDEATH carrying the given bdSeq (an old session's, to test that it is ignored). */
    public synchronized void publishDeath(long withBdSeq) throws MqttException {
        publishBytes(topic(MessageType.NDEATH, null), PayloadCodec.encode(deathPayload(withBdSeq)));
    }

    public synchronized void publishBytes(String topic, byte[] bytes) throws MqttException {
        client.publish(topic, bytes, 1, false).waitForCompletion(TIMEOUT);
    }

    /** Drops the connection as a crash would (DISCONNECT with reason "with will message"): the broker sends the NDEATH. */
    public synchronized void crash() throws MqttException {
        client.disconnect(0, null, null, 0x04, new MqttProperties()).waitForCompletion(TIMEOUT);
        client.close();
    }

    public String topic(MessageType type, String device) {
        return (device == null ? SparkplugTopic.node(group, type, node) : SparkplugTopic.device(group, type, node, device)).toString();
    }

    private void publish(String topic, Payload payload) throws MqttException {
        publishBytes(topic, PayloadCodec.encode(payload));
    }

    private long nextSeq() {
        seq = SequenceNumbers.next(seq);
        return seq;
    }

    private static Payload deathPayload(long bdSeq) {
        long now = System.currentTimeMillis();
        return new Payload(now, -1, List.of(Metric.of(NodeControl.BD_SEQ, now, DataType.INT64, bdSeq)));
    }

    @Override
    public synchronized void close() {
        rebirthExecutor.shutdownNow();
        try {
            if (client.isConnected()) {
                client.publish(topic(MessageType.NDEATH, null), PayloadCodec.encode(deathPayload(bdSeq)), 1, false)
                        .waitForCompletion(TIMEOUT);
                client.disconnect().waitForCompletion(TIMEOUT);
            }
            client.close();
        } catch (MqttException e) {
            // closing after a crash() or a broker stop: nothing left to release
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            Payload p = PayloadCodec.decode(message.getPayload());
            Metric rebirth = p.metric(NodeControl.REBIRTH);
            if (rebirth != null && Boolean.TRUE.equals(rebirth.value())) {
                rebirthRequests.incrementAndGet();
                // Not on Paho's callback thread: publishing waits for acknowledgements that thread delivers.
                rebirthExecutor.execute(() -> {
                    try {
                        birth();
                    } catch (MqttException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse r) {
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
        }

        @Override
        public void deliveryComplete(IMqttToken t) {
        }

        @Override
        public void connectComplete(boolean reconnect, String uri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
