package io.wareedge.edge.driver;

import io.wareedge.edge.config.AgentConfig;
import io.wareedge.edge.connect.ReconnectLoop;
import io.wareedge.edge.ingest.BoundDevice;
import io.wareedge.edge.health.AgentCounters;
import io.wareedge.edge.ingest.DeviceIngest;
import io.wareedge.edge.sortation.SorterSession;
import io.wareedge.profiles.JsonPayloadDecoder;
import io.wareedge.profiles.MqttStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads devices that publish JSON over MQTT (MQTT 5, Eclipse Paho's packet codec in an {@link MqttLink}), as their
 * profiles' streams describe, and hands every message to {@link DeviceIngest}.
 *
 * <p>The session is persistent (clean start off, with an expiry) and subscriptions are QoS 1, so messages published
 * while the agent is down wait in the broker. A message is acknowledged only after it has been handled, which is
 * after the ingest stage has put its readings in the outbox.
 *
 * <p>A sorter's induction, result and chute messages go to its {@link SorterSession}, which answers inductions with
 * divert commands published on this same connection, by the thread that read the induction.
 *
 * <p>Threading: the link's reader thread runs routing, ingest and sortation; the reconnect loop has its own thread.
 */
public final class MqttDeviceDriver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttDeviceDriver.class);
    private static final Duration SEND_WAIT = Duration.ofSeconds(2);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(10);
    private static final int RECEIVE_MAXIMUM = 1000;

    private final AgentConfig.DeviceBroker broker;
    private final List<BoundDevice> devices;
    private final DeviceIngest ingest;
    private final Map<String, Route> exactRoutes = new HashMap<>();
    private final List<Route> templatedRoutes = new ArrayList<>();
    private final Set<String> filters = new LinkedHashSet<>();
    private final MqttLink link;
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
        link = new MqttLink(broker.name(), broker.url(), broker.clientId(), broker.sessionExpiry(), KEEP_ALIVE,
                RECEIVE_MAXIMUM, SEND_WAIT, new Listener(), counters.commandsFailed::add);
        reconnect = new ReconnectLoop("device-broker-" + broker.name(), initialBackoff, maxBackoff, this::connect);
    }

    public void start() {
        reconnect.start();
    }

    public boolean isConnected() {
        return link.isConnected();
    }

    private Void connect() throws IOException {
        link.connect(List.copyOf(filters), CONNECT_TIMEOUT);
        LOG.info("device broker {} connected ({}), {} subscriptions for {} devices", broker.name(), broker.url(),
                filters.size(), devices.size());
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
     * reader thread waits for a slot: back-pressure on the device's messages, never a silently dropped command.
     */
    private boolean send(String topic, byte[] payload, int qos) {
        if (link.publish(topic, payload, qos)) {
            counters.commandsSent.increment();
            return true;
        }
        counters.commandsFailed.increment();
        LOG.warn("command to {} on device broker {} not sent (not connected, or no acknowledgement slot within {})",
                topic, broker.name(), SEND_WAIT);
        return false;
    }

    @Override
    public void close() {
        reconnect.close();
        link.close();
    }

    private final class Listener implements MqttLink.Listener {
        @Override
        public void message(String topic, byte[] payload, boolean duplicate) {
            Optional<Route> route = route(topic);
            if (route.isEmpty()) {
                ingest.unknownDevice(topic, payload);
                return;
            }
            Route r = route.get();
            if (r.sorter() != null) {
                r.sorter().onMessage(r.stream().name(), r.decoder(), topic, payload, MqttDeviceDriver.this::send);
                if (!SorterSession.alsoTelemetry(r.stream().name())) {
                    return;
                }
            }
            ingest.accept(r.device(), r.decoder(), topic, payload, duplicate);
        }

        @Override
        public void lost(String reason) {
            LOG.warn("device broker {} lost: {}", broker.name(), reason);
            ingest.linkLost(devices, "device broker " + broker.name() + " unreachable");
            reconnect.requestConnect();
        }

        @Override
        public void badPacket(byte[] raw, String reason) {
            ingest.badBrokerPacket(broker.name(), raw, reason);
        }
    }
}
