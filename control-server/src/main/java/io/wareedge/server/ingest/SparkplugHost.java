package io.wareedge.server.ingest;

import io.wareedge.server.BackgroundThreads;
import io.micronaut.context.annotation.Context;
import io.micronaut.serde.ObjectMapper;
import io.wareedge.server.config.IngestSettings;
import io.wareedge.server.config.MqttSettings;
import io.wareedge.server.config.RegistrySettings;
import io.wareedge.server.deadletter.DeadLetterLog;
import io.wareedge.server.persistence.IngestStore;
import io.wareedge.server.registry.EdgeRegistry;
import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.EdgeNodeId;
import io.wareedge.sparkplug.MessageType;
import io.wareedge.sparkplug.Metric;
import io.wareedge.sparkplug.NodeControl;
import io.wareedge.sparkplug.Payload;
import io.wareedge.sparkplug.PayloadCodec;
import io.wareedge.sparkplug.SparkplugTopic;
import io.wareedge.sparkplug.StatePayload;
import io.wareedge.sparkplug.TcpNoDelaySocketFactory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Sparkplug B 3.0 host application: owns the MQTT connection and the ingest pipeline.
 *
 * <p>Connection: clean start off with a session expiry, so QoS 1 messages that arrive while this host is away (or
 * that it received but had not acknowledged when it crashed) wait at the broker. The will is STATE offline,
 * retained, QoS 1, with the same timestamp as the STATE online published after the subscriptions are in place
 * ({@code spBv1.0/#}, {@code wareedge/+/+/deadletter} and {@code wareedge/+/+/events/+}, through {@code $share/<group>/} when a shared group is
 * configured). Paho reconnects automatically with backoff up to {@code max-reconnect-delay}; a first connection that
 * fails is retried on thread {@value #CONNECT_THREAD} with the same backoff, so the server starts without a broker.
 *
 * <p>Threading: Paho's callback thread only routes each message by topic and hands it to {@link IngestPipeline}
 * (blocking when the pipeline is full: back-pressure to the broker). Manual acknowledgements: a QoS 1 message is
 * acknowledged by the ingest store thread only after the batch holding it is committed to PostgreSQL.
 */
@Context
@Singleton
public final class SparkplugHost implements AutoCloseable {
    static final String CONNECT_THREAD = "wareedge-mqtt-connect";
    private static final Logger LOG = LoggerFactory.getLogger(SparkplugHost.class);

    private final MqttSettings settings;
    private final IngestPipeline pipeline;
    private final IngestCounters counters;
    private final DeadLetterLog deadLetterLog;
    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final byte[] onlineState;
    private final byte[] offlineState;
    private final String stateTopic;
    private final ScheduledExecutorService connector;
    /** Incremented when a connection is lost: acks of messages delivered on an earlier connection are not sent. */
    private final AtomicLong connection = new AtomicLong();
    private volatile boolean connected;
    private volatile boolean closing;

    SparkplugHost(MqttSettings settings, IngestSettings ingestSettings, RegistrySettings registrySettings,
                  IngestStore store, IngestCounters counters, DeadLetterLog deadLetterLog, ObjectMapper json,
                  io.wareedge.server.alerts.Alerts alerts, io.wareedge.server.influx.InfluxExport influx)
            throws MqttException {
        this.settings = settings;
        this.counters = counters;
        this.deadLetterLog = deadLetterLog;
        this.pipeline = new IngestPipeline(ingestSettings, new EdgeRegistry(registrySettings.rebirthInterval()), store,
                counters, deadLetterLog, json,
                // the InfluxDB copy never waits; the alert rules may make ingest wait when they fall behind
                java.util.List.of(influx.telemetryListener(), alerts.telemetryListener()));
        long stateTimestamp = System.currentTimeMillis();
        this.onlineState = new StatePayload(true, stateTimestamp).toJson();
        this.offlineState = new StatePayload(false, stateTimestamp).toJson();
        this.stateTopic = SparkplugTopic.state(settings.hostId()).toString();

        this.options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, (int) Math.max(1, settings.maxReconnectDelay().toSeconds()));
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        options.setSocketFactory(TcpNoDelaySocketFactory.INSTANCE);
        MqttMessage will = new MqttMessage(offlineState, 1, true, null);
        options.setWill(stateTopic, will);

        this.client = new MqttAsyncClient(settings.url(), settings.clientId(), new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(new Callback());
        this.connector = BackgroundThreads.single(CONNECT_THREAD);
        pipeline.start(new Connection());
        connector.execute(() -> connect(1_000));
        LOG.info("Sparkplug host '{}' connecting to {} as client '{}'{}", settings.hostId(), settings.url(),
                settings.clientId(), settings.sharedGroup() == null ? "" : " in shared group " + settings.sharedGroup());
    }

    /** True while connected to the broker with subscriptions in place and STATE online published. */
    public boolean isConnected() {
        return connected;
    }

    /** A snapshot of the ingest pipeline's counters and queue. */
    public IngestHealth health() {
        return new IngestHealth(connected, settings.hostId(), counters.messages(), counters.batches(),
                counters.readingsStored(), counters.duplicates(), counters.seqGaps(), counters.rebirthsRequested(),
                counters.staleDeaths(), counters.redeliveries(), counters.storeFailures(), deadLetterLog.total(),
                rejectsByKind(), pipeline.queueDepth(), pipeline.registry().onlineNodes(), counters.sortEventsStored(),
                counters.sortEventDuplicates());
    }

    private Map<String, Long> rejectsByKind() {
        return deadLetterLog.totalsByKind();
    }

    private void connect(long delayMillis) {
        if (closing) {
            return;
        }
        try {
            client.connect(options).waitForCompletion(15_000);
        } catch (MqttException e) {
            long next = Math.min(delayMillis * 2, settings.maxReconnectDelay().toMillis());
            LOG.warn("cannot connect to MQTT broker {} ({}); retrying in {} ms", settings.url(), e.getMessage(), delayMillis);
            if (!closing) {
                connector.schedule(() -> connect(next), delayMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void subscribeAndAnnounce() {
        String prefix = settings.sharedGroup() == null ? "" : "$share/" + settings.sharedGroup() + "/";
        MqttSubscription[] subscriptions = {
                new MqttSubscription(prefix + SparkplugTopic.NAMESPACE + "/#", 1),
                new MqttSubscription(prefix + "wareedge/+/+/deadletter", 1),
                new MqttSubscription(prefix + "wareedge/+/+/events/+", 1)
        };
        try {
            client.subscribe(subscriptions, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    publishState();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    LOG.error("subscribing failed: {}; reconnecting", e.toString());
                    reconnectSoon();
                }
            }, new MqttProperties());
        } catch (MqttException e) {
            LOG.error("subscribing failed: {}", e.toString());
            reconnectSoon();
        }
    }

    private void publishState() {
        try {
            client.publish(stateTopic, onlineState, 1, true, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    connected = true;
                    LOG.info("Sparkplug host '{}' online at {} (STATE published on {})", settings.hostId(), settings.url(), stateTopic);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    LOG.warn("publishing STATE online failed: {}", e.toString());
                }
            });
        } catch (MqttException e) {
            LOG.warn("publishing STATE online failed: {}", e.toString());
        }
    }

    private void reconnectSoon() {
        connector.schedule(() -> {
            try {
                if (!closing) {
                    client.disconnect().waitForCompletion(5_000);
                }
            } catch (MqttException ignored) {
                // disconnecting from a broken connection may fail; the reconnect below is what matters
            }
            connect(1_000);
        }, 1, TimeUnit.SECONDS);
    }

    /** Publishes STATE offline, disconnects cleanly (no will), and stops the ingest threads. */
    @PreDestroy
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        connector.shutdownNow();
        try {
            if (client.isConnected()) {
                client.publish(stateTopic, offlineState, 1, true).waitForCompletion(2_000);
                client.disconnect(1_000).waitForCompletion(5_000);
            }
        } catch (MqttException e) {
            LOG.warn("clean MQTT disconnect failed: {}", e.toString());
        }
        pipeline.stop();
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("closing MQTT client: {}", e.toString());
        }
        connected = false;
        LOG.info("Sparkplug host '{}' stopped", settings.hostId());
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            LOG.info("{} MQTT broker {}", reconnect ? "reconnected to" : "connected to", serverURI);
            subscribeAndAnnounce();
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            connection.incrementAndGet();
            connected = false;
            if (!closing) {
                LOG.warn("lost MQTT connection to {}: {}; reconnecting", settings.url(), response);
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            InboundMessage inbound = new InboundMessage(topic, InboundMessage.route(topic), message.getPayload(),
                    message.getId(), message.getQos(), System.currentTimeMillis(), connection.get());
            try {
                pipeline.enqueue(inbound);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT error: {}", exception.toString());
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    private final class Connection implements HostConnection {
        @Override
        public void acknowledge(InboundMessage message) {
            if (message.connection() != connection.get()) {
                return; // delivered on a connection that is gone: the broker redelivers it
            }
            try {
                client.messageArrivedComplete(message.messageId(), message.qos());
            } catch (MqttException e) {
                LOG.debug("ack of message {} not sent: {}", message.messageId(), e.toString());
            }
        }

        @Override
        public void requestRebirth(EdgeNodeId node) {
            long now = System.currentTimeMillis();
            Payload payload = new Payload(now, -1, List.of(Metric.of(NodeControl.REBIRTH, now, DataType.BOOLEAN, true)));
            String topic = SparkplugTopic.node(node.groupId(), MessageType.NCMD, node.edgeNodeId()).toString();
            try {
                client.publish(topic, PayloadCodec.encode(payload), 0, false);
                LOG.info("asked edge node {} for a rebirth", node);
            } catch (MqttException e) {
                LOG.warn("rebirth request to {} not sent: {}", node, e.toString());
            }
        }
    }
}
