package io.wareedge.warehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wareedge.edge.EdgeAgent;
import io.wareedge.edge.config.AgentConfigLoader;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.sim.conveyor.ConveyorPlcSimulator;
import io.wareedge.sparkplug.Metric;
import io.wareedge.sparkplug.Payload;
import io.wareedge.sparkplug.PayloadCodec;
import io.wareedge.sparkplug.MessageCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OPC UA benchmark: one conveyor PLC simulator (a Milo server) with {@code --segments} segments of 9 tags each, one
 * edge agent subscribed to all of them (current, temperature and jam sampled every 20 ms), a Sparkplug observer
 * on the uplink broker. All in one JVM on this machine.
 *
 * <p>Prints: value changes per second the agent turned into readings and sent, the delay from a value's source
 * timestamp on the PLC to its DDATA arriving at the observer (p50/p99/max), and, over {@code --jams} jams of
 * segment 2, the time from injecting the jam on the PLC to segment 1's run command being off on the PLC, next to
 * the agent's own part (rule fired → write acknowledged).
 *
 * <p>Run: {@code ./bench opcua [--segments=200] [--duration=20] [--warmup=10] [--jams=50]}
 */
public final class OpcUaBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        BenchArgs.quietLogging();
        Map<String, String> a = BenchArgs.parse(args);
        int segments = Integer.parseInt(a.getOrDefault("segments", "200"));
        int duration = Integer.parseInt(a.getOrDefault("duration", "20"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "10"));
        int jams = Integer.parseInt(a.getOrDefault("jams", "50"));
        Path work = BenchArgs.workDir("wareedge-opcua-bench", a);
        Path profiles = Files.createDirectories(work.resolve("profiles"));
        String conveyor = new String(OpcUaBench.class.getResourceAsStream("/profiles/conveyor-plc-opcua.yaml").readAllBytes())
                .replace("id: conveyor-plc-opcua", "id: bench-conveyor")
                .replaceAll("samplingInterval: [0-9]+m?s", "samplingInterval: 20ms");
        Files.writeString(profiles.resolve("bench-conveyor.yaml"), conveyor);
        System.out.printf("OPC UA bench: %d segments x 9 tags = %d monitored items, sampling 20 ms, publishing 50 ms; %d s after %d s warm-up; %d jams%n",
                segments, segments * 9, duration, warmup, jams);

        StringBuilder devices = new StringBuilder();
        for (int s = 1; s <= segments; s++) {
            devices.append("  - { name: seg-").append(s).append(", profile: bench-conveyor, server: plc, address: { line: \"1\", segment: \"")
                    .append(s).append("\" } }\n");
        }
        ConveyorPlcSimulator.Settings settings = new ConveyorPlcSimulator.Settings(1, segments, 4.0, 1.0, Duration.ofMillis(20));
        try (ConveyorPlcSimulator plc = ConveyorPlcSimulator.start(0, settings);
             EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(work.resolve("broker"), 0)) {
            Baseline bare = Baseline.run(plc.endpointUrl(), segments, warmup, duration);
            System.out.printf("%nbaseline, a bare Milo client on the same %d items: %,.0f value changes/s, PLC source time → client: %s%n",
                    segments * 9, bare.perSecond(), summary(bare.latencies(), bare.latencies().length));
            Observer observer = new Observer(broker.url());
            String yaml = """
                    site: bench
                    agentId: gw-opcua
                    dataDir: agent
                    profileDirs: [%s]
                    uplink: { url: %s, initialBackoff: 100ms, maxBackoff: 2s, maxSamplesPerMessage: 500 }
                    outbox: { maxSize: 512MiB, fsyncEvery: 200ms }
                    opcuaServers:
                      - { name: plc, endpoint: %s, publishingInterval: 50ms }
                    devices:
                    %s
                    interlocks:
                      - name: jam-on-2-stops-1
                        when: { device: seg-2, resource: jam, equals: true }
                        then: { device: seg-1, command: stop }
                    """.formatted(profiles, broker.url(), plc.endpointUrl(), devices.toString().stripTrailing());
            try (EdgeAgent agent = EdgeAgent.start(AgentConfigLoader.parse(yaml, work))) {
                long until = System.currentTimeMillis() + 120_000;
                while (!agent.opcuaDrivers().get(0).isConnected() && System.currentTimeMillis() < until) {
                    Thread.sleep(100);
                }
                Thread.sleep(warmup * 1000L);
                observer.reset();
                long readings0 = agent.counters().readings.sum();
                long t0 = System.nanoTime();
                observer.recording.set(true);
                Thread.sleep(duration * 1000L);
                observer.recording.set(false);
                double seconds = (System.nanoTime() - t0) / 1e9;
                long readings = agent.counters().readings.sum() - readings0;
                System.out.printf("%nvalue changes → readings in the agent: %,.0f/s (%.2fx the bare client); metrics arriving upstream: %,.0f/s%n",
                        readings / seconds, readings / seconds / bare.perSecond(), observer.metrics.get() / seconds);
                System.out.printf("PLC source timestamp → DDATA at the observer: %s (n=%,d)%n",
                        summary(observer.latencies, observer.count()), observer.count());

                long[] endToEnd = new long[jams];
                long[] agentPart = new long[jams];
                for (int i = 0; i < jams; i++) {
                    agent.command("seg-1", "start", Map.of()).join();
                    while (!plc.segment(1).runCommand()) {
                        Thread.sleep(1);
                    }
                    int events = observer.interlocks.size();
                    long start = System.nanoTime();
                    plc.jam(2, true);
                    while (plc.segment(1).runCommand()) {
                        Thread.sleep(1);
                    }
                    endToEnd[i] = System.nanoTime() - start;
                    long wait = System.currentTimeMillis() + 10_000;
                    while (observer.interlocks.size() == events && System.currentTimeMillis() < wait) {
                        Thread.sleep(5);
                    }
                    agentPart[i] = observer.interlocks.size() > events
                            ? observer.interlocks.get(observer.interlocks.size() - 1).path("actionMillis").asLong() * 1_000_000 : -1;
                    plc.jam(2, false);
                    Thread.sleep(300); // the rule re-arms once the cleared jam is read
                }
                System.out.printf("jam injected on the PLC → segment 1 stopped on the PLC: %s%n", summary(endToEnd, jams));
                System.out.printf("  of which the agent (rule fired → PLC acknowledged the write): %s%n",
                        summary(Arrays.stream(agentPart).filter(x -> x >= 0).toArray(), -1));
                System.out.printf("  (the rest is the simulator's 20 ms step, the 20 ms sampling and the 50 ms publishing interval)%n");
            }
            observer.close();
        }
    }

    private static String summary(long[] nanos, int n) {
        long[] v = Arrays.copyOf(nanos, n < 0 ? nanos.length : n);
        if (v.length == 0) {
            return "-";
        }
        Arrays.sort(v);
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms", v[v.length / 2] / 1e6,
                v[(int) Math.min(v.length - 1, Math.floor(v.length * 0.99))] / 1e6, v[v.length - 1] / 1e6);
    }

    /** What a bare Milo client subscription on the same items receives: the ceiling the agent is compared with. */
    private record Baseline(double perSecond, long[] latencies) {
        static Baseline run(String endpoint, int segments, int warmupSeconds, int seconds) throws Exception {
            var client = org.eclipse.milo.opcua.sdk.client.OpcUaClient.create(endpoint,
                    eps -> eps.stream().filter(e -> e.getSecurityPolicyUri().equals(
                            org.eclipse.milo.opcua.stack.core.security.SecurityPolicy.None.getUri())).findFirst(),
                    t -> { }, c -> { });
            client.connect();
            AtomicBoolean recording = new AtomicBoolean();
            AtomicLong count = new AtomicLong();
            long[] lat = new long[1 << 21];
            AtomicLong n = new AtomicLong();
            var sub = new org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription(client, 50.0);
            sub.setSubscriptionListener(new org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription.SubscriptionListener() {
                @Override
                public void onDataReceived(org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription s,
                                           java.util.List<org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem> items,
                                           java.util.List<org.eclipse.milo.opcua.stack.core.types.builtin.DataValue> values) {
                    if (!recording.get()) {
                        return;
                    }
                    long now = System.currentTimeMillis();
                    count.addAndGet(values.size());
                    for (var v : values) {
                        long i = n.getAndIncrement();
                        if (i < lat.length && v.sourceTime() != null) {
                            lat[(int) i] = (now - v.sourceTime().getJavaTime()) * 1_000_000;
                        }
                    }
                }
            });
            sub.create();
            String[] tags = {"Running", "Speed", "MotorCurrent", "MotorTemp", "ItemCount", "Jam", "FaultCode",
                    "SpeedSetpoint", "RunCmd"};
            for (int seg = 1; seg <= segments; seg++) {
                for (String tag : tags) {
                    var item = org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem.newDataItem(
                            org.eclipse.milo.opcua.stack.core.types.builtin.NodeId.parse("ns=2;s=Line1.Seg" + seg + "." + tag));
                    item.setSamplingInterval(20.0);
                    item.setQueueSize(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint(10));
                    sub.addMonitoredItem(item);
                }
            }
            sub.synchronizeMonitoredItems();
            Thread.sleep(Math.min(warmupSeconds, 5) * 1000L);
            recording.set(true);
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            recording.set(false);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            sub.delete();
            client.disconnect();
            return new Baseline(count.get() / elapsed, Arrays.copyOf(lat, (int) Math.min(n.get(), lat.length)));
        }
    }

    /** Records DDATA metrics (count and source-to-arrival delay) and interlock events from the uplink broker. */
    private static final class Observer extends MessageCallback implements AutoCloseable {
        final MqttClient client;
        final AtomicBoolean recording = new AtomicBoolean();
        final AtomicLong metrics = new AtomicLong();
        final java.util.List<JsonNode> interlocks = new java.util.concurrent.CopyOnWriteArrayList<>();
        long[] latencies = new long[1 << 20];
        private int size;

        Observer(String url) throws Exception {
            client = new MqttClient(url, "opcua-bench-observer", new MemoryPersistence());
            client.setCallback(this);
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            client.connect(o);
            client.subscribe(new String[]{"spBv1.0/bench/DDATA/#", "wareedge/bench/+/events/interlock"}, new int[]{0, 1});
        }

        synchronized void reset() {
            size = 0;
            metrics.set(0);
        }

        synchronized int count() {
            return size;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            long now = System.currentTimeMillis();
            if (topic.endsWith("/events/interlock")) {
                for (JsonNode e : JSON.readTree(message.getPayload()).path("events")) {
                    interlocks.add(e);
                }
                return;
            }
            if (!recording.get()) {
                return;
            }
            Payload p = PayloadCodec.decode(message.getPayload());
            synchronized (this) {
                for (Metric m : p.metrics()) {
                    metrics.incrementAndGet();
                    if (m.timestamp() > 0 && size < latencies.length) {
                        latencies[size++] = (now - m.timestamp()) * 1_000_000;
                    }
                }
            }
        }

        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }
}
