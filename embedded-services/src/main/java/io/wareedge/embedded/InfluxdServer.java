package io.wareedge.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An InfluxDB 1.x server process (Debian's {@code influxd}) on free loopback ports, its data in a given directory:
 * for tests and benchmarks. {@link #stop()} and {@link #start()} make an outage; the data survives it.
 */
public final class InfluxdServer implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/influxd");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int httpPort = FreePorts.pick();
    private final int rpcPort = FreePorts.pick();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    private InfluxdServer(Path dir) {
        this.dir = dir;
    }

    public static boolean isInstalled() {
        return Files.isExecutable(BINARY);
    }

    public static InfluxdServer start(Path dir) throws IOException, InterruptedException {
        InfluxdServer t = new InfluxdServer(dir);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("influxdb.conf"), """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s/meta"
                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  query-log-enabled = false
                [http]
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false
                [monitor]
                  store-enabled = false
                """.formatted(t.rpcPort, dir, dir, dir, t.httpPort));
        t.start();
        return t;
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Starts the process (again) and waits until it answers {@code /ping}. */
    public synchronized void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(BINARY.toString(), "-config", dir.resolve("influxdb.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("influxd.log").toFile()))
                .start();
        long until = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < until) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/ping"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 204) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (!process.isAlive()) {
                throw new IOException("influxd exited: see " + dir.resolve("influxd.log"));
            }
            Thread.sleep(100);
        }
        throw new IOException("influxd did not answer /ping within 30 s: see " + dir.resolve("influxd.log"));
    }

    /** The running process's id (its CPU is part of a benchmark's path). */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("influxd is not running");
        }
        return process.pid();
    }

    /** Kills the process: an outage. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
            process = null;
        }
    }

    /** Freezes the process (SIGSTOP): it keeps its sockets but answers nothing, like a hung server. */
    public synchronized void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    public synchronized void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** The first value of the first series a query answers (a count), or 0 when it answers no series. */
    public long scalar(String database, String query) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/query?db="
                + URLEncoder.encode(database, StandardCharsets.UTF_8) + "&q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode series = JSON.readTree(r.body()).path("results").path(0).path("series");
        if (!series.isArray() || series.isEmpty()) {
            return 0;
        }
        return series.get(0).path("values").path(0).path(1).asLong();
    }

    /**
     * Points the server has taken into a database since it started (its shards' {@code writePointsOk} statistics): a
     * progress count that costs InfluxDB next to nothing, where a {@code count()} over millions of points costs it a
     * quarter of a second of CPU or more. A point written twice counts twice.
     */
    public long pointsWritten(String database) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/query?q="
                + URLEncoder.encode("SHOW STATS FOR 'shard'", StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        long points = 0;
        for (JsonNode shard : JSON.readTree(r.body()).path("results").path(0).path("series")) {
            if (!database.equals(shard.path("tags").path("database").asText())) {
                continue;
            }
            JsonNode columns = shard.path("columns");
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).asText().equals("writePointsOk")) {
                    points += shard.path("values").path(0).path(i).asLong();
                }
            }
        }
        return points;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
