package io.wareedge.server.influx;

import io.wareedge.embedded.Closing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.embedded.InfluxdServer;
import io.wareedge.server.ControlServer;
import io.wareedge.server.testing.ApiClient;
import io.wareedge.server.testing.TestControlServers;
import io.wareedge.server.testing.TestEdgeNode;
import io.wareedge.server.testing.TestPostgres;
import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.Metric;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The InfluxDB export against a real InfluxDB 1.6 process (Debian's influxd), fed through a real broker by a
 * Sparkplug edge node: readings arrive as points of the device's profile measurement with its tags; an outage in the
 * middle of a run loses nothing; a hung InfluxDB slows nothing else down; an outage longer than the buffer loses a
 * counted number of points and nothing more.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InfluxExportTest {
    private static final String DB = "wareedge_test";
    private static final String MEASUREMENT = "\"conveyor-plc-opcua\"";
    private static final int BUFFER = 2_000;

    @TempDir
    static Path dir;

    private TestPostgres postgres;
    private EmbeddedMqttBroker broker;
    private InfluxdServer influx;
    private ControlServer server;
    private ApiClient api;
    private TestEdgeNode node;
    private long nextTimestamp = System.currentTimeMillis() - Duration.ofHours(2).toMillis();

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(InfluxdServer.isInstalled() || System.getenv("CI") != null, "influxd not installed");
        postgres = TestPostgres.start();
        broker = EmbeddedMqttBroker.start(dir.resolve("broker"), 0);
        influx = InfluxdServer.start(dir.resolve("influxd"));
        server = TestControlServers.start(broker.url(), postgres.server(), Map.of(
                "wareedge.influx.url", influx.url(),
                "wareedge.influx.database", DB,
                "wareedge.influx.batch-size", "200",
                "wareedge.influx.flush-interval", "200ms",
                "wareedge.influx.buffer-points", Integer.toString(BUFFER),
                "wareedge.influx.timeout", "1s",
                "wareedge.influx.max-backoff", "1s",
                // the KPI export shares the buffer; InfluxKpiExportTest covers it, here it would blur the accounting
                "wareedge.influx.kpi-interval", "1h"));
        api = new ApiClient(server.url(), server.adminUser(), server.adminPassword());
        node = TestEdgeNode.start(broker.url(), "influx", "gw-1");
        node.deviceBirth("belt-1", "conveyor-plc-opcua", "conveyor-plc", List.of(
                Metric.of("Device/Area", System.currentTimeMillis(), DataType.STRING, "line-9")));
        await().until(() -> api.status(io.micronaut.http.HttpRequest.GET("/api/devices/influx/gw-1/belt-1")
                .basicAuth(server.adminUser(), server.adminPassword())) == 200);
    }

    @AfterAll
    void stop() throws Exception {
        Closing.all(node, api, server, influx, broker, postgres);
    }

    @Test
    void readingsBecomePointsAndAnOutageInTheMiddleLosesNothingAndAHungServerSlowsNothingElse() throws Exception {
        long before = points();
        send(300);
        await().until(() -> points() == before + 300);
        assertThat(influx.scalar(DB, "SELECT count(\"jam\") FROM " + MEASUREMENT
                + " WHERE \"device\" = 'belt-1' AND \"area\" = 'line-9' AND \"site\" = 'influx'")).isEqualTo(300 + before);

        influx.stop();
        send(500);
        await().until(() -> health().path("failedWrites").asLong() > 0 && health().path("buffered").asLong() > 0);
        influx.start();
        await().until(() -> points() == before + 800);
        assertThat(health().path("dropped").asLong()).isZero();

        // Hung, not gone: writes time out, the breaker opens, and readings still reach PostgreSQL at once.
        influx.pause();
        try {
            long t0 = System.nanoTime();
            send(100);
            await().until(() -> storedReadings() >= 800 + 100);
            long storedMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(storedMillis).as("ingest does not wait for InfluxDB").isLessThan(5_000);
            await().until(() -> health().path("failedWrites").asLong() > 1);
        } finally {
            influx.resume();
        }
        await().until(() -> points() == before + 900);
    }

    @Test
    void anOutageLongerThanTheBufferLosesACountedNumberOfPointsAndNoMore() throws Exception {
        await().until(() -> health().path("buffered").asLong() == 0);
        long written0 = health().path("written").asLong();
        long dropped0 = health().path("dropped").asLong();
        influx.stop();
        int sent = 3 * BUFFER;
        send(sent);
        // each writer keeps the batch it could not write in hand (batch-size 200): those are not dropped
        int inHand = InfluxExporter.WRITERS * 200;
        await().until(() -> health().path("dropped").asLong() - dropped0 >= sent - BUFFER - inHand);
        influx.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> health().path("buffered").asLong() == 0
                && health().path("written").asLong() - written0 + health().path("dropped").asLong() - dropped0 == sent);
        long dropped = health().path("dropped").asLong() - dropped0;
        assertThat(dropped).as("the buffer holds %d points and each writer one batch in hand", BUFFER)
                .isBetween((long) sent - BUFFER - inHand, (long) sent - BUFFER);
    }

    @Test
    void valuesOfEveryKindAndNamesThatNeedEscapingArriveAsSent() throws Exception {
        long ts = nextTimestamp++;
        node.deviceBirth("odd 1,a=b", "odd-sensor", "env-sensor", List.of(
                Metric.of("tiny", ts, DataType.DOUBLE, 0.0), Metric.of("huge", ts, DataType.DOUBLE, 0.0),
                Metric.of("note", ts, DataType.STRING, ""), Metric.of("door open", ts, DataType.BOOLEAN, false)));
        node.deviceData("odd 1,a=b", List.of(
                Metric.of("tiny", ts, DataType.DOUBLE, 1.0e-7),
                Metric.of("huge", ts, DataType.DOUBLE, 3.0e21),
                Metric.of("note", ts, DataType.STRING, "say \"hi\", then \\ leave"),
                Metric.of("door open", ts, DataType.BOOLEAN, true)));
        String where = " FROM \"odd-sensor\" WHERE \"device\" = 'odd 1,a=b' AND ";
        await().until(() -> influx.scalar(DB, "SELECT count(\"tiny\")" + where + "\"tiny\" > 0.00000009 AND \"tiny\" < 0.00000011") == 1);
        assertThat(influx.scalar(DB, "SELECT count(\"huge\")" + where + "\"huge\" > 2900000000000000000000.0 AND \"huge\" < 3100000000000000000000.0")).isEqualTo(1);
        assertThat(influx.scalar(DB, "SELECT count(\"note\")" + where + "\"note\" = 'say \"hi\", then \\\\ leave'")).isEqualTo(1);
        assertThat(influx.scalar(DB, "SELECT count(\"door open\")" + where + "\"door open\" = true")).isEqualTo(1);
    }

    private void send(int messages) throws Exception {
        for (int i = 0; i < messages; i++) {
            long ts = nextTimestamp++;
            node.deviceData("belt-1", List.of(
                    Metric.of("motorCurrent", ts, DataType.FLOAT, 4.5f),
                    Metric.of("jam", ts, DataType.BOOLEAN, i % 50 == 0),
                    Metric.of("faultCode", ts, DataType.INT32, 0)));
        }
    }

    private long points() throws Exception {
        return influx.scalar(DB, "SELECT count(\"motorCurrent\") FROM " + MEASUREMENT);
    }

    private long storedReadings() {
        return api.list("/api/devices/influx/gw-1/belt-1/readings?metric=motorCurrent&limit=10000").size();
    }

    private JsonNode health() throws Exception {
        return new ObjectMapper().valueToTree(api.object("/api/influx/health"));
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
    }
}
