package io.wareedge.warehouse;

import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.embedded.MosquittoBroker;
import io.wareedge.embedded.PostgresServer;
import io.wareedge.server.ControlServer;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing lost, nothing doubled: a device publishes a numbered stream to the gateway's broker (Mosquitto); the
 * edge agent runs as its own JVM and forwards to the site broker (HiveMQ) and the control server (PostgreSQL).
 * The site broker is stopped for 30 s, and during that outage the agent is killed with SIGKILL and started again.
 * Afterwards the server must hold every reading exactly once.
 */
class NoLossIT {

    private static final int RATE_PER_SECOND = 100;
    private static final long TOTAL = 4_500;

    @TempDir
    Path dir;

    @Test
    void uplinkOutageAndKill9LoseNothingAndDoubleNothing() throws Exception {
        Assumptions.assumeTrue(MosquittoBroker.isInstalled() || System.getenv("CI") != null, "mosquitto not installed");
        try (PostgresServer pg = PostgresServer.startAny(Files.createTempDirectory("wareedge-noloss-pg"));
             MosquittoBroker deviceBroker = MosquittoBroker.start(dir.resolve("mosquitto"));
             EmbeddedMqttBroker siteBroker = EmbeddedMqttBroker.start(dir.resolve("hivemq"), 0);
             ControlServer server = ExternalDatabaseServer.start(pg, siteBroker.url(), dir.resolve("server"), "test")) {

            Path config = writeAgentConfig(siteBroker.url(), deviceBroker.url());
            Process agent = startAgent(config, Path.of("target", "noloss-agent-1.log"));
            MqttClient device = new MqttClient(deviceBroker.url(), "numbered-device", new MemoryPersistence());
            device.connect();
            // Until the agent has subscribed once, the gateway's broker has no session to keep messages in:
            // warm up with n=0 until one arrives at the server, then start the numbered stream.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                MqttMessage warmUp = new MqttMessage(("{\"n\":0,\"t\":21.5,\"ts\":" + System.currentTimeMillis() + "}")
                        .getBytes(StandardCharsets.UTF_8));
                warmUp.setQos(1);
                device.publish("test/a/samples", warmUp);
                return storedCount(pg, "=") > 0;
            });
            AtomicLong published = new AtomicLong();
            ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
            publisher.scheduleAtFixedRate(() -> {
                long n = published.get() + 1;
                if (n > TOTAL) {
                    return;
                }
                try {
                    MqttMessage m = new MqttMessage(("{\"n\":" + n + ",\"t\":21.5,\"ts\":" + System.currentTimeMillis() + "}")
                            .getBytes(StandardCharsets.UTF_8));
                    m.setQos(1);
                    device.publish("test/a/samples", m);
                    published.set(n);
                } catch (Exception e) {
                    // the device retries the same number next tick, as a device with its own buffer would
                }
            }, 0, 1_000_000 / RATE_PER_SECOND, TimeUnit.MICROSECONDS);

            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> published.get() >= 500);
                siteBroker.stop();
                long outageStartedAt = published.get();

                await().atMost(Duration.ofSeconds(60)).until(() -> published.get() >= outageStartedAt + 700);
                agent.destroyForcibly();  // SIGKILL: no shutdown hook, no flush
                agent.waitFor(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(60)).until(() -> published.get() >= outageStartedAt + 1000);
                agent = startAgent(config, Path.of("target", "noloss-agent-2.log"));

                await().atMost(Duration.ofSeconds(90)).until(() -> published.get() >= outageStartedAt + 30L * RATE_PER_SECOND);
                siteBroker.start();

                await().atMost(Duration.ofSeconds(120)).until(() -> published.get() >= TOTAL);
                try {
                    await().atMost(Duration.ofSeconds(120)).until(() -> storedCount(pg, ">") >= TOTAL);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("stored " + storedCount(pg, ">") + " of " + TOTAL + "; first missing: "
                            + missing(pg) + "; agent outbox and server health in target/noloss-*.log", e);
                }
                // Give replays a moment to show up if anything were doubled.
                await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);

                try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                     ResultSet rs = c.createStatement().executeQuery("""
                             select count(*), count(distinct r.value_long), min(r.value_long), max(r.value_long)
                             from reading_values r join metrics m on m.id = r.metric_id
                             join devices d on d.id = r.device_id
                             where d.device_id = 'sensor-a' and m.name = 'n' and r.value_long > 0""")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("readings stored; doubled: " + doubled(pg)).isEqualTo(TOTAL);
                    assertThat(rs.getLong(2)).as("distinct numbers").isEqualTo(TOTAL);
                    assertThat(rs.getLong(3)).isEqualTo(1);
                    assertThat(rs.getLong(4)).isEqualTo(TOTAL);
                }
            } finally {
                publisher.shutdownNow();
                device.disconnectForcibly(0, 1000, false);
                device.close(true);
                agent.destroy();
                agent.waitFor(15, TimeUnit.SECONDS);
            }
        }
    }

    /** Readings of n stored, with n compared to 0 by {@code op} (warm-up readings carry n = 0). */
    private static long storedCount(PostgresServer pg, String op) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery("""
                     select count(*) from reading_values r join metrics m on m.id = r.metric_id
                     join devices d on d.id = r.device_id where d.device_id = 'sensor-a' and m.name = 'n'
                     and r.value_long %s 0""".formatted(op))) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException notYetMigrated) {
            return 0;
        }
    }

    private static List<String> doubled(PostgresServer pg) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery("""
                     select r.value_long, array_agg(r.reading_id)::text, array_agg(r.ts)::text
                     from reading_values r join metrics m on m.id = r.metric_id join devices d on d.id = r.device_id
                     where d.device_id = 'sensor-a' and m.name = 'n' and r.value_long > 0
                     group by r.value_long having count(*) > 1 order by 1 limit 20""")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add("n=" + rs.getLong(1) + " readingIds=" + rs.getString(2) + " ts=" + rs.getString(3));
            }
            return out;
        }
    }

    private static List<Long> missing(PostgresServer pg) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery("""
                     select n from generate_series(1, %d) n except
                     select r.value_long from reading_values r join metrics m on m.id = r.metric_id
                     join devices d on d.id = r.device_id where d.device_id = 'sensor-a' and m.name = 'n'
                     order by 1 limit 20""".formatted(TOTAL))) {
            List<Long> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
            return out;
        }
    }

    private Path writeAgentConfig(String siteBroker, String deviceBroker) throws Exception {
        Path profiles = Path.of(getClass().getResource("/test-profiles").toURI());
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, """
                site: test-site
                agentId: gw-noloss
                dataDir: agent-data
                profileDirs: [%s]
                uplink:
                  url: %s
                  initialBackoff: 100ms
                  maxBackoff: 1s
                outbox:
                  fsyncEvery: 200ms
                deviceBrokers:
                  - name: local
                    url: %s
                devices:
                  - name: sensor-a
                    profile: numbered-sensor
                    address: { device: a }
                """.formatted(profiles, siteBroker, deviceBroker));
        return config;
    }

    private static Process startAgent(Path config, Path log) throws Exception {
        String classpath = "target/classes" + File.pathSeparator + "target/lib/*";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "-Xmx96m", "-cp", classpath, "io.wareedge.edge.Main", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
