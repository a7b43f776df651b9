package io.wareedge.sim.conveyor;

import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A conveyor line's PLC as a real OPC UA server (Eclipse Milo): per segment running state, speed, motor current and
 * temperature, a photo-eye item counter, jam flag and fault code, writable run command and speed setpoint; a
 * line-level emergency stop. Items enter at the head of segment 1 and move from segment to segment at each
 * segment's speed; a stopped segment holds the items that reach it.
 *
 * <p>Faults are injected on demand: a jam, overcurrent, a sensor dropout (current and temperature read Bad for a
 * while), an emergency stop, and a PLC restart (the server goes away and comes back on the same port with its
 * values reset, as after a power cycle).
 *
 * <p>Endpoints: {@code opc.tcp://127.0.0.1:<port>/wareedge-plc} with security None and Basic256Sha256 (Sign,
 * SignAndEncrypt) under a self-signed certificate made at start; client certificates are trusted through
 * {@link #trust}. One named thread ("conveyor-plc-L&lt;line&gt;") owns the simulation state.
 */
public final class ConveyorPlcSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConveyorPlcSimulator.class);
    public static final String PATH = "/wareedge-plc";

    /**
     * @param line          the line number in the tag names
     * @param segments      segments on the line
     * @param segmentLength metres from a segment's head to its photo-eye
     * @param itemsPerSecond items arriving at the head of segment 1 while it runs at its setpoint
     * @param tick          simulation step
     */
    public record Settings(int line, int segments, double segmentLength, double itemsPerSecond, Duration tick) {
        public static Settings defaults(int line, int segments) {
            return new Settings(line, segments, 4.0, 1.0, Duration.ofMillis(100));
        }
    }

    private final Settings settings;
    private final int port;
    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final MemoryTrustListManager trustList = new MemoryTrustListManager();
    private final ScheduledExecutorService clock;
    private final Random random = new Random(17);
    private final Segment[] segments;
    private volatile boolean estop;
    private OpcUaServer server;
    private ConveyorNamespace namespace;

    /** State of one segment, owned by the simulation thread (injections go through it too). */
    private static final class Segment {
        boolean jam;
        double overcurrent;
        long dropoutUntilMillis;
        double speed;
        double temperature = 25;
        long itemCount;
        /** Positions (metres from the head) of the items on the segment. */
        final java.util.ArrayList<Double> items = new java.util.ArrayList<>();
        boolean running;
        double current;
    }

    private ConveyorPlcSimulator(Settings settings, int port) throws Exception {
        this.settings = settings;
        this.port = port;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        this.keyPair = generator.generateKeyPair();
        this.certificate = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("WareEdge conveyor PLC simulator")
                .setOrganization("WareEdge")
                .setApplicationUri(applicationUri())
                .addDnsName("localhost")
                .addIpAddress("127.0.0.1")
                .build();
        this.segments = new Segment[settings.segments()];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Segment();
        }
        this.clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "conveyor-plc-L" + settings.line());
            t.setDaemon(true);
            return t;
        });
        startServer();
        long tick = settings.tick().toMillis();
        clock.scheduleAtFixedRate(this::step, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Starts a PLC on {@code port} (0 = a free loopback port). */
    public static ConveyorPlcSimulator start(int port, Settings settings) {
        try {
            return new ConveyorPlcSimulator(settings, port == 0 ? freePort() : port);
        } catch (Exception e) {
            throw new IllegalStateException("conveyor PLC simulator did not start: " + e.getMessage(), e);
        }
    }

    public String endpointUrl() {
        return "opc.tcp://127.0.0.1:" + port + PATH;
    }

    public int port() {
        return port;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Lets a client certificate open Sign / SignAndEncrypt channels. */
    public void trust(X509Certificate clientCertificate) {
        trustList.addTrustedCertificate(clientCertificate);
    }

    private String applicationUri() {
        return "urn:wareedge:sim:conveyor-plc:line" + settings.line();
    }

    private synchronized void startServer() throws Exception {
        var certificateStore = new MemoryCertificateStore();
        var quarantine = new MemoryCertificateQuarantine();
        var factory = new RsaSha256CertificateFactory() {
            @Override
            protected KeyPair createRsaSha256KeyPair() {
                return keyPair;
            }

            @Override
            protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) {
                return new X509Certificate[]{certificate};
            }
        };
        var group = DefaultApplicationGroup.createAndInitialize(trustList, certificateStore, factory,
                new DefaultServerCertificateValidator(trustList, quarantine));
        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        EndpointConfig.Builder base = EndpointConfig.newBuilder()
                .setBindAddress("127.0.0.1")
                .setHostname("127.0.0.1")
                .setBindPort(port)
                .setPath(PATH)
                .setCertificate(certificate)
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS);
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None).build());
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256).setSecurityMode(MessageSecurityMode.Sign).build());
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                .setSecurityMode(MessageSecurityMode.SignAndEncrypt).build());
        OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationUri(applicationUri())
                .setApplicationName(LocalizedText.english("WareEdge conveyor PLC simulator, line " + settings.line()))
                .setProductUri("urn:wareedge:sim:conveyor-plc")
                .setEndpoints(endpoints)
                .setCertificateManager(new DefaultCertificateManager(quarantine, group))
                .setIdentityValidator(AnonymousIdentityValidator.INSTANCE)
                .build();
        OpcUaServer s = new OpcUaServer(config, profile -> new OpcTcpServerTransport(
                OpcTcpServerTransportConfig.newBuilder().build()));
        ConveyorNamespace ns = new ConveyorNamespace(s, settings.line(), settings.segments());
        ns.startup();
        s.startup().get(30, TimeUnit.SECONDS);
        this.server = s;
        this.namespace = ns;
        LOG.info("conveyor PLC simulator (line {}, {} segments) listening on {}", settings.line(), settings.segments(),
                endpointUrl());
    }

    private synchronized void stopServer() {
        if (server != null) {
            namespace.shutdown();
            try {
                server.shutdown().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("PLC simulator shutdown: {}", e.toString());
            }
            server = null;
            namespace = null;
        }
    }

    // ---- injections (run on the simulation thread) ----

    private void onClock(Runnable r) {
        try {
            clock.submit(r).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Segment seg(int number) {
        if (number < 1 || number > segments.length) {
            throw new IllegalArgumentException("segment must be 1.." + segments.length + ", got " + number);
        }
        return segments[number - 1];
    }

    public void jam(int segment, boolean on) {
        onClock(() -> seg(segment).jam = on);
    }

    /** Extra motor current in amperes (0 clears it). */
    public void overcurrent(int segment, double extraAmps) {
        onClock(() -> seg(segment).overcurrent = extraAmps);
    }

    /** Current and temperature of the segment read Bad_SensorFailure for this long. */
    public void sensorDropout(int segment, Duration duration) {
        onClock(() -> seg(segment).dropoutUntilMillis = System.currentTimeMillis() + duration.toMillis());
    }

    public void emergencyStop(boolean on) {
        onClock(() -> estop = on);
    }

    /**
     * Power-cycles the PLC: the server goes away for {@code downFor}, its values reset (counters restart at 0,
     * setpoints and run commands back to their defaults), and it comes back on the same port.
     */
    public void restart(Duration downFor) {
        onClock(() -> {
            stopServer();
            for (int i = 0; i < segments.length; i++) {
                segments[i] = new Segment();
            }
        });
        try {
            Thread.sleep(downFor.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        onClock(() -> {
            try {
                startServer();
            } catch (Exception e) {
                throw new IllegalStateException("PLC simulator restart failed: " + e.getMessage(), e);
            }
        });
    }

    /** What a segment's tags read now (for tests and the demo). */
    public record SegmentView(boolean running, double speed, double current, long itemCount, boolean jam,
                              boolean runCommand, double speedSetpoint) {
    }

    public SegmentView segment(int number) {
        SegmentView[] out = new SegmentView[1];
        onClock(() -> {
            Segment s = seg(number);
            out[0] = new SegmentView(s.running, s.speed, s.current, s.itemCount, s.jam, runCommand(number),
                    setpoint(number));
        });
        return out[0];
    }

    // ---- simulation ----

    private boolean runCommand(int segment) {
        ConveyorNamespace ns = namespace;
        if (ns == null) {
            return false;
        }
        Object v = ns.node("Seg" + segment + ".RunCmd").getValue().value().value();
        return Boolean.TRUE.equals(v);
    }

    private double setpoint(int segment) {
        ConveyorNamespace ns = namespace;
        if (ns == null) {
            return 0;
        }
        Object v = ns.node("Seg" + segment + ".SpeedSetpoint").getValue().value().value();
        return v instanceof Number n ? Math.max(0, Math.min(3, n.doubleValue())) : 0;
    }

    private void step() {
        try {
            ConveyorNamespace ns = namespace;
            if (ns == null || !ns.ready()) {
                return;
            }
            double dt = settings.tick().toMillis() / 1000.0;
            long now = System.currentTimeMillis();
            for (int i = 0; i < segments.length; i++) {
                Segment s = segments[i];
                s.running = runCommand(i + 1) && !estop && !s.jam;
                double target = s.running ? setpoint(i + 1) : 0;
                double ramp = 1.5 * dt; // m/s per step: segments accelerate over about a second
                s.speed = Math.abs(target - s.speed) <= ramp ? target : s.speed + Math.signum(target - s.speed) * ramp;
                s.current = (s.running ? 2.5 + 1.4 * s.speed : 0.1) + s.overcurrent + random.nextGaussian() * 0.05;
                s.temperature += ((28 + 3.5 * s.current) - s.temperature) * dt / 30;
            }
            // items move; the photo-eye at a segment's end counts each item leaving it
            if (segments[0].speed > 0 && random.nextDouble() < settings.itemsPerSecond() * dt * segments[0].speed
                    / Math.max(0.1, setpoint(1))) {
                segments[0].items.add(0.0);
            }
            for (int i = segments.length - 1; i >= 0; i--) {
                Segment s = segments[i];
                var it = s.items.listIterator();
                while (it.hasNext()) {
                    double pos = it.next() + s.speed * dt;
                    if (pos >= settings.segmentLength()) {
                        Segment next = i + 1 < segments.length ? segments[i + 1] : null;
                        if (next == null || next.running) {
                            it.remove();
                            s.itemCount++;
                            if (next != null) {
                                next.items.add(0.0);
                            }
                            continue;
                        }
                        pos = settings.segmentLength(); // held at the end until the next segment runs
                    }
                    it.set(pos);
                }
            }
            DateTime t = DateTime.now();
            set(ns.node("EStop"), estop, StatusCode.GOOD, t);
            for (int i = 0; i < segments.length; i++) {
                Segment s = segments[i];
                String p = "Seg" + (i + 1) + ".";
                StatusCode sensor = now < s.dropoutUntilMillis ? new StatusCode(StatusCodes.Bad_SensorFailure) : StatusCode.GOOD;
                set(ns.node(p + "Running"), s.running, StatusCode.GOOD, t);
                set(ns.node(p + "Speed"), (float) s.speed, StatusCode.GOOD, t);
                set(ns.node(p + "MotorCurrent"), (float) Math.max(0, s.current), sensor, t);
                set(ns.node(p + "MotorTemp"), (float) s.temperature, sensor, t);
                set(ns.node(p + "ItemCount"), Unsigned.uint(s.itemCount & 0xFFFFFFFFL), StatusCode.GOOD, t);
                set(ns.node(p + "Jam"), s.jam, StatusCode.GOOD, t);
                set(ns.node(p + "FaultCode"), (short) (s.jam ? 101 : s.overcurrent > 0 ? 201 : 0), StatusCode.GOOD, t);
            }
        } catch (RuntimeException e) {
            LOG.warn("conveyor PLC simulation step failed: {}", e.toString());
        }
    }

    private static void set(UaVariableNode node, Object value, StatusCode status, DateTime at) {
        DataValue old = node.getValue();
        Object previous = old.value().value();
        // unchanged values keep their source timestamp, as a PLC's tags do
        if (previous != null && previous.equals(value) && old.statusCode().equals(status)) {
            return;
        }
        node.setValue(new DataValue(new Variant(value), status, at, at));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
        stopServer();
    }
}
