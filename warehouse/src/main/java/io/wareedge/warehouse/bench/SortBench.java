package io.wareedge.warehouse.bench;

import io.wareedge.sparkplug.MessageCallback;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wareedge.embedded.MosquittoBroker;
import io.wareedge.sortation.Chute;
import io.wareedge.sortation.SortJson;
import io.wareedge.sortation.SortPlan;
import io.wareedge.sortation.SorterLayout;
import io.wareedge.sortation.UnresolvedAction;
import io.wareedge.sparkplug.TcpNoDelaySocketFactory;


import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;


import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The sorter induction → divert round trip, WareEdge side by side with the peers of {@code ../shared/peers}: the
 * bare broker echo (C) and the Node-RED divert flow, all on one Mosquitto (TCP_NODELAY), all driven by the same
 * Node driver (the peers' rtt.js with the protocol's payload), in interleaved rounds.
 *
 * <p>The shipped sorter profile sends divert commands at QoS 1, which costs the broker an acknowledgement per item;
 * the peers answer at QoS 0. So each QoS has its pair: {@code wareedge} (the shipped profile) against
 * {@code bare-qos1} (the same C echo replying at QoS 1), and {@code wareedge-qos0} (a site profile with QoS 0
 * diverts) against {@code bare}. The ratios are printed for every pair present.
 *
 * <pre>./bench sortation [--rate=1000] [--duration=10] [--warmup=3] [--rounds=5] [--window=500] [--prewarm=30]
 *                  [--sweep=1000,2000,5000,10000,15000,20000|none]
 *                  [--responders=bare,bare-qos1,node-red,wareedge,wareedge-qos0]
 *                  (diagnostic responders: paho-echo, paho-echo-qos1, paho-loop)
 *                  [--peers=../shared/peers] [--node-modules=DIR]</pre>
 */
public final class SortBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_RESPONDERS = "bare,bare-qos1,node-red,wareedge,wareedge-qos0";
    private static final List<Process> CHILDREN = new ArrayList<>();

    private record Responder(String name, String req, String resp, Process process) {
    }

    private SortBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchArgs.parse(args);
        int rate = Integer.parseInt(o.getOrDefault("rate", "1000"));
        int duration = Integer.parseInt(o.getOrDefault("duration", "10"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "3"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "5"));
        int window = Integer.parseInt(o.getOrDefault("window", "500"));
        String sweep = o.getOrDefault("sweep", "1000,2000,5000,10000,15000,20000");
        Path peers = Path.of(o.getOrDefault("peers", "../shared/peers")).toAbsolutePath().normalize();
        Path work = BenchArgs.workDir("wareedge-sortbench", o);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(Process::destroyForcibly), "sortbench-cleanup"));

        Path nodeModules = nodeModules(o.get("node-modules"), work);
        Path driver = extract("bench/sortation/rtt-sort.js", work.resolve("rtt-sort.js"));
        try (MosquittoBroker broker = MosquittoBroker.start(work.resolve("mosquitto"))) {
            brokerPid = broker.pid();
            if (o.containsKey("divert-qos")) {
                throw new IllegalArgumentException("--divert-qos is gone: name the responders instead (wareedge is the "
                        + "shipped QoS 1 profile, wareedge-qos0 a site profile with QoS 0 diverts)");
            }
            List<String> wanted = List.of(o.getOrDefault("responders", DEFAULT_RESPONDERS).split(","));
            List<Responder> responders = new ArrayList<>();
            Path bareEcho = wanted.contains("bare") || wanted.contains("bare-qos1") ? buildBareEcho(peers, work) : null;
            if (wanted.contains("bare")) {
                responders.add(startBareEcho(bareEcho, work, broker.port(), 0));
            }
            if (wanted.contains("bare-qos1")) {
                responders.add(startBareEcho(bareEcho, work, broker.port(), 1));
            }
            Responder nodeRed = wanted.contains("node-red") ? startNodeRed(nodeModules, work, broker.port()) : null;
            if (nodeRed != null) {
                responders.add(nodeRed);
            }
            if (wanted.contains("paho-echo")) {
                responders.add(startPahoEcho(work, broker.url(), 0));
            }
            if (wanted.contains("paho-loop")) {
                responders.add(startEcho(work, broker.url(), "paho-loop", PahoLoopEcho.class, 1));
            }
            if (wanted.contains("paho-echo-qos1")) {
                responders.add(startPahoEcho(work, broker.url(), 1));
            }
            if (wanted.contains("wareedge")) {
                responders.add(startAgent(work, broker.url(), 1));
            }
            if (wanted.contains("wareedge-qos0")) {
                responders.add(startAgent(work, broker.url(), 0));
            }
            for (Responder r : responders) {
                awaitAnswer(broker.url(), r);
            }
            // A gateway runs for weeks: measure every responder warm (the JVM's JIT and heap settled), not its
            // first minute. Every responder gets the same unmeasured load.
            int prewarm = Integer.parseInt(o.getOrDefault("prewarm", "30"));
            if (prewarm > 0) {
                for (Responder r : responders) {
                    drive(driver, nodeModules, broker.port(), r, "--window=" + window, prewarm, 0);
                }
                System.out.printf("%nevery responder warmed with %d s of closed-loop load (not measured)%n", prewarm);
            }
            System.out.printf("%nsortation round trip: Mosquitto %s (TCP_NODELAY), QoS 0 driver, %d rounds, responders %s%n",
                    broker.url(), rounds, responders.stream().map(Responder::name).toList());

            Map<String, List<JsonNode>> open = new LinkedHashMap<>();
            Map<String, List<JsonNode>> saturated = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                // Each round starts with the next responder: whoever runs right after another's heavy run (or
                // first, on a cold machine) is not always the same one.
                List<Responder> order = new ArrayList<>(responders);
                Collections.rotate(order, -(round - 1));
                for (Responder r : order) {
                    JsonNode fixed = drive(driver, nodeModules, broker.port(), r, "--rate=" + rate, duration, warmup);
                    open.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(fixed);
                    System.out.println("round " + round + " " + fixed);
                }
                for (Responder r : order) {
                    JsonNode sat = drive(driver, nodeModules, broker.port(), r, "--window=" + window, Math.max(5, duration / 2), 2);
                    saturated.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(sat);
                    System.out.println("round " + round + " " + sat);
                }
            }
            System.out.printf("%n== %d inductions/s, median of %d rounds ==%n", rate, rounds);
            System.out.printf("%-14s %9s %9s %9s %9s %10s %8s %8s%n", "responder", "p50 ms", "p99 ms", "co-p99", "max ms",
                    "achieved/s", ">40 ms", "CPU %");
            for (Map.Entry<String, List<JsonNode>> e : open.entrySet()) {
                System.out.printf("%-14s %9.3f %9.3f %9.3f %9.3f %10.0f %8.0f %8.1f%n", e.getKey(), median(e.getValue(), "p50_ms"),
                        median(e.getValue(), "p99_ms"), median(e.getValue(), "co_p99_ms"), median(e.getValue(), "max_ms"),
                        median(e.getValue(), "achieved_per_s"), median(e.getValue(), "over_40ms"), median(e.getValue(), "cpu_pct"));
            }
            System.out.printf("%n== saturation: %d outstanding, median of %d rounds ==%n", window, rounds);
            for (Map.Entry<String, List<JsonNode>> e : saturated.entrySet()) {
                System.out.printf("%-14s %10.0f round trips/s   p50 %.2f ms   p99 %.2f ms   CPU %.0f %% (broker %.0f %%, driver %.0f %%)%n",
                        e.getKey(), median(e.getValue(), "achieved_per_s"), median(e.getValue(), "p50_ms"),
                        median(e.getValue(), "p99_ms"), median(e.getValue(), "cpu_pct"),
                        median(e.getValue(), "broker_cpu_pct"), median(e.getValue(), "driver_cpu_pct"));
            }
            System.out.println();
            printRatios("wareedge", "bare-qos1", "both divert at QoS 1", open, saturated);
            printRatios("wareedge-qos0", "bare", "both answer at QoS 0", open, saturated);
            printRatios("wareedge", "bare", "shipped QoS 1 against the QoS 0 peer", open, saturated);

            if (!sweep.isBlank() && !sweep.equals("none")) {
                System.out.printf("%n== rate sweep: highest rate held with p99 < 10 ms (one round per rate) ==%n");
                for (Responder r : responders) {
                    int best = 0;
                    StringBuilder line = new StringBuilder();
                    for (String s : sweep.split(",")) {
                        int step = Integer.parseInt(s.trim());
                        JsonNode j = drive(driver, nodeModules, broker.port(), r, "--rate=" + step, Math.max(5, duration / 2), 2);
                        boolean held = j.path("lost").asLong() == 0 && j.path("achieved_per_s").asDouble() >= 0.95 * step
                                && j.path("p99_ms").asDouble() < 10;
                        line.append(String.format("  %d/s: p99 %.2f ms%s", step, j.path("p99_ms").asDouble(), held ? "" : " (not held)"));
                        if (!held) {
                            break;
                        }
                        best = step;
                    }
                    System.out.printf("%-14s highest %d/s:%s%n", r.name(), best, line);
                }
            }
        } finally {
            CHILDREN.forEach(Process::destroyForcibly);
        }
    }

    /** The goal's ratios of one responder against one baseline, when both ran. */
    private static void printRatios(String ours, String base, String what, Map<String, List<JsonNode>> open,
                                    Map<String, List<JsonNode>> saturated) {
        List<JsonNode> o = open.get(ours);
        List<JsonNode> b = open.get(base);
        if (o == null || b == null) {
            return;
        }
        System.out.printf("ratios (goal), %s against %s (%s): p50 %.2f (<= 1.5), p99 %.2f (<= 2.0)", ours, base, what,
                median(o, "p50_ms") / median(b, "p50_ms"), median(o, "p99_ms") / median(b, "p99_ms"));
        if (open.containsKey("node-red")) {
            System.out.printf(", p99 %s/node-red %.2f (< 0.6)", ours, median(o, "p99_ms") / median(open.get("node-red"), "p99_ms"));
        }
        System.out.printf(", max %.1f ms (no 40 ms stall)%n", median(o, "max_ms"));
        // The machine's speed drifts between rounds (other tenants): a round's two runs, minutes apart at most, are
        // a fairer pair than two medians taken over the whole run.
        System.out.printf("    saturation %.2f of medians, %.2f median of per-round ratios (rounds: %s) (>= 0.9)%n",
                median(saturated.get(ours), "achieved_per_s") / median(saturated.get(base), "achieved_per_s"),
                medianOfRatios(saturated.get(ours), saturated.get(base), "achieved_per_s"),
                roundRatios(saturated.get(ours), saturated.get(base), "achieved_per_s"));
    }

    private static double[] ratios(List<JsonNode> ours, List<JsonNode> base, String field) {
        double[] r = new double[Math.min(ours.size(), base.size())];
        for (int i = 0; i < r.length; i++) {
            r[i] = ours.get(i).path(field).asDouble(Double.NaN) / base.get(i).path(field).asDouble(Double.NaN);
        }
        return r;
    }

    private static double medianOfRatios(List<JsonNode> ours, List<JsonNode> base, String field) {
        return median(ratios(ours, base, field));
    }

    private static String roundRatios(List<JsonNode> ours, List<JsonNode> base, String field) {
        StringBuilder b = new StringBuilder();
        for (double r : ratios(ours, base, field)) {
            b.append(b.length() == 0 ? "" : " ").append(String.format("%.2f", r));
        }
        return b.toString();
    }

    private static double median(List<JsonNode> runs, String field) {
        return median(runs.stream().mapToDouble(j -> j.path(field).asDouble(Double.NaN)).toArray());
    }

    /** The middle value (the upper one of an even count), NaN for none. */
    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    /** One driver run against one responder, with the responder's CPU share over the run. */
    private static long brokerPid;

    private static JsonNode drive(Path driver, Path nodeModules, int port, Responder r, String mode, int duration, int warmup)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("node", driver.toString(), "--url=mqtt://127.0.0.1:" + port,
                "--req=" + r.req(), "--resp=" + r.resp(), mode, "--duration=" + duration, "--warmup=" + warmup,
                "--label=" + r.name());
        pb.environment().put("NODE_PATH", nodeModules.toString());
        pb.redirectErrorStream(true);
        TelemetryBench.ProcStat before = TelemetryBench.ProcStat.of(r.process().pid());
        TelemetryBench.ProcStat brokerBefore = TelemetryBench.ProcStat.of(brokerPid);
        long start = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(duration + warmup + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        TelemetryBench.ProcStat after = TelemetryBench.ProcStat.of(r.process().pid());
        TelemetryBench.ProcStat brokerAfter = TelemetryBench.ProcStat.of(brokerPid);
        String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("driver printed no result: " + out));
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(last);
        node.put("cpu_pct", 100.0 * (after.cpuTicks() - before.cpuTicks()) / TelemetryBench.ProcStat.TICKS_PER_SECOND / seconds);
        // The whole 2-core budget: broker and driver share it with the responder.
        node.put("broker_cpu_pct", 100.0 * (brokerAfter.cpuTicks() - brokerBefore.cpuTicks()) / TelemetryBench.ProcStat.TICKS_PER_SECOND / seconds);
        node.put("driver_cpu_pct", node.path("driver_cpu_ms").asDouble() / 10.0 / seconds);
        node.put("cpu_sys_pct", 100.0 * (after.systemTicks() - before.systemTicks()) / TelemetryBench.ProcStat.TICKS_PER_SECOND / seconds);
        return node;
    }

    private static Path buildBareEcho(Path peers, Path work) throws IOException, InterruptedException {
        Path source = peers.resolve("c/mqbench.c");
        if (!Files.exists(source)) {
            throw new IllegalStateException("the bare broker echo needs " + source + " (--peers=DIR)");
        }
        // The peer tool has the port 1883, its client id and a 60 s keep-alive built in. The copy takes port and
        // id from MQ_PORT and MQ_ID (two echoes with one id would throw each other off the broker) and asks for no
        // keep-alive: it sends no PINGREQ, so the broker dropped it after 90 s idle while other responders ran.
        String c = Files.readString(source);
        for (String[] edit : new String[][]{{"htons(1883)", "htons(atoi(getenv(\"MQ_PORT\")))"},
                {"conn(resp?\"mqb-echo\":\"mqb-sub\")", "conn(getenv(\"MQ_ID\"))"},
                {"\"\\0\\4MQTT\\4\\2\\0\\x3c\"", "\"\\0\\4MQTT\\4\\2\\0\\0\""}}) {
            if (!c.contains(edit[0])) {
                throw new IllegalStateException(source + " no longer has " + edit[0]);
            }
            c = c.replace(edit[0], edit[1]);
        }
        Path copy = work.resolve("mqbench.c");
        Files.writeString(copy, c);
        Path binary = work.resolve("mqbench");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), copy.toString()).inheritIO().start();
        if (gcc.waitFor() != 0) {
            throw new IllegalStateException("gcc failed on " + copy);
        }
        return binary;
    }

    /** The peer's C echo; at QoS 1 it publishes each reply at QoS 1 (and reads the broker's PUBACKs). */
    private static Responder startBareEcho(Path binary, Path work, int port, int qos) throws IOException {
        String name = qos == 0 ? "bare" : "bare-qos1";
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "echo", "bench/" + name + "/req", "bench/" + name + "/resp",
                Integer.toString(qos));
        pb.environment().put("MQ_PORT", Integer.toString(port));
        pb.environment().put("MQ_ID", "mqb-" + name);
        return new Responder(name, "bench/" + name + "/req", "bench/" + name + "/resp", child(pb, work.resolve(name + ".log")));
    }

    private static Responder startNodeRed(Path nodeModules, Path work, int port) throws IOException {
        Path red = nodeModules.resolve("node-red/red.js");
        if (!Files.exists(red)) {
            System.out.println("Node-RED not found in " + nodeModules + " (npm i node-red@4 there, or --node-modules=DIR): skipped");
            return null;
        }
        Path userDir = Files.createDirectories(work.resolve("node-red"));
        String flows = resource("bench/sortation/node-red-flows.json").replace("${PORT}", Integer.toString(port))
                .replace("${REQ}", "bench/nr/req").replace("${RESP}", "bench/nr/resp");
        Files.writeString(userDir.resolve("flows.json"), flows);
        Files.writeString(userDir.resolve("settings.js"), resource("bench/sortation/node-red-settings.js"));
        ProcessBuilder pb = new ProcessBuilder("node", red.toString(), "--settings", userDir.resolve("settings.js").toString(),
                "--userDir", userDir.toString(), userDir.resolve("flows.json").toString());
        pb.environment().put("NR_PORT", Integer.toString(io.wareedge.embedded.FreePorts.pick()));
        return new Responder("node-red", "bench/nr/req", "bench/nr/resp", child(pb, work.resolve("node-red.log")));
    }

    /** Diagnostic: the bare echo written with Paho v5 in a JVM set up as the agent's, replying at the given QoS. */
    private static Responder startPahoEcho(Path work, String brokerUrl, int qos) throws IOException {
        return startEcho(work, brokerUrl, qos == 0 ? "paho-echo" : "paho-echo-qos1", PahoEcho.class, qos);
    }

    private static Responder startEcho(Path work, String brokerUrl, String name, Class<?> main, int qos) throws IOException {
        List<String> cmd = new ArrayList<>(agentJvm());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(), brokerUrl,
                "bench/" + name + "/req", "bench/" + name + "/resp", Integer.toString(qos)));
        return new Responder(name, "bench/" + name + "/req", "bench/" + name + "/resp",
                child(new ProcessBuilder(cmd), work.resolve(name + ".log")));
    }

    private static List<String> agentJvm() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-Xss512k"));
        String extra = System.getenv("AGENT_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        return cmd;
    }

    /**
     * The edge agent as its own JVM with one generic sorter and a plan of 100,000 codes over 12 chutes; each
     * responder its own agent, sorter and work directory.
     */
    private static Responder startAgent(Path work, String brokerUrl, int divertQos) throws Exception {
        String name = divertQos == 1 ? "wareedge" : "wareedge-qos0";
        String sorter = "bench-sorter-" + name;
        Path dir = Files.createDirectories(work.resolve(name));
        List<Chute> chutes = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            chutes.add(new Chute(i, List.of("D" + i)));
        }
        chutes.add(new Chute(13, List.of()));
        Map<String, String> codes = new HashMap<>();
        for (int id = 0; id < 100_000; id++) {
            String tag = "E2801160600002" + String.format("%05d", id);
            codes.put(tag, "D" + (Integer.parseInt(tag.substring(tag.length() - 3)) % 12 + 1));
        }
        SortPlan plan = new SortPlan(sorter, 1, new SorterLayout(chutes, 13, 2, UnresolvedAction.REJECT,
                UnresolvedAction.RECIRCULATE, UnresolvedAction.REJECT), codes);
        MqttClient c = new MqttClient(brokerUrl, "sortbench-plan-" + name, new MemoryPersistence());
        c.connect();
        MqttMessage m = new MqttMessage(SortJson.planSnapshot(plan));
        m.setQos(1);
        m.setRetained(true);
        c.publish("wareedge/bench/sortplan/" + sorter, m);
        c.disconnect();
        c.close();
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, """
                site: bench
                agentId: %s
                dataDir: %s
                uplink: { url: %s }
                deviceBrokers: [ { name: local, url: %s } ]
                profileDirs: [ %s ]
                devices:
                  - { name: %s, profile: %s, address: { device: %s } }
                """.formatted(name, dir.resolve("data"), brokerUrl, brokerUrl, siteProfiles(work, divertQos), sorter,
                divertQos == 1 ? "generic-sorter" : "generic-sorter-divert-qos0", sorter));
        List<String> cmd = new ArrayList<>(agentJvm());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.wareedge.edge.Main", config.toString()));
        return new Responder(name, "sorters/" + sorter + "/induction", "sorters/" + sorter + "/divert",
                child(new ProcessBuilder(cmd), work.resolve(name + ".log")));
    }

    /**
     * A site's profile directory: with QoS 0 diverts it holds the shipped sorter profile with that one change, as
     * a site would adapt it.
     */
    private static Path siteProfiles(Path work, int divertQos) throws IOException {
        Path dir = Files.createDirectories(work.resolve("site-profiles"));
        if (divertQos == 0) {
            String shipped = resource("profiles/generic-sorter.yaml");
            String divertLine = "mqtt: { topic: \"sorters/{device}/divert\", qos: 1, retained: false }";
            if (!shipped.contains(divertLine)) {
                throw new IllegalStateException("the shipped generic-sorter profile no longer has the line " + divertLine);
            }
            Files.writeString(dir.resolve("generic-sorter-divert-qos0.yaml"), shipped
                    .replace("id: generic-sorter\n", "id: generic-sorter-divert-qos0\n")
                    .replace(divertLine, divertLine.replace("qos: 1", "qos: 0")));
        } else if (divertQos != 1) {
            throw new IllegalArgumentException("--divert-qos must be 0 or 1, got " + divertQos);
        }
        return dir;
    }

    /** Waits until the responder answers a probe: it is connected and subscribed (the agent: and has its plan). */
    private static void awaitAnswer(String brokerUrl, Responder r) throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        MqttClient probe = new MqttClient(brokerUrl, "sortbench-probe-" + r.name(), new MemoryPersistence());
        probe.setCallback(new MessageCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                String s = new String(message.getPayload(), StandardCharsets.UTF_8);
                if (s.contains("\"seq\":7") && !s.contains("no-plan")) {
                    answered.countDown();
                }
            }

        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(TcpNoDelaySocketFactory.INSTANCE);
        probe.connect(options);
        probe.subscribe(new String[]{r.resp()}, new int[]{0});
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int pass = 0;
        while (!answered.await(500, TimeUnit.MILLISECONDS)) {
            if (!r.process().isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(r.name() + " does not answer (see its log in the work directory)");
            }
            // A new pass each time: a repeated induction would be answered from memory (even a no-plan one).
            probe.publish(r.req(), ("{\"seq\":7,\"pass\":" + (pass++ % 200) + ",\"codes\":[\"E280116060000200001\"],\"ts\":"
                    + System.currentTimeMillis() + "}").getBytes(StandardCharsets.UTF_8), 0, false);
        }
        probe.disconnect();
        probe.close();
    }

    private static Process child(ProcessBuilder pb, Path log) throws IOException {
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        CHILDREN.add(p);
        return p;
    }

    /** Where {@code mqtt} (and {@code node-red}) are: given, the peers' scratch install, or npm-installed here. */
    private static Path nodeModules(String given, Path work) throws IOException, InterruptedException {
        if (given != null) {
            return Path.of(given).toAbsolutePath();
        }
        Path scratch = Path.of("/tmp/peer/nr/node_modules");
        if (Files.exists(scratch.resolve("mqtt")) && Files.exists(scratch.resolve("node-red"))) {
            return scratch;
        }
        Path dir = Path.of("warehouse/target/bench-node").toAbsolutePath();
        if (!Files.exists(dir.resolve("node_modules/mqtt")) || !Files.exists(dir.resolve("node_modules/node-red"))) {
            Files.createDirectories(dir);
            System.out.println("installing mqtt@5 and node-red@4 into " + dir + " (npm)…");
            Process npm = new ProcessBuilder("npm", "i", "--no-audit", "--no-fund", "mqtt@5", "node-red@4")
                    .directory(dir.toFile()).inheritIO().start();
            if (npm.waitFor() != 0) {
                throw new IllegalStateException("npm install failed in " + dir);
            }
        }
        return dir.resolve("node_modules");
    }

    private static Path extract(String resource, Path target) throws IOException {
        Files.writeString(target, resource(resource));
        return target;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SortBench.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
