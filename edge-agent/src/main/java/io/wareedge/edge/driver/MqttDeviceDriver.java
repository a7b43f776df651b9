package io.wareedge.edge.driver;

import io.wareedge.edge.config.AgentConfig;
import io.wareedge.edge.connect.ReconnectLoop;
import io.wareedge.edge.ingest.BoundDevice;
import io.wareedge.edge.health.AgentCounters;
import io.wareedge.edge.ingest.DeviceIngest;
import io.wareedge.edge.sortation.SorterSession;
import io.wareedge.profiles.JsonPayloadDecoder;
import io.wareedge.profiles.MqttStream;
import io.wareedge.sparkplug.TcpNoDelaySocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import io.wareedge.sparkplug.MessageCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads devices that publish JSON over MQTT (Eclipse Paho, MQTT 5), as their profiles' streams describe, and hands
 * every message to {@link DeviceIngest}.
 *
 * <p>The session is persistent (clean start off, with an expiry) and subscriptions are QoS 1, so messages published
 * while the agent is down wait in the broker. A message is acknowledged only after {@code messageArrived} returns,
 * which is after the ingest stage has put its readings in the outbox.
 *
 * <p>A sorter's induction, result and chute messages go to its {@link SorterSession}, which answers inductions with
 * divert commands published on this same connection.
 *
 * <p>Threading: Paho's callback thread runs routing, ingest and sortation; the reconnect loop has its own thread.
 */
public final class MqttDeviceDriver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttDeviceDriver.class);
    private static final Duration SEND_WAIT = Duration.ofSeconds(2);
    /** Paho v5 client reason code "too many publishes in progress" (not in MqttException's constants). */
    private static final int MAX_INFLIGHT = 32202;

    private final AgentConfig.DeviceBroker broker;
    private final List<BoundDevice> devices;
    private final DeviceIngest ingest;
    private final Map<String, Route> exactRoutes = new HashMap<>();
    private final List<Route> templatedRoutes = new ArrayList<>();
    private final Set<String> filters = new LinkedHashSet<>();
    private final MqttAsyncClient client;
    private final ReconnectLoop reconnect;
    private final AgentCounters counters;

    /** Where a topic's messages go; {@code sorter} is set for the sortation streams of a sorter. */
    private record Route(BoundDevice device, MqttStream stream, JsonPayloadDecoder decoder, SorterSession sorter) {
    }

    public MqttDeviceDriver(AgentConfig.DeviceBroker broker, List<BoundDevice> devices, DeviceIngest ingest,
                            Duration initialBackoff, Duration maxBackoff) {
        this(broker, devices, ingest, Map.of(), new AgentCounters(), initialBackoff, maxBackoff);
    }

    /**
     * @param sorters the sorter sessions of this broker's sorters, by device name: their induction, result and
     *                chute streams go to the session instead of (chute: as well as) telemetry ingest
     */
    public MqttDeviceDriver(AgentConfig.DeviceBroker broker, List<BoundDevice> devices, DeviceIngest ingest,
                            Map<String, SorterSession> sorters, AgentCounters counters, Duration initialBackoff,
                            Duration maxBackoff) {
        this.broker = broker;
        this.counters = counters;
        this.devices = List.copyOf(devices);
        this.ingest = ingest;
        for (BoundDevice d : devices) {
            for (MqttStream stream : d.profile().mqttStreams()) {
                SorterSession sorter = SorterSession.handles(stream.name()) ? sorters.get(d.name()) : null;
                Route route = new Route(d, stream, JsonPayloadDecoder.forStream(d.profile(), stream.name()), sorter);
                String filter = stream.topic().subscriptionFilter(d.config().address());
                filters.add(filter);
                if (filter.contains("+")) {
                    templatedRoutes.add(route);
                } else if (exactRoutes.putIfAbsent(filter, route) != null) {
                    throw new IllegalArgumentException("devices " + exactRoutes.get(filter).device().name() + " and "
                            + d.name() + " both read topic " + filter + ": give them different addresses");
                }
            }
        }
        try {
            client = new MqttAsyncClient(broker.url(), broker.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("device broker " + broker.name() + ": " + e.getMessage(), e);
        }
        client.setCallback(new Callback());
        reconnect = new ReconnectLoop("device-broker-" + broker.name(), initialBackoff, maxBackoff, this::connect);
    }

    public void start() {
        reconnect.start();
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    private Void connect() throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(broker.sessionExpiry().toSeconds());
        options.setKeepAliveInterval(10);
        options.setConnectionTimeout(10);
        options.setReceiveMaximum(1000);
        options.setSocketFactory(TcpNoDelaySocketFactory.INSTANCE);
        client.connect(options).waitForCompletion(15_000);
        String[] topics = filters.toArray(String[]::new);
        int[] qos = new int[topics.length];
        java.util.Arrays.fill(qos, 1);
        if (topics.length > 0) {
            client.subscribe(topics, qos).waitForCompletion(15_000);
        }
        LOG.info("device broker {} connected ({}), {} subscriptions for {} devices", broker.name(), broker.url(),
                topics.length, devices.size());
        return null;
    }

    private Optional<Route> route(String topic) {
        Route exact = exactRoutes.get(topic);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (Route r : templatedRoutes) {
            Optional<Map<String, String>> vars = r.stream().topic().match(topic);
            if (vars.isPresent() && vars.get().entrySet().containsAll(r.device().config().address().entrySet())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * Publishes a command without waiting for its acknowledgement. When the broker's receive maximum is reached the
     * caller (the callback thread) waits for a slot: back-pressure on the device's messages, never a dropped command.
     */
    private boolean send(String topic, byte[] payload, int qos) {
        long deadline = System.nanoTime() + SEND_WAIT.toNanos();
        while (true) {
            try {
                MqttMessage m = new MqttMessage(payload);
                m.setQos(qos);
                client.publish(topic, m);
                counters.commandsSent.increment();
                return true;
            } catch (MqttException e) {
                if (e.getReasonCode() != MAX_INFLIGHT || System.nanoTime() > deadline) {
                    counters.commandsFailed.increment();
                    LOG.warn("command to {} on device broker {} not sent: {}", topic, broker.name(), e.toString());
                    return false;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                if (Thread.currentThread().isInterrupted()) {
                    counters.commandsFailed.increment();
                    return false;
                }
            }
        }
    }

    @Override
    public void close() {
        reconnect.close();
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("closing device broker {}: {}", broker.name(), e.toString());
        }
    }

    private final class Callback extends MessageCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            Optional<Route> route = route(topic);
            if (route.isEmpty()) {
                ingest.unknownDevice(topic, message.getPayload());
                return;
            }
            Route r = route.get();
            if (r.sorter() != null) {
                r.sorter().onMessage(r.stream().name(), r.decoder(), topic, message.getPayload(), MqttDeviceDriver.this::send);
                if (!SorterSession.alsoTelemetry(r.stream().name())) {
                    return;
                }
            }
            ingest.accept(r.device(), r.decoder(), topic, message.getPayload(), message.isDuplicate());
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("device broker {} lost: {}", broker.name(), response.getReasonString() != null
                    ? response.getReasonString() : String.valueOf(response.getException()));
            ingest.linkLost(devices, "device broker " + broker.name() + " unreachable");
            reconnect.requestConnect();
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("device broker {}: {}", broker.name(), exception.toString());
        }
    }
}
