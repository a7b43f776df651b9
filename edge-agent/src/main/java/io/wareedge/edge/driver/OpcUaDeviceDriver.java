package io.wareedge.edge.driver;

import io.wareedge.edge.config.AgentConfig;
import io.wareedge.edge.config.OpcUaSecurity;
import io.wareedge.edge.health.AgentCounters;
import io.wareedge.edge.ingest.BoundDevice;
import io.wareedge.edge.ingest.DeviceIngest;
import io.wareedge.edge.normalize.Quality;
import io.wareedge.edge.normalize.Reading;
import io.wareedge.profiles.Command;
import io.wareedge.profiles.OpcUaWrite;
import io.wareedge.profiles.Resource;
import io.wareedge.profiles.ResourceValues;
import io.wareedge.profiles.ValueType;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemSynchronizationException;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Reads the devices of one OPC UA server (a PLC) as their profiles say, through a subscription (each resource's
 * sampling interval from its profile; no polling), and writes their commands.
 *
 * <ul>
 *   <li>At every (re)connect every node id of every device is read once: a node the server does not know is
 *   reported per device and resource (counted, logged, dead-lettered) and left out, the rest runs; the values
 *   read are ingested, so a change that happened while the agent was away is not lost.</li>
 *   <li>OPC UA status codes become reading quality: Good → GOOD, Uncertain → UNCERTAIN, Bad → BAD (without a
 *   value).</li>
 *   <li>Connecting is retried with exponential backoff and jitter; once connected, Milo's session keeps
 *   reconnecting, and the subscription is made again on every new session (a restarted PLC has forgotten it).</li>
 * </ul>
 *
 * <p>Threading: one named thread ("opcua-&lt;server&gt;") connects, reads and (re)creates the subscription; Milo's
 * delivery thread hands data changes to {@link DeviceIngest} (synchronized). {@link #command} may be called
 * from any thread.
 */
public final class OpcUaDeviceDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpcUaDeviceDriver.class);

    private final AgentConfig.OpcUaServer server;
    private final java.nio.file.Path identityDir;
    private volatile OpcUaClientIdentity identity;
    private final String applicationUri;
    private final List<Point> points;
    private final List<BoundDevice> devices;
    private final DeviceIngest ingest;
    private final AgentCounters counters;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final ScheduledExecutorService worker;
    private volatile OpcUaClient client;
    private volatile boolean sessionActive;
    private volatile boolean closing;
    /** Owned by the worker thread. */
    private OpcUaSubscription subscription;
    private final Map<OpcUaMonitoredItem, Point> itemPoints = new IdentityHashMap<>();
    /** Devices with at least one node the server has: alive while the subscription delivers. */
    private volatile List<BoundDevice> monitored = List.of();
    private Duration backoff;

    /** One resource of one device at one node. */
    record Point(BoundDevice device, Resource resource, String nodeIdText, NodeId nodeId) {
    }

    /** The outcome of one write of a command: the node and the server's status code (its value and name). */
    public record WriteResult(String nodeId, long statusCode, String status) {
        public boolean good() {
            return StatusCode.of(statusCode).isGood();
        }
    }

    /**
     * @param identityDir where the agent's OPC UA certificate and trust list live (used when the server's
     *                    security is not NONE)
     */
    public OpcUaDeviceDriver(AgentConfig.OpcUaServer server, String agentId, java.nio.file.Path identityDir,
                             List<BoundDevice> devices, DeviceIngest ingest, AgentCounters counters,
                             Duration initialBackoff, Duration maxBackoff) {
        this.server = server;
        this.identityDir = identityDir;
        this.applicationUri = "urn:wareedge:edge-agent:" + agentId;
        this.devices = List.copyOf(devices);
        this.ingest = ingest;
        this.counters = counters;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.backoff = initialBackoff;
        List<Point> all = new ArrayList<>();
        for (BoundDevice d : devices) {
            for (Resource r : d.profile().resources()) {
                if (r.opcua().isEmpty()) {
                    continue;
                }
                String text = r.opcua().get().nodeId(d.config().address());
                all.add(new Point(d, r, text, NodeId.parseOrNull(text)));
            }
        }
        this.points = List.copyOf(all);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opcua-" + server.name());
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        for (Point p : points) {
            if (p.nodeId() == null) {
                badNode(p, "is not a valid node id");
            }
        }
        worker.execute(this::connect);
    }

    public boolean isConnected() {
        return sessionActive;
    }

    /**
     * The agent's certificate for this server's administrator to trust (made at the first secured connect);
     * empty with security NONE or before that.
     */
    public Optional<java.security.cert.X509Certificate> certificate() {
        OpcUaClientIdentity id = identity;
        return id == null ? Optional.empty() : Optional.of(id.certificate);
    }

    /** Where to put a server certificate this agent should trust. */
    public java.nio.file.Path trustedCertificatesDir() {
        return OpcUaClientIdentity.trustedDir(identityDir);
    }

    public boolean serves(String device) {
        return devices.stream().anyMatch(d -> d.name().equals(device));
    }

    public String serverName() {
        return server.name();
    }

    private void connect() {
        if (closing) {
            return;
        }
        try {
            if (server.security() != OpcUaSecurity.NONE && identity == null) {
                identity = OpcUaClientIdentity.loadOrCreate(identityDir, applicationUri);
            }
            OpcUaClientIdentity id = identity;
            OpcUaClient c = OpcUaClient.create(server.endpoint(), this::selectEndpoint, transport -> { },
                    config -> {
                        config.setApplicationName(LocalizedText.english("WareEdge edge agent"))
                                .setApplicationUri(applicationUri)
                                .setRequestTimeout(Unsigned.uint(server.requestTimeout().toMillis()));
                        if (id != null) {
                            config.setKeyPair(id.keyPair)
                                    .setCertificate(id.certificate)
                                    .setCertificateChain(new java.security.cert.X509Certificate[]{id.certificate})
                                    .setCertificateValidator(id.validator);
                        }
                    });
            c.addSessionActivityListener(new SessionActivityListener() {
                @Override
                public void onSessionActive(UaSession session) {
                    sessionActive = true;
                    worker.execute(OpcUaDeviceDriver.this::resync);
                }

                @Override
                public void onSessionInactive(UaSession session) {
                    sessionActive = false;
                    if (!closing) {
                        LOG.warn("OPC UA session to {} ({}) lost; reconnecting", server.name(), server.endpoint());
                        ingest.linkLost(devices, "OPC UA session to " + server.name() + " lost");
                    }
                }
            });
            c.connect();
            client = c;
            backoff = initialBackoff;
            LOG.info("connected to OPC UA server {} at {} ({}), {} devices", server.name(), server.endpoint(),
                    server.security(), devices.size());
        } catch (Exception e) {
            long jittered = (long) (backoff.toMillis() * (0.5 + ThreadLocalRandom.current().nextDouble()));
            LOG.warn("OPC UA server {} at {} not reachable ({}); retrying in {} ms", server.name(), server.endpoint(),
                    e.getMessage(), jittered);
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            if (!closing) {
                worker.schedule(this::connect, jittered, TimeUnit.MILLISECONDS);
            }
        }
    }

    private Optional<EndpointDescription> selectEndpoint(List<EndpointDescription> endpoints) {
        SecurityPolicy policy = server.security() == OpcUaSecurity.NONE ? SecurityPolicy.None : SecurityPolicy.Basic256Sha256;
        MessageSecurityMode mode = switch (server.security()) {
            case NONE -> MessageSecurityMode.None;
            case BASIC256SHA256_SIGN -> MessageSecurityMode.Sign;
            case BASIC256SHA256_SIGN_AND_ENCRYPT -> MessageSecurityMode.SignAndEncrypt;
        };
        return endpoints.stream()
                .filter(e -> policy.getUri().equals(e.getSecurityPolicyUri()) && e.getSecurityMode() == mode)
                .findFirst();
    }

    /** After every new session: read every node once (validating it), then subscribe to the good ones. */
    private void resync() {
        OpcUaClient c = client;
        if (c == null || closing || !sessionActive) {
            return;
        }
        List<Point> valid = new ArrayList<>();
        List<Point> readable = points.stream().filter(p -> p.nodeId() != null).toList();
        try {
            List<DataValue> values = c.readValues(0.0, TimestampsToReturn.Both,
                    readable.stream().map(Point::nodeId).toList());
            Map<BoundDevice, List<Reading>> byDevice = new LinkedHashMap<>();
            for (int i = 0; i < readable.size(); i++) {
                Point p = readable.get(i);
                DataValue v = values.get(i);
                long code = v.statusCode().value();
                if (code == StatusCodes.Bad_NodeIdUnknown || code == StatusCodes.Bad_NodeIdInvalid
                        || code == StatusCodes.Bad_AttributeIdInvalid) {
                    badNode(p, "is not on the server (" + v.statusCode() + ")");
                    continue;
                }
                valid.add(p);
                Reading r = reading(p, v);
                if (r != null) {
                    byDevice.computeIfAbsent(p.device(), k -> new ArrayList<>()).add(r);
                }
            }
            long now = System.currentTimeMillis();
            byDevice.forEach((d, readings) -> ingest.acceptReadings(d, now, readings));
            subscribe(c, valid);
        } catch (UaException | RuntimeException e) {
            LOG.warn("OPC UA server {}: reading and subscribing failed ({}); retrying", server.name(), e.getMessage());
            if (!closing) {
                worker.schedule(this::resync, backoff.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void subscribe(OpcUaClient c, List<Point> valid) throws UaException {
        if (subscription != null) {
            try {
                subscription.delete();
            } catch (UaException | RuntimeException e) {
                // the server that had it may be gone (a restarted PLC): nothing to delete there
            }
            itemPoints.clear();
        }
        OpcUaSubscription s = new OpcUaSubscription(c, (double) server.publishingInterval().toMillis());
        s.setSubscriptionListener(new OpcUaSubscription.SubscriptionListener() {
            @Override
            public void onDataReceived(OpcUaSubscription sub, List<OpcUaMonitoredItem> items, List<DataValue> values) {
                deliver(items, values);
                alive();
            }

            @Override
            public void onKeepAliveReceived(OpcUaSubscription sub) {
                alive();
            }

            @Override
            public void onTransferFailed(OpcUaSubscription sub, StatusCode status) {
                LOG.info("OPC UA server {}: subscription not transferred ({}); subscribing again", server.name(), status);
                worker.execute(OpcUaDeviceDriver.this::resync);
            }
        });
        s.create();
        for (Point p : valid) {
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(p.nodeId());
            item.setSamplingInterval((double) p.resource().opcua().orElseThrow().samplingInterval().toMillis());
            item.setQueueSize(Unsigned.uint(10));
            itemPoints.put(item, p);
            s.addMonitoredItem(item);
        }
        try {
            s.synchronizeMonitoredItems();
        } catch (MonitoredItemSynchronizationException e) {
            e.getCreateResults().forEach(r -> {
                Point p = itemPoints.get(r.monitoredItem());
                if (p != null && r.operationResult().map(StatusCode::isBad).orElse(true)) {
                    badNode(p, "cannot be monitored (" + r.operationResult().map(Object::toString).orElse(
                            String.valueOf(r.serviceResult())) + ")");
                }
            });
        }
        subscription = s;
        monitored = valid.stream().map(Point::device).distinct().toList();
    }

    /**
     * A subscription only reports changes: a device whose tags do not change (an e-stop that is never pressed) is
     * still there while the server keeps publishing, so every publish and keep-alive counts as hearing from it.
     */
    private void alive() {
        for (BoundDevice d : monitored) {
            ingest.deviceSeen(d);
        }
    }

    /** Data changes of one publish: one sample per device. */
    private void deliver(List<OpcUaMonitoredItem> items, List<DataValue> values) {
        Map<BoundDevice, List<Reading>> byDevice = new LinkedHashMap<>();
        Map<BoundDevice, Long> times = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Point p = itemPoints.get(items.get(i));
            if (p == null) {
                continue;
            }
            DataValue v = values.get(i);
            Reading r = reading(p, v);
            if (r != null) {
                byDevice.computeIfAbsent(p.device(), k -> new ArrayList<>()).add(r);
                times.merge(p.device(), timestamp(v), Math::max);
            }
        }
        byDevice.forEach((d, readings) -> ingest.acceptReadings(d, times.get(d), readings));
    }

    private static long timestamp(DataValue v) {
        DateTime t = v.sourceTime() != null && v.sourceTime().isValid() ? v.sourceTime() : v.serverTime();
        return t != null && t.isValid() ? t.getJavaTime() : System.currentTimeMillis();
    }

    /** The reading of one value, or null when it cannot be one (dead-lettered). */
    private Reading reading(Point p, DataValue v) {
        StatusCode status = v.statusCode();
        if (status.isBad()) {
            return new Reading(p.resource().name(), null, Quality.BAD);
        }
        Object raw = v.value() == null ? null : v.value().value();
        ResourceValues.Normalized n = ResourceValues.normalize(p.resource(), raw);
        if (!n.ok()) {
            ingest.rejected(p.device(), p.nodeIdText(), String.valueOf(raw).getBytes(StandardCharsets.UTF_8),
                    "OPCUA_" + n.problem().name(), p.resource().name() + ": " + n.detail());
            return null;
        }
        return new Reading(p.resource().name(), n.value(), status.isGood() ? Quality.GOOD : Quality.UNCERTAIN);
    }

    private void badNode(Point p, String why) {
        String detail = "device " + p.device().name() + " resource " + p.resource().name() + ": node "
                + p.nodeIdText() + " " + why;
        LOG.warn("OPC UA server {}: {}", server.name(), detail);
        ingest.rejected(p.device(), p.nodeIdText(), new byte[0], "OPCUA_BAD_NODE_ID", detail);
    }

    // ---- commands ----

    /**
     * Runs a command of a device's profile: its writes, in order, each with the server's status code. Fails when
     * the device, command or a parameter is unknown, or there is no session.
     */
    public CompletableFuture<List<WriteResult>> command(String device, String commandName, Map<String, Object> parameters) {
        BoundDevice d = devices.stream().filter(x -> x.name().equals(device)).findFirst().orElse(null);
        if (d == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no OPC UA device " + device + " on " + server.name()));
        }
        Command command = d.profile().command(commandName).orElse(null);
        if (command == null || command.opcua().isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("profile " + d.profile().id()
                    + " has no OPC UA command " + commandName));
        }
        OpcUaClient c = client;
        if (c == null || !sessionActive) {
            counters.commandsFailed.increment();
            return CompletableFuture.failedFuture(new IllegalStateException("no session to OPC UA server " + server.name()));
        }
        List<NodeId> nodes = new ArrayList<>();
        List<DataValue> values = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (OpcUaWrite w : command.opcua().get().writes()) {
            String text = w.nodeId(d.config().address());
            Object value = w.constant().orElseGet(() -> parameters.get(w.parameter().orElseThrow()));
            if (value == null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("command " + commandName
                        + " needs parameter " + w.parameter().orElse("?")));
            }
            nodes.add(NodeId.parse(text));
            values.add(DataValue.valueOnly(new Variant(opcUaValue(d, text, value))));
            texts.add(text);
        }
        return c.writeValuesAsync(nodes, values).thenApply(codes -> {
            List<WriteResult> out = new ArrayList<>();
            for (int i = 0; i < codes.size(); i++) {
                StatusCode sc = codes.get(i);
                out.add(new WriteResult(texts.get(i), sc.value(), name(sc)));
                if (sc.isGood()) {
                    counters.commandsSent.increment();
                } else {
                    counters.commandsFailed.increment();
                    LOG.warn("OPC UA write {} = {} on {} refused: {}", texts.get(i), values.get(i).value().value(),
                            server.name(), sc);
                }
            }
            return out;
        });
    }

    /**
     * The variant value for a write: the resource at that node (if the profile reads it) decides the type, so a
     * Float setpoint is written as a Float, not a Double the server would refuse.
     */
    private static Object opcUaValue(BoundDevice d, String nodeIdText, Object value) {
        ValueType type = null;
        for (Resource r : d.profile().resources()) {
            if (r.opcua().isPresent() && r.opcua().get().nodeId(d.config().address()).equals(nodeIdText)) {
                type = r.type();
            }
        }
        if (value instanceof Boolean || type == null) {
            return value instanceof Double x && type == null ? x : value;
        }
        double x = value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString());
        return switch (type) {
            case FLOAT -> (float) x;
            case DOUBLE -> x;
            case INT16 -> (short) x;
            case INT32 -> (int) x;
            case INT64 -> (long) x;
            case UINT16 -> Unsigned.ushort((int) x);
            case UINT32 -> Unsigned.uint((long) x);
            case BOOLEAN -> x != 0;
            default -> value;
        };
    }

    /** The status code's symbolic name (Bad_UserAccessDenied), as OPC UA tools show it. */
    static String name(StatusCode sc) {
        return StatusCodes.lookup(sc.value()).map(n -> n[0]).orElse(String.format("0x%08X", sc.value()));
    }

    @Override
    public void close() {
        closing = true;
        worker.shutdownNow();
        OpcUaClient c = client;
        if (c != null) {
            try {
                c.disconnectAsync().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debug("OPC UA disconnect from {}: {}", server.name(), e.toString());
            }
        }
    }
}
