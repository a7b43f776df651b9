package io.wareedge.server.influx;

import io.wareedge.embedded.Closing;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.embedded.InfluxdServer;
import io.wareedge.server.ControlServer;
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

/** The KPIs per minute written to a real InfluxDB 1.6 process: the same numbers as the KPI API, per kind. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InfluxKpiExportTest {
    private static final String DB = "wareedge_kpi_test";

    @TempDir
    static Path dir;

    private TestPostgres postgres;
    private EmbeddedMqttBroker broker;
    private InfluxdServer influx;
    private ControlServer server;
    private TestEdgeNode node;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(InfluxdServer.isInstalled() || System.getenv("CI") != null, "influxd not installed");
        postgres = TestPostgres.start();
        broker = EmbeddedMqttBroker.start(dir.resolve("broker"), 0);
        influx = InfluxdServer.start(dir.resolve("influxd"));
        server = TestControlServers.start(broker.url(), postgres.server(), Map.of(
                "wareedge.influx.url", influx.url(),
                "wareedge.influx.database", DB,
                "wareedge.influx.flush-interval", "200ms",
                "wareedge.influx.kpi-interval", "300ms"));
        node = TestEdgeNode.start(broker.url(), "influx", "gw-1");
        node.deviceBirth("belt-1", "conveyor-plc-opcua", "conveyor-plc", List.of(
                Metric.of("Device/Area", System.currentTimeMillis(), DataType.STRING, "line-9")));
    }

    @AfterAll
    void stop() throws Exception {
        Closing.all(node, server, influx, broker, postgres);
    }

    @Test
    void theKpisPerMinuteBecomePointsOfTheirKind() throws Exception {
        postgres.execute("INSERT INTO sorters (site, sorter, layout, reject_chute) VALUES ('kpi', 's1', '{}', 0)");
        // The previous minute: 30 items inducted, 3 of them no-reads (rejected), 27 diverted to their chute.
        String at = "date_trunc('minute', now()) - interval '1 minute' + interval '5 seconds'";
        StringBuilder sql = new StringBuilder();
        for (int seq = 0; seq < 30; seq++) {
            boolean noRead = seq < 3;
            sql.append("INSERT INTO sort_decisions (site, sorter, seq, pass, agent, codes, chute, rejected, reason,"
                    + " destination, plan_version, inducted_at, decided_at) VALUES ('kpi', 's1', ").append(seq)
                    .append(", 0, 'gw', ").append(noRead ? "'{}'" : "'{C" + seq + "}'").append(", ")
                    .append(noRead ? 0 : 1).append(", ").append(noRead).append(", '")
                    .append(noRead ? "no-read" : "plan").append("', ").append(noRead ? "NULL" : "'D'")
                    .append(", 1, ").append(at).append(", ").append(at).append(");");
            if (!noRead) {
                sql.append("INSERT INTO sort_results (site, sorter, seq, pass, agent, chute, rejected, outcome,"
                        + " destination, correct, at) VALUES ('kpi', 's1', ").append(seq)
                        .append(", 0, 'gw', 1, false, 'diverted', 'D', true, ").append(at).append(");");
            }
        }
        postgres.execute(sql.toString());
        String where = " FROM kpi_sortation WHERE \"site\" = 'kpi' AND \"sorter\" = 's1'";
        await().until(() -> influx.scalar(DB, "SELECT sum(\"inducted\")" + where) == 30);
        assertThat(influx.scalar(DB, "SELECT sum(\"noReads\")" + where)).isEqualTo(3);
        assertThat(influx.scalar(DB, "SELECT sum(\"sorted\")" + where)).isEqualTo(27);
        assertThat(influx.scalar(DB, "SELECT sum(\"rejected\")" + where)).isEqualTo(3);
        assertThat(influx.scalar(DB, "SELECT count(\"accuracy\")" + where)).isEqualTo(1);
        assertThat(influx.scalar(DB, "SELECT count(\"inducted\")" + where + " AND \"inducted\" > 0"))
                .as("one point for the minute, rewritten in place each round").isEqualTo(1);
        // the edge node's device has its availability per minute
        await().until(() -> influx.scalar(DB, "SELECT count(\"availability\") FROM kpi_devices WHERE \"site\" = 'influx'"
                + " AND \"device\" = 'gw-1/belt-1'") > 0);
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
    }
}
