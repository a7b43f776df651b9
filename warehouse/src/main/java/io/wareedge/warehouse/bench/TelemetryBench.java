package io.wareedge.warehouse.bench;

import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.embedded.InfluxdServer;
import io.wareedge.embedded.MosquittoBroker;
import io.wareedge.embedded.PostgresServer;
import io.wareedge.server.ControlServer;
import io.wareedge.server.ingest.IngestCounters;
import io.wareedge.warehouse.ExternalDatabaseServer;
import io.wareedge.sparkplug.TcpNoDelaySocketFactory;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.io.File;
import java.net.URI;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * End-to-end telemetry benchmark: a load generator publishes flat JSON samples (the shape of the peers' telemetry
 * publisher) for 1,000 devices to the gateway's broker; the edge agent, as its own JVM, reads them through a device
 * profile and sends them as Sparkplug B to the site broker; the control server stores them in PostgreSQL.
 *
 * <p>Prints: samples and readings per second stored end to end, loss, the latency from the device's timestamp to
 * the reading being stored (p50/p99/max), the agent's CPU per reading and its resident memory.
 *
 * <p>Run: {@code ./bench telemetry --rate=5000 --duration=20}
 */
public final class TelemetryBench {

    private static final int DEVICES = 1000;
    private static final String[] KINDS = {"conveyor", "sorter", "env", "rfid"};
    private static final int READINGS_PER_SAMPLE = 4;

    public static void main(String[] args) throws Exception {
        Map<String, String> a = BenchArgs.parse(args);
        int rate = Integer.parseInt(a.getOrDefault("rate", "5000"));
        int duration = Integer.parseInt(a.getOrDefault("duration", "20"));
        int qos = Integer.parseInt(a.getOrDefault("qos", "0"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "10"));
        String agentHeap = a.getOrDefault("agent-heap", "40m");
        String dataWindow = a.getOrDefault("data-window", "250ms");
        Path work = BenchArgs.workDir("wareedge-bench", a);
        System.out.printf("telemetry bench: %d samples/s for %d s after %d s warm-up, %d devices, device QoS %d, agent -Xmx%s, data window %s, work dir %s%n",
                rate, duration, warmup, DEVICES, qos, agentHeap, dataWindow, work);

        boolean toInflux = a.containsKey("influx");
        // Node-RED's flow writes to InfluxDB, so an InfluxDB runs for it even when ours stores in PostgreSQL only.
        boolean nodeRed = a.containsKey("nodered");
        try (PostgresServer pg = PostgresServer.startAny(work.resolve("pg"));
             InfluxdServer influx = toInflux || nodeRed ? InfluxdServer.start(work.resolve("influxd")) : null;
             AutoCloseable deviceBroker = startDeviceBroker(work);
             SiteBroker siteBroker = SiteBroker.start(a.getOrDefault("site-broker",
                     MosquittoBroker.isInstalled() ? "mosquitto" : "hivemq"), work);
             ControlServer server = ExternalDatabaseServer.start(pg, siteBroker.url(), work.resolve("server"), "bench",
                     toInflux ? Map.of("wareedge.influx.url", influx.url(), "wareedge.influx.database", INFLUX_DB)
                             : Map.of())) {
            String deviceUrl = deviceBroker instanceof MosquittoBroker m ? m.url() : ((EmbeddedMqttBroker) deviceBroker).url();
            System.out.printf("device broker %s (%s), site broker %s (%s), %s%n", deviceUrl,
                    deviceBroker instanceof MosquittoBroker ? "Mosquitto" : "HiveMQ CE embedded", siteBroker.url(),
                    siteBroker.name(), pg.description());
            IngestCounters ingest = server.service(IngestCounters.class);
            Path config = writeAgentConfig(work, siteBroker.url(), deviceUrl, dataWindow);
            Process agent = startAgent(config, agentHeap, work.resolve("agent.log"));
            try {
                waitForDevices(pg, Duration.ofSeconds(90));
                if (warmup > 0) {
                    // The JIT compiles the hot paths first; that CPU is not what a gateway spends per reading.
                    publish(deviceUrl, rate, warmup, qos, agent.pid());
                    long warm = rate * (long) warmup * READINGS_PER_SAMPLE;
                    long until = System.currentTimeMillis() + 120_000;
                    while (ingest.readingsStored() < warm && System.currentTimeMillis() < until) {
                        Thread.sleep(200);
                    }
                }
                long baseline = storedReadings(pg);
                long countedBaseline = ingest.readingsStored();
                ProcStat before = ProcStat.of(agent.pid());
                PathCpu pathBefore = PathCpu.take(agent.pid(), work.resolve("pg"), toInflux ? influx : null, deviceBroker, siteBroker.broker());
                long influxBefore = toInflux ? influx.pointsWritten(INFLUX_DB) : 0;
                Load load = publish(deviceUrl, rate, duration, qos, agent.pid());
                // InfluxDB is watched while the path drains, as Node-RED's is below: watched only after PostgreSQL's
                // exact count and latency query, its last point seemed stored seconds late.
                java.util.concurrent.FutureTask<InfluxTally> influxTally = null;
                if (toInflux) {
                    influxTally = new java.util.concurrent.FutureTask<>(() -> tallyInflux(influx, INFLUX_DB, influxBefore,
                            load.sent, 15_000, () -> influxPoints(influx, load.startMillis)));
                    Thread watcher = new Thread(influxTally, "bench-influx-watch");
                    watcher.setDaemon(true);
                    watcher.start();
                }
                long expected = baseline + load.sent * READINGS_PER_SAMPLE;
                // Polled from the server's counter: counting the table is a scan of millions of rows (about half a
                // second of PostgreSQL's CPU each time), which competed with the path being measured. The counter
                // also counts the agent's own statistics, so the exact count below decides.
                long deadline = System.currentTimeMillis() + 120_000;
                awaitCount(ingest::readingsStored, countedBaseline + expected - baseline, deadline, 100, 15_000, counted -> {
                    if (a.containsKey("verbose")) {
                        System.out.printf("  stored %,d of %,d; agent outbox pending %s%n", counted - countedBaseline,
                                expected - baseline, agentPending(pg));
                    }
                });
                InfluxTally tally = influxTally == null ? null : influxTally.get();
                ProcStat after = ProcStat.of(agent.pid());
                PathCpu pathAfter = PathCpu.take(agent.pid(), work.resolve("pg"), toInflux ? influx : null, deviceBroker, siteBroker.broker());
                // The counter said done (or stalled): a few exact counts at most, not a scan every 200 ms for long.
                long stored = awaitCount(() -> storedReadings(pg), expected, deadline, 200, 1_000, counted -> { });
                report(pg, load, baseline, stored, before, after);
                System.out.printf("CPU per sample (µs): %s%n", pathBefore.perSample(pathAfter, load.sent));
                if (tally != null) {
                    reportInflux(influx, load, tally);
                }
                if (nodeRed) {
                    nodeRed(Path.of(a.get("nodered")), work, deviceUrl, influx, rate, duration);
                }
            } finally {
                agent.destroy();
                agent.waitFor();
            }
        }
    }

    /** @param generatorCpuNanos CPU time of the publishing thread (part of the bench JVM's) */
    private record Load(long sent, long failed, long startMillis, long endMillis, long maxRssKb, long generatorCpuNanos) {
    }

    private interface Count {
        long get() throws Exception;
    }

    private interface Progress {
        void seen(long count) throws Exception;
    }

    /** Polls until the count reaches the target, the deadline passes, or it has not moved for a while; returns the last. */
    private static long awaitCount(Count count, long target, long deadline, long pollMillis, long stallMillis,
                                   Progress progress) throws Exception {
        long last = count.get();
        long lastChange = System.currentTimeMillis();
        while (last < target && System.currentTimeMillis() < deadline && System.currentTimeMillis() - lastChange < stallMillis) {
            Thread.sleep(pollMillis);
            progress.seen(last);
            long now = count.get();
            if (now != last) {
                lastChange = System.currentTimeMillis();
                last = now;
            }
        }
        return last;
    }

    private static final String INFLUX_DB = "wareedge_bench";
    private static final String INFLUX_FLOOR_DB = "plain_writer";

    /**
     * The peer in the same run: the Node-RED batched ingest flow of ../shared/peers (mqtt in → join 1000 or 1 s →
     * influxdb out) fed by the peer's own telepub.js at the same rate, on the same device broker and InfluxDB (copies
     * of the flow, settings and driver are pointed at this run's ports).
     *
     * @param install a folder with node-red@4 in node_modules, node-red-contrib-influxdb@0.7.0 in data/node_modules,
     *                and the peer's nodebench (with mqtt@5) in bench/
     */
    private static void nodeRed(Path install, Path work, String deviceUrl, InfluxdServer influx, int rate, int duration)
            throws Exception {
        int brokerPort = URI.create(deviceUrl.replace("tcp://", "http://")).getPort();
        int influxPort = URI.create(influx.url()).getPort();
        Path data = install.resolve("data");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ArrayNode flows = (com.fasterxml.jackson.databind.node.ArrayNode)
                json.readTree(Files.readString(data.resolve("flows.json")));
        for (com.fasterxml.jackson.databind.JsonNode n : flows) {
            String type = n.path("type").asText();
            if (type.equals("mqtt-broker")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("port", Integer.toString(brokerPort));
            } else if (type.equals("influxdb")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("port", Integer.toString(influxPort));
            }
        }
        Path flowsCopy = data.resolve("bench-flows.json");
        Files.writeString(flowsCopy, json.writeValueAsString(flows));
        Path settingsCopy = data.resolve("bench-settings.js");
        Files.writeString(settingsCopy, Files.readString(data.resolve("settings.js"))
                .replace("uiPort: 1880", "uiPort: " + io.wareedge.embedded.FreePorts.pick())
                .replace("flowFile: 'flows.json'", "flowFile: 'bench-flows.json'"));
        Path telepub = install.resolve("bench").resolve("bench-telepub.js");
        Files.writeString(telepub, Files.readString(install.resolve("bench").resolve("telepub.js"))
                .replace("mqtt://127.0.0.1:1883", "mqtt://127.0.0.1:" + brokerPort)
                // The first publish starts the clock, as it does for ours (not the start of the node process).
                .replace("const t0 = Date.now();", "const t0 = Date.now(); console.log(JSON.stringify({ t0 }));"));
        http(influx.url() + "/query?q=CREATE%20DATABASE%20wh_nrb");
        Path log = work.resolve("node-red.log");
        Process red = new ProcessBuilder(install.resolve("node_modules/.bin/node-red").toString(), "--settings",
                settingsCopy.toString(), "--userDir", data.toString(), flowsCopy.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long until = System.currentTimeMillis() + 60_000;
            while (!Files.readString(log).contains("Connected to broker") && System.currentTimeMillis() < until) {
                Thread.sleep(200);
            }
            long start = System.currentTimeMillis();
            long writtenBefore = influx.pointsWritten("wh_nrb");
            ProcStat redBefore = ProcStat.of(red.pid());
            ProcStat influxBefore = ProcStat.of(influx.pid());
            // bash's `times` prints the CPU its children used: the publisher's, once it has exited
            Process pub = new ProcessBuilder("bash", "-c", "node \"$0\" --rate=" + rate + " --duration=" + duration
                    + " --path=b; times", telepub.toString()).directory(telepub.getParent().toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("telepub.log").toFile()).start();
            pub.waitFor();
            List<String> publisherLog = Files.readString(work.resolve("telepub.log")).lines().toList();
            List<String> printed = publisherLog.stream().filter(l -> l.startsWith("{")).toList();
            long sent = printed.isEmpty() ? 0 : json.readTree(printed.get(printed.size() - 1)).path("sent").asLong();
            long firstPublish = printed.isEmpty() ? start : json.readTree(printed.get(0)).path("t0").asLong(start);
            InfluxTally tally = tallyInflux(influx, "wh_nrb", writtenBefore, sent, 5_000,
                    () -> influx.scalar("wh_nrb", "SELECT count(\"speed\") FROM telemetry WHERE time >= " + start + "ms"));
            long stored = tally.points();
            long lastAt = tally.lastChangeMillis();
            ProcStat redAfter = ProcStat.of(red.pid());
            ProcStat influxAfter = ProcStat.of(influx.pid());
            System.out.printf("Node-RED batched ingest flow, same rate, same broker and InfluxDB: %,d of %,d points stored"
                    + " (%s), %,.0f points/s end to end%n", stored, sent, stored == sent ? "none lost"
                    : (sent - stored) + " missing", stored / ((lastAt - firstPublish) / 1000.0));
            double publisherSeconds = publisherLog.isEmpty() ? Double.NaN
                    : childCpuSeconds(publisherLog.get(publisherLog.size() - 1));
            System.out.printf("Node-RED CPU per point (µs): Node-RED %.1f, its publisher (telepub.js) %.1f, InfluxDB %.1f%n",
                    (redAfter.cpuTicks() - redBefore.cpuTicks()) * 1e6 / ProcStat.TICKS_PER_SECOND / Math.max(1, sent),
                    publisherSeconds * 1e6 / Math.max(1, sent),
                    (influxAfter.cpuTicks() - influxBefore.cpuTicks()) * 1e6 / ProcStat.TICKS_PER_SECOND / Math.max(1, sent));
        } finally {
            red.destroy();
            red.waitFor();
        }
    }

    private static final java.util.regex.Pattern MINUTES_SECONDS = java.util.regex.Pattern.compile("(\\d+)m([\\d.]+)s");

    /** The children's line of bash's {@code times}: "0m1.250s 0m0.310s" (user, system). */
    static double childCpuSeconds(String line) {
        double total = 0;
        for (String part : line.trim().split("\\s+")) {
            java.util.regex.Matcher m = MINUTES_SECONDS.matcher(part);
            if (!m.matches()) {
                return Double.NaN;
            }
            total += Integer.parseInt(m.group(1)) * 60 + Double.parseDouble(m.group(2));
        }
        return total;
    }

    private static void http(String url) throws Exception {
        java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(url))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
    }

    /** Points of samples published since {@code sinceMillis} (the samples carry their publish time). */
    private static long influxPoints(InfluxdServer influx, long sinceMillis) throws Exception {
        return influx.scalar(INFLUX_DB, "SELECT count(\"speed\") FROM \"plant-telemetry\" WHERE time >= "
                + sinceMillis + "ms");
    }

    /** What InfluxDB held of the run's samples, and when the count last moved. */
    private record InfluxTally(long points, long lastChangeMillis) {
    }

    /**
     * Waits until a database has taken {@code expected} points since {@code writtenBefore}, watching InfluxDB's write
     * statistics every 200 ms, then confirms with one exact count; gives up when the statistics have not moved for
     * {@code stallMillis}. The time is that of the poll that saw them move last. Watching with {@code count()}
     * instead cost InfluxDB 0.26-0.6 s of CPU per poll over 1.8 million points: more than a core at 200 ms, taken
     * from the path being measured.
     */
    private static InfluxTally tallyInflux(InfluxdServer influx, String db, long writtenBefore, long expected,
                                           long stallMillis, Count exact) throws Exception {
        long written = influx.pointsWritten(db) - writtenBefore;
        long lastChange = System.currentTimeMillis();
        long confirmedAt = -1;
        while (true) {
            // Points not of the run (the warm-up's last, KPIs) can put the statistics ahead of the exact count.
            if (written >= expected && written != confirmedAt) {
                confirmedAt = written;
                long points = exact.get();
                if (points >= expected) {
                    return new InfluxTally(points, lastChange);
                }
            }
            if (System.currentTimeMillis() - lastChange >= stallMillis) {
                return new InfluxTally(exact.get(), lastChange);
            }
            Thread.sleep(200);
            long now = influx.pointsWritten(db) - writtenBefore;
            if (now != written) {
                written = now;
                lastChange = System.currentTimeMillis();
            }
        }
    }

    /**
     * Reports what InfluxDB stored of the run, then writes the same number of points with a plain line-protocol
     * writer (batches of 5,000 over HTTP, one at a time) into another database of the same server: the floor this
     * server sets, measured in the same run.
     */
    private static void reportInflux(InfluxdServer influx, Load load, InfluxTally tally) throws Exception {
        long expected = load.sent;
        long points = tally.points();
        double seconds = (tally.lastChangeMillis() - load.startMillis) / 1000.0;
        System.out.printf("InfluxDB:           %,d of %,d points stored (%s), %,.0f points/s end to end (first publish to"
                        + " last point stored, 4 fields each)%n", points, expected,
                points == expected ? "none lost" : (expected - points) + " missing", points / seconds);
        // The floor and the export on their own, alternating (A B, B A, A B) into fresh databases: one after the
        // other, the second ran while InfluxDB was still compacting what the first wrote.
        long base = System.currentTimeMillis() - 3_600_000;
        double[] plain = new double[INFLUX_ROUNDS];
        double[] alone = new double[INFLUX_ROUNDS];
        for (int round = 0; round < INFLUX_ROUNDS; round++) {
            if (round % 2 == 0) {
                plain[round] = plainWriter(influx, INFLUX_FLOOR_DB + round, expected, base);
                alone[round] = exporterAlone(influx, "exporter_alone" + round, expected, base);
            } else {
                alone[round] = exporterAlone(influx, "exporter_alone" + round, expected, base);
                plain[round] = plainWriter(influx, INFLUX_FLOOR_DB + round, expected, base);
            }
            System.out.printf("  round %d: plain line-protocol writer %,.0f points/s, the server's exporter alone %,.0f"
                    + " points/s = %.2fx%n", round + 1, plain[round], alone[round], alone[round] / plain[round]);
        }
        double plainMedian = median(plain);
        double aloneMedian = median(alone);
        System.out.printf("plain line-protocol writer, same server, same run: median %,.0f points/s over %d rounds;"
                + " WareEdge end to end = %.2fx of it%n", plainMedian, INFLUX_ROUNDS, (points / seconds) / plainMedian);
        System.out.printf("the server's exporter alone, same %,d points: median %,.0f points/s = %.2fx the plain writer"
                + " (median of the rounds' ratios %.2fx)%n", expected, aloneMedian, aloneMedian / plainMedian,
                median(java.util.stream.IntStream.range(0, INFLUX_ROUNDS).mapToDouble(i -> alone[i] / plain[i]).toArray()));
    }

    private static final int INFLUX_ROUNDS = 3;

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Batches of 5,000 lines over HTTP, one at a time: what a plain line-protocol writer does. Returns points/s. */
    private static double plainWriter(InfluxdServer influx, String db, long count, long base) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(influx.url() + "/query?q=CREATE%20DATABASE%20"
                + db)).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        long t0 = System.nanoTime();
        StringBuilder lines = new StringBuilder();
        for (long i = 0; i < count; i++) {
            int dev = (int) (i % DEVICES);
            lines.append("plant_telemetry,site=bench,agent=gw,device=d").append(dev).append(",area=z").append(dev % 16)
                    .append(" speed=").append(1 + (i % 97) / 100.0).append(",current=").append(2 + (i % 53) / 10.0)
                    .append(",temp=").append(20 + (i % 31) / 2.0).append(",items=").append(i % 50).append(' ')
                    .append(base + i).append('\n');
            if ((i + 1) % 5_000 == 0 || i == count - 1) {
                java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(influx.url() + "/write?db=" + db + "&precision=ms"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(lines.toString())).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 204) {
                    throw new IllegalStateException("plain writer: HTTP " + r.statusCode() + " " + r.body());
                }
                lines.setLength(0);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long stored = influx.scalar(db, "SELECT count(\"speed\") FROM plant_telemetry");
        if (stored != count) {
            throw new IllegalStateException("plain writer: " + stored + " of " + count + " points stored");
        }
        return stored / seconds;
    }

    /**
     * The same readings handed to the server's exporter at once, as ingest hands over a stored batch (its points, its
     * batching, the InfluxDB client's HTTP), without the agent and ingest in front of it. Returns points/s.
     */
    private static double exporterAlone(InfluxdServer influx, String db, long count, long base) throws Exception {
        io.wareedge.sparkplug.EdgeNodeId node = new io.wareedge.sparkplug.EdgeNodeId("bench", "gw");
        java.util.List<io.wareedge.server.registry.Sample> same = new java.util.ArrayList<>((int) count * 4);
        for (long i = 0; i < count; i++) {
            String device = "d" + (i % DEVICES);
            long ts = base + i;
            same.add(reading(node, device, "speed", ts, 1 + (i % 97) / 100.0));
            same.add(reading(node, device, "current", ts, 2 + (i % 53) / 10.0));
            same.add(reading(node, device, "temp", ts, 20 + (i % 31) / 2.0));
            same.add(reading(node, device, "items", ts, (double) (i % 50)));
        }
        io.wareedge.server.config.InfluxSettings settings = new io.wareedge.server.config.InfluxSettings(influx.url(),
                db, null, null, 5_000, Duration.ofSeconds(1), (int) count, Duration.ofSeconds(10),
                Duration.ofSeconds(5), true, Duration.ofSeconds(15));
        try (io.wareedge.server.influx.InfluxExport export = io.wareedge.server.influx.InfluxExport.connect(settings)) {
            long e0 = System.nanoTime();
            export.offerSamples(same);
            while (export.health().written() + export.health().rejected() < count) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - e0) / 1e9;
            long stored = influx.scalar(db, "SELECT count(\"speed\") FROM telemetry");
            if (stored != count) {
                throw new IllegalStateException("exporter alone: " + stored + " of " + count + " points stored");
            }
            return stored / seconds;
        }
    }

    private static io.wareedge.server.registry.Sample reading(io.wareedge.sparkplug.EdgeNodeId node, String device,
                                                              String metric, long ts, double value) {
        return new io.wareedge.server.registry.Sample(node, device, metric, io.wareedge.sparkplug.DataType.DOUBLE, null,
                ts, value, 192, -1, false);
    }

    private static Load publish(String url, int rate, int duration, int qos, long agentPid) throws Exception {
        try (LoadSender sender = qos == 0 ? new QosZeroPublisher(url, "telemetry-load-" + System.nanoTime()) : new PahoSender(url, qos)) {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long start = System.currentTimeMillis();
            long t0 = System.nanoTime();
            long sent = 0;
            long failed = 0;
            long maxRss = 0;
            long lastRssCheck = 0;
            long total = (long) rate * duration;
            long[] lastTs = new long[DEVICES];
            while (sent + failed < total) {
                long elapsedNanos = System.nanoTime() - t0;
                long due = Math.min(total, elapsedNanos * rate / 1_000_000_000L);
                while (sent + failed < due) {
                    long i = sent + failed;
                    int dev = (int) (i % DEVICES);
                    // One instant per device and sample: InfluxDB keeps one point per series and timestamp, and a
                    // catch-up burst after a late tick can publish a device twice within a millisecond.
                    long ts = Math.max(System.currentTimeMillis(), lastTs[dev] + 1);
                    lastTs[dev] = ts;
                    String json = "{\"dev\":" + dev + ",\"kind\":\"" + KINDS[dev % 4] + "\",\"ts\":" + ts
                            + ",\"speed\":" + (1 + (i % 97) / 100.0) + ",\"current\":" + (2 + (i % 53) / 10.0)
                            + ",\"temp\":" + (20 + (i % 31) / 2.0) + ",\"items\":" + (i % 50) + "}";
                    switch (sender.send("tele/b/d" + dev, json.getBytes(StandardCharsets.UTF_8))) {
                        case SENT -> sent++;
                        case FAILED -> failed++;
                        case BUSY -> Thread.onSpinWait();
                    }
                }
                sender.flush();
                if (elapsedNanos - lastRssCheck > 500_000_000L) {
                    lastRssCheck = elapsedNanos;
                    maxRss = Math.max(maxRss, ProcStat.of(agentPid).rssKb());
                }
                Thread.sleep(1);
            }
            return new Load(sent, failed, start, System.currentTimeMillis(), maxRss,
                    threads.getCurrentThreadCpuTime() - cpu0);
        }
    }

    enum Sent { SENT, FAILED, BUSY }

    /** How the load reaches the device broker; used by the publishing thread only. */
    interface LoadSender extends AutoCloseable {
        Sent send(String topic, byte[] payload) throws Exception;

        /** The end of a tick: what was buffered leaves now. */
        void flush() throws Exception;
    }

    /** QoS 1 load goes through Paho's client, which keeps the in-flight window and the acknowledgements. */
    private static final class PahoSender implements LoadSender {
        private final MqttAsyncClient client;
        private final int qos;

        PahoSender(String url, int qos) throws Exception {
            this.qos = qos;
            client = new MqttAsyncClient(url, "telemetry-load-" + System.nanoTime(), new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setSocketFactory(TcpNoDelaySocketFactory.INSTANCE);
            o.setCleanStart(true);
            client.connect(o).waitForCompletion(10_000);
        }

        @Override
        public Sent send(String topic, byte[] payload) {
            MqttMessage m = new MqttMessage(payload);
            m.setQos(qos);
            try {
                client.publish(topic, m);
                return Sent.SENT;
            } catch (MqttException e) {
                return e.getReasonCode() == 32202 /* too many publishes in flight */ ? Sent.BUSY : Sent.FAILED;
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() throws Exception {
            // what the client still queues goes out first: near saturation that can take longer than a few seconds
            client.disconnect(60_000).waitForCompletion(90_000);
            client.close();
        }
    }

    private static void report(PostgresServer pg, Load load, long baseline, long stored, ProcStat before, ProcStat after)
            throws Exception {
        long readings = stored - baseline;
        long expected = load.sent * READINGS_PER_SAMPLE;
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery("""
                     select percentile_cont(0.5) within group (order by lat),
                            percentile_cont(0.99) within group (order by lat),
                            max(lat),
                            extract(epoch from max(stored_at) - min(ts)) * 1000
                     from (select extract(epoch from stored_at - ts) * 1000 as lat, stored_at, ts
                           from readings where ts >= timestamptz 'epoch' + %d * interval '1 millisecond') x
                     """.formatted(load.startMillis))) {
            rs.next();
            double p50 = rs.getDouble(1);
            double p99 = rs.getDouble(2);
            double max = rs.getDouble(3);
            double spanMillis = rs.getDouble(4);
            double cpuMillis = (after.cpuTicks() - before.cpuTicks()) * 1000.0 / ProcStat.TICKS_PER_SECOND;
            double publishSeconds = (load.endMillis - load.startMillis) / 1000.0;
            System.out.println();
            System.out.println("== telemetry path: device → agent → Sparkplug → control server → PostgreSQL ==");
            System.out.printf("offered:            %,d samples in %.1f s (%,.0f samples/s, %,d readings)%n", load.sent,
                    publishSeconds, load.sent / publishSeconds, expected);
            System.out.printf("stored:             %,d readings (%s)%n", readings,
                    readings == expected ? "none lost, none doubled" : (expected - readings) + " missing");
            System.out.printf("throughput:         %,.0f samples/s = %,.0f readings/s end to end (first publish to last stored)%n",
                    readings / READINGS_PER_SAMPLE / (spanMillis / 1000.0), readings / (spanMillis / 1000.0));
            System.out.printf("latency publish→stored: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", p50, p99, max);
            System.out.printf("agent CPU:          %.0f ms for %,d readings = %.2f µs per reading (%.2f µs per sample)%n",
                    cpuMillis, readings, cpuMillis * 1000 / Math.max(1, readings),
                    cpuMillis * 1000 / Math.max(1, readings / READINGS_PER_SAMPLE));
            System.out.printf("agent CPU split:    user %d ms, system %d ms%n", (after.userTicks() - before.userTicks()) * 10,
                    (after.systemTicks() - before.systemTicks()) * 10);
            System.out.printf("agent resident:     max %.0f MB during the load (VmRSS)%n", load.maxRssKb / 1024.0);
            System.out.printf("load generator:     %.1f µs of CPU per sample (its publishing thread, in the bench's JVM)%n",
                    load.generatorCpuNanos / 1000.0 / Math.max(1, load.sent));
        }
    }

    /** The broker between agent and server: Mosquitto (a second instance), or HiveMQ CE embedded in this JVM. */
    private record SiteBroker(String name, String url, AutoCloseable broker) implements AutoCloseable {
        static SiteBroker start(String kind, Path work) {
            if (kind.equals("mosquitto")) {
                MosquittoBroker m = MosquittoBroker.start(work.resolve("site-mosquitto"));
                return new SiteBroker("Mosquitto", m.url(), m);
            }
            EmbeddedMqttBroker h = EmbeddedMqttBroker.start(work.resolve("site-hivemq"), 0);
            return new SiteBroker("HiveMQ CE embedded", h.url(), h);
        }

        @Override
        public void close() throws Exception {
            broker.close();
        }
    }

    private static AutoCloseable startDeviceBroker(Path work) {
        return MosquittoBroker.isInstalled() ? MosquittoBroker.start(work.resolve("mosquitto"))
                : EmbeddedMqttBroker.start(work.resolve("device-broker"), 0);
    }

    private static void waitForDevices(PostgresServer pg, Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                 ResultSet rs = c.createStatement().executeQuery("select count(*) from devices where device_id like 'd%'")) {
                rs.next();
                if (rs.getLong(1) >= DEVICES) {
                    return;
                }
            } catch (java.sql.SQLException notYet) {
                // schema not migrated yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the agent's devices were not born within " + timeout);
    }

    private static String agentPending(PostgresServer pg) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery(
                     "select value_long from metrics where name = 'Agent/Outbox/Pending'")) {
            return rs.next() ? Long.toString(rs.getLong(1)) : "?";
        }
    }

    private static long storedReadings(PostgresServer pg) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery(
                     "select coalesce(sum(cardinality(metric_ids)), 0) from readings where reading_id >= 0")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Path writeAgentConfig(Path work, String siteBroker, String deviceBroker, String dataWindow)
            throws IOException {
        Path profiles = Files.createDirectories(work.resolve("profiles"));
        try (InputStream in = TelemetryBench.class.getResourceAsStream("/bench-profiles/plant-telemetry.yaml")) {
            Files.write(profiles.resolve("plant-telemetry.yaml"), in.readAllBytes());
        }
        StringBuilder devices = new StringBuilder();
        for (int i = 0; i < DEVICES; i++) {
            devices.append("  - name: d").append(i).append("\n    profile: plant-telemetry\n    address: { path: b, device: d")
                    .append(i).append(" }\n");
        }
        Path config = work.resolve("agent.yaml");
        Files.writeString(config, """
                site: bench
                agentId: gw-bench
                dataDir: agent-data
                profileDirs: [%s]
                uplink:
                  url: %s
                  statsInterval: 5s
                  dataWindow: %s
                deviceBrokers:
                  - name: local
                    url: %s
                devices:
                %s""".formatted(profiles, siteBroker, dataWindow, deviceBroker, devices));
        return config;
    }

    private static Process startAgent(Path config, String heap, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms8m", "-Xmx" + heap, "-XX:+UseSerialGC", "-Xss512k",
                "-XX:TrimNativeHeapInterval=1000", "-XX:TieredStopAtLevel=1"));
        String extra = System.getenv("AGENT_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.wareedge.edge.Main", config.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** CPU ticks and resident memory of a process, from /proc. */
    record ProcStat(long cpuTicks, long rssKb, long userTicks, long systemTicks) {
        static final int TICKS_PER_SECOND = 100;

        static ProcStat of(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
            return new ProcStat(ticks, rss, Long.parseLong(f[11]), Long.parseLong(f[12]));
        }

        /**
         * CPU ticks of the PostgreSQL server with its data in {@code pgData} (postmaster and every process under
         * it), or -1 when it is not known here (the embedded server keeps its data elsewhere). A backend that exits
         * between two samples takes its ticks with it; the pools' connections stay open for a whole run.
         */
        static long postgresTicks(Path pgData) throws IOException {
            Path pidFile = pgData.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return -1;
            }
            long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            List<Long> pids = new ArrayList<>(List.of(postmaster));
            ProcessHandle.of(postmaster).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
            long ticks = 0;
            for (long pid : pids) {
                try {
                    ticks += of(pid).cpuTicks();
                } catch (IOException gone) {
                    // exited since it was listed
                }
            }
            return ticks;
        }
    }

    /**
     * CPU ticks of each part of the path at one moment: the agent, this JVM (control server and load generator), the
     * PostgreSQL server and the Mosquitto brokers (-1 where not known: an embedded broker runs in this JVM).
     */
    private record PathCpu(long agent, long jvm, long postgres, long influxd, long brokers) {
        static PathCpu take(long agentPid, Path pgData, InfluxdServer influx, AutoCloseable... brokers) throws IOException {
            long brokerTicks = 0;
            for (AutoCloseable b : brokers) {
                if (!(b instanceof MosquittoBroker m)) {
                    brokerTicks = -1;
                    break;
                }
                brokerTicks += ProcStat.of(m.pid()).cpuTicks();
            }
            return new PathCpu(ProcStat.of(agentPid).cpuTicks(), ProcStat.of(ProcessHandle.current().pid()).cpuTicks(),
                    ProcStat.postgresTicks(pgData), influx == null ? -1 : ProcStat.of(influx.pid()).cpuTicks(), brokerTicks);
        }

        String perSample(PathCpu after, long samples) {
            double perTick = 1e6 / ProcStat.TICKS_PER_SECOND / Math.max(1, samples);
            long total = (after.agent - agent) + (after.jvm - jvm) + Math.max(0, after.postgres - postgres)
                    + Math.max(0, after.influxd - influxd) + Math.max(0, after.brokers - brokers);
            return String.format("agent %.0f, control server + load generator (one JVM) %.0f, PostgreSQL %s,%s brokers %s;"
                            + " total %.0f", (after.agent - agent) * perTick, (after.jvm - jvm) * perTick,
                    postgres < 0 ? "?" : String.format("%.0f", (after.postgres - postgres) * perTick),
                    influxd < 0 ? "" : String.format(" InfluxDB %.0f,", (after.influxd - influxd) * perTick),
                    brokers < 0 ? "?" : String.format("%.0f", (after.brokers - brokers) * perTick), total * perTick);
        }
    }
}
