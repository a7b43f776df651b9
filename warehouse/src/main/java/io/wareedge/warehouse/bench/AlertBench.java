package io.wareedge.warehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wareedge.edge.EdgeAgent;
import io.wareedge.edge.config.AgentConfigLoader;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.embedded.FreePorts;
import io.wareedge.profiles.DeviceProfile;
import io.wareedge.profiles.ProfileLoader;
import io.wareedge.server.ControlServer;
import io.wareedge.sim.DeviceSimulator;
import io.wareedge.sim.SimulatedDevice;
import io.wareedge.sim.conveyor.ConveyorPlcSimulator;
import io.wareedge.sim.faults.Fault;
import io.wareedge.sim.faults.FaultInjector;
import io.wareedge.sim.faults.FaultKind;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fault campaign: the whole alert path under a stream of injected faults of mixed kinds, counted one by one.
 *
 * <p>A conveyor PLC simulator (OPC UA, {@code --segments} segments and the line's emergency stop) and MQTT climate
 * sensors feed one edge agent; the agent's Sparkplug uplink feeds the control server (embedded broker, embedded
 * PostgreSQL); a client follows the server's alert stream (SSE). The fault injector hurts a random idle device every
 * {@code --interval}: jams, motor overcurrents (5 s hold), emergency stops, and high temperatures (2 s hold in the
 * bench's copy of the climate profile, 60 s in the shipped one). The campaign acts as maintenance too: it resolves each
 * alert as it arrives, so the next fault on that device is a new alert. E-stops and overcurrents do not overlap: a
 * motor stopped by the e-stop draws no overcurrent, so such a fault would never meet its condition (a first run
 * that allowed it counted 12 overcurrents without an alert, each overlapping an e-stop).
 *
 * <p>Prints, for {@code --faults} faults: faults with exactly one alert, missed faults, duplicates, alerts that no
 * fault explains; and the latency from the reading at the edge that made the alert due (the first reading that met
 * the condition, plus the rule's hold time) to the raised event arriving on the stream: p50, p99, max.
 *
 * <p>Run: {@code ./bench alerts [--faults=100] [--segments=20] [--sensors=4] [--interval=1500ms]}
 */
public final class AlertBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SITE = "bench";
    private static final String AGENT = "gw-alerts";

    /** The rule each fault kind must raise, and its hold time. */
    private record Expected(String rule, long holdMillis) {
    }

    private static final Map<FaultKind, Expected> EXPECTED = Map.of(
            FaultKind.JAM, new Expected("jam", 0),
            FaultKind.OVERCURRENT, new Expected("motorOvercurrent", 5_000),
            FaultKind.EMERGENCY_STOP, new Expected("emergencyStop", 0),
            FaultKind.HIGH_TEMPERATURE, new Expected("highTemperature", 2_000));

    /** A raised event as the stream delivered it. */
    private record Raised(long alertId, String source, String rule, Instant conditionSince, long arrivedAtMillis) {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs.quietLogging();
        Map<String, String> a = BenchArgs.parse(args);
        int faults = Integer.parseInt(a.getOrDefault("faults", "100"));
        int segments = Integer.parseInt(a.getOrDefault("segments", "20"));
        int sensors = Integer.parseInt(a.getOrDefault("sensors", "4"));
        Duration interval = io.wareedge.profiles.Durations.parse(a.getOrDefault("interval", "1500ms"));
        Path work = BenchArgs.workDir("wareedge-alert-bench", a);
        Path profiles = Files.createDirectories(work.resolve("profiles"));
        String climate = new String(AlertBench.class.getResourceAsStream("/profiles/zigbee2mqtt-temp-humidity.yaml")
                .readAllBytes(), StandardCharsets.UTF_8)
                .replace("id: zigbee2mqtt-temp-humidity", "id: bench-climate")
                .replace("    for: 60s", "    for: 2s");
        Files.writeString(profiles.resolve("bench-climate.yaml"), climate);
        DeviceProfile climateProfile = ProfileLoader.load(profiles.resolve("bench-climate.yaml"));
        System.out.printf("alert campaign: %d faults, one every %d ms, over %d conveyor segments + the line e-stop (OPC UA)"
                + " and %d climate sensors (MQTT)%n", faults, interval.toMillis(), segments, sensors);

        StringBuilder devices = new StringBuilder();
        for (int s = 1; s <= segments; s++) {
            devices.append("  - { name: seg-").append(s).append(", profile: conveyor-plc-opcua, server: plc, area: line-1,"
                    + " address: { line: \"1\", segment: \"").append(s).append("\" } }\n");
        }
        devices.append("  - { name: line-1, profile: conveyor-line-opcua, server: plc, area: line-1, address: { line: \"1\" } }\n");
        for (int s = 1; s <= sensors; s++) {
            devices.append("  - { name: climate-").append(s).append(", profile: bench-climate, broker: floor, area: storage-")
                    .append(s).append(", address: { device: th-").append(s).append(" } }\n");
        }
        ConveyorPlcSimulator.Settings plcSettings = new ConveyorPlcSimulator.Settings(1, segments, 4.0, 1.0,
                Duration.ofMillis(50));
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(work.resolve("broker"), 0);
             ConveyorPlcSimulator plc = ConveyorPlcSimulator.start(0, plcSettings);
             ControlServer server = ControlServer.start(Map.of(
                     "micronaut.server.port", FreePorts.pick(),
                     "wareedge.mqtt.url", broker.url(),
                     "wareedge.data-dir", work.resolve("server").toString(),
                     "wareedge.admin-password", "bench",
                     "wareedge.alerts.profile-dirs", List.of(profiles.toString()),
                     // Floods are about many faults in one area; this campaign counts alerts per fault, and tests
                     // cover floods on their own.
                     "wareedge.alerts.flood-limit", "100000",
                     "wareedge.alerts.escalate-after", "1h"))) {
            String yaml = """
                    site: %s
                    agentId: %s
                    dataDir: agent
                    profileDirs: [%s]
                    uplink: { url: %s, initialBackoff: 100ms, maxBackoff: 2s }
                    outbox: { maxSize: 256MiB, fsyncEvery: 200ms }
                    deviceBrokers:
                      - { name: floor, url: %s }
                    opcuaServers:
                      - { name: plc, endpoint: %s, publishingInterval: 100ms }
                    devices:
                    %s
                    """.formatted(SITE, AGENT, profiles, broker.url(), broker.url(), plc.endpointUrl(),
                    devices.toString().stripTrailing());
            List<SimulatedDevice> simulated = new ArrayList<>();
            for (int s = 1; s <= sensors; s++) {
                simulated.add(new SimulatedDevice("climate-" + s, climateProfile, Map.of("device", "th-" + s), s));
            }
            try (EdgeAgent agent = EdgeAgent.start(AgentConfigLoader.parse(yaml, work));
                 DeviceSimulator simulator = new DeviceSimulator("bench", broker.url(), simulated,
                         new DeviceSimulator.SimulationSettings(1, 0, 7));
                 Stream stream = new Stream(server.url().resolve("/api/alerts/stream"), server.adminUser(), "bench")) {
                simulator.start();
                Map<String, Integer> segmentNames = new LinkedHashMap<>();
                for (int s = 1; s <= segments; s++) {
                    segmentNames.put("seg-" + s, s);
                }
                try (FaultInjector injector = new FaultInjector().addConveyorSegments(plc, segmentNames)
                        .addConveyorLine(plc, "line-1").addSimulatedDevices(simulator)) {
                    awaitDevicesOnline(server, segments + 1 + sensors);
                    Thread.sleep(3_000); // let start-up conditions (offline until born) settle
                    stream.raised.clear();
                    stream.resolving = true;
                    List<Fault> injected = campaign(injector, faults, interval, segments, sensors);
                    Thread.sleep(8_000); // the last faults' alerts, and any stray ones, arrive
                    report(injected, stream.raised);
                }
            }
        }
    }

    private static List<Fault> campaign(FaultInjector injector, int count, Duration interval, int segments, int sensors)
            throws InterruptedException {
        Random random = new Random(42);
        List<Fault> injected = new ArrayList<>();
        Map<String, Long> busyUntil = new HashMap<>();
        List<FaultKind> kinds = List.of(FaultKind.JAM, FaultKind.OVERCURRENT, FaultKind.EMERGENCY_STOP,
                FaultKind.HIGH_TEMPERATURE);
        while (injected.size() < count) {
            FaultKind kind = kinds.get(random.nextInt(kinds.size()));
            String device = switch (kind) {
                case EMERGENCY_STOP -> "line-1";
                case HIGH_TEMPERATURE -> "climate-" + (1 + random.nextInt(sensors));
                default -> "seg-" + (1 + random.nextInt(segments));
            };
            long now = System.currentTimeMillis();
            if (busyUntil.getOrDefault(device, 0L) > now) {
                continue;
            }
            // An e-stop stops the motors, and a stopped motor draws no overcurrent: overlapping the two would inject
            // a fault that never meets its condition. Real, but not what this campaign counts.
            if ((kind == FaultKind.OVERCURRENT && busyUntil.getOrDefault("line-1", 0L) > now)
                    || (kind == FaultKind.EMERGENCY_STOP && busyUntil.getOrDefault("overcurrent", 0L) > now)) {
                continue;
            }
            long holdMillis = EXPECTED.get(kind).holdMillis();
            Duration duration = Duration.ofMillis(holdMillis + 2_000 + random.nextInt(2_000));
            injected.add(injector.inject(device, kind, duration));
            // The device rests after the fault: the cleared condition reaches the server before the next one.
            busyUntil.put(device, now + duration.toMillis() + 3_000);
            if (kind == FaultKind.OVERCURRENT) {
                busyUntil.merge("overcurrent", now + duration.toMillis() + 1_000, Math::max);
            }
            Thread.sleep(interval.toMillis());
        }
        return injected;
    }

    private static void report(List<Fault> faults, List<Raised> raised) {
        String prefix = SITE + "/" + AGENT + "/";
        List<Raised> unexplained = new ArrayList<>(raised);
        int exactlyOne = 0;
        int missed = 0;
        int duplicated = 0;
        List<Long> latencies = new ArrayList<>();
        List<Long> fromFirstReading = new ArrayList<>();
        List<Long> withoutHold = new ArrayList<>();
        for (Fault f : faults) {
            Expected e = EXPECTED.get(f.kind());
            long from = f.startedAt().toEpochMilli() - 1_000;
            long to = (f.clearedAt() != null ? f.clearedAt() : f.clearsAt()).toEpochMilli() + 2_000;
            List<Raised> matches = raised.stream().filter(r -> r.source().equals(prefix + f.device())
                    && r.rule().equals(e.rule()) && r.conditionSince().toEpochMilli() >= from
                    && r.conditionSince().toEpochMilli() <= to).toList();
            unexplained.removeAll(matches);
            if (matches.isEmpty()) {
                missed++;
                System.out.printf("  missed: %s %s at %s%n", f.kind(), f.device(), f.startedAt());
            } else {
                if (matches.size() == 1) {
                    exactlyOne++;
                } else {
                    duplicated++;
                    System.out.printf("  %d alerts for one fault: %s %s at %s%n", matches.size(), f.kind(), f.device(),
                            f.startedAt());
                }
                Raised r = matches.get(0);
                latencies.add(r.arrivedAtMillis() - (r.conditionSince().toEpochMilli() + e.holdMillis()));
                fromFirstReading.add(r.arrivedAtMillis() - r.conditionSince().toEpochMilli());
                if (e.holdMillis() == 0) {
                    withoutHold.add(r.arrivedAtMillis() - r.conditionSince().toEpochMilli());
                }
            }
        }
        for (Raised r : unexplained) {
            System.out.printf("  alert without an injected fault: %s %s (condition since %s)%n", r.rule(), r.source(),
                    r.conditionSince());
        }
        Map<FaultKind, Long> perKind = new java.util.TreeMap<>();
        faults.forEach(f -> perKind.merge(f.kind(), 1L, Long::sum));
        System.out.printf("%nfaults injected: %d %s%n", faults.size(), perKind);
        System.out.printf("faults with exactly one alert: %d; missed: %d; with more than one alert: %d; alerts no fault"
                + " explains: %d%n", exactlyOne, missed, duplicated, unexplained.size());
        System.out.printf("alert due at the edge (first reading meeting the condition + hold) → raised on the stream: %s%n",
                summary(latencies));
        System.out.printf("  of which rules without a hold time (jam, e-stop): %s%n", summary(withoutHold));
        System.out.printf("first reading meeting the condition → raised on the stream (includes the hold times): %s%n",
                summary(fromFirstReading));
    }

    private static String summary(List<Long> millis) {
        if (millis.isEmpty()) {
            return "-";
        }
        long[] v = millis.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("p50 %d ms, p99 %d ms, max %d ms (n=%d)", v[v.length / 2],
                v[Math.min(v.length - 1, (int) Math.ceil(v.length * 0.99) - 1)], v[v.length - 1], v.length);
    }

    private static void awaitDevicesOnline(ControlServer server, int expected) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long until = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < until) {
            HttpResponse<String> r = http.send(request(server.url().resolve("/api/devices?state=online"),
                    server.adminUser(), "bench").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && JSON.readTree(r.body()).size() >= expected) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("devices did not come online within 2 minutes");
    }

    private static HttpRequest.Builder request(URI uri, String user, String password) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** Follows the alert stream; resolves each alert as it is raised (playing maintenance). */
    private static final class Stream implements AutoCloseable {
        final List<Raised> raised = new CopyOnWriteArrayList<>();
        final Map<Long, Boolean> resolved = new ConcurrentHashMap<>();
        final HttpClient http = HttpClient.newHttpClient();
        final URI base;
        final String user;
        final String password;
        final Thread reader;
        volatile boolean resolving;
        volatile InputStream body;

        Stream(URI url, String user, String password) {
            this.base = url;
            this.user = user;
            this.password = password;
            this.reader = new Thread(this::read, "bench-alert-stream");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try {
                HttpResponse<InputStream> response = http.send(request(base, user, password)
                        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                body = response.body();
                BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                String event = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isEmpty()) {
                        if ("raised".equals(event)) {
                            long arrived = System.currentTimeMillis();
                            JsonNode e = JSON.readTree(data.toString());
                            JsonNode alert = e.path("alert");
                            raised.add(new Raised(e.path("alertId").asLong(), alert.path("source").asText(),
                                    alert.path("rule").asText(), Instant.parse(alert.path("conditionSince").asText()),
                                    arrived));
                            if (resolving) {
                                resolve(e.path("alertId").asLong());
                            }
                        }
                        event = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
            } catch (Exception e) {
                if (body != null) {
                    System.err.println("alert stream ended: " + e);
                }
            }
        }

        private void resolve(long id) {
            if (resolved.putIfAbsent(id, Boolean.TRUE) != null) {
                return;
            }
            http.sendAsync(request(base.resolve("/api/alerts/" + id + "/resolve"), user, password)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"comment\":\"campaign\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }

        @Override
        public void close() {
            try {
                if (body != null) {
                    body.close();
                }
            } catch (Exception ignored) {
                // closing anyway
            }
            reader.interrupt();
        }
    }
}
