package io.wareedge.warehouse;

import io.wareedge.edge.EdgeAgent;
import io.wareedge.edge.config.AgentConfigLoader;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.embedded.MosquittoBroker;
import io.wareedge.embedded.PostgresServer;
import io.wareedge.server.ControlServer;
import io.wareedge.server.sortation.SortQueries;
import io.wareedge.server.sortation.SortViews;
import io.wareedge.sim.sorter.SorterSettings;
import io.wareedge.sim.sorter.SorterSimulator;
import io.wareedge.sim.sorter.SorterStats;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sortation with the control server away: the simulated sorter inducts into the gateway broker (Mosquitto), the
 * edge agent decides from its plan replica, and the control server (PostgreSQL, site broker HiveMQ) is stopped for
 * 30 s in the middle. Every item must still get a divert command, and afterwards the server's counts must equal
 * the simulator's exactly.
 */
class SortationEndToEndIT {
    private static final Logger LOG = LoggerFactory.getLogger(SortationEndToEndIT.class);

    @TempDir
    Path dir;

    @Test
    void everyItemIsDecidedWhileTheServerIsDownAndTheCountsMatchAfterwards() throws Exception {
        Assumptions.assumeTrue(MosquittoBroker.isInstalled() || System.getenv("CI") != null, "mosquitto not installed");
        try (PostgresServer pg = PostgresServer.startAny(Files.createTempDirectory("wareedge-sort-pg"));
             MosquittoBroker gateway = MosquittoBroker.start(dir.resolve("mosquitto"));
             EmbeddedMqttBroker site = EmbeddedMqttBroker.start(dir.resolve("hivemq"), 0)) {
            ControlServer server = ExternalDatabaseServer.start(pg, site.url(), dir.resolve("server"), "test");
            List<String> parcels = SortationDemo.setUp(server);
            EdgeAgent agent = EdgeAgent.start(AgentConfigLoader.parse("""
                    site: %s
                    agentId: gw-sort
                    dataDir: agent
                    uplink: { url: %s, primaryHostId: wareedge-host, initialBackoff: 100ms, maxBackoff: 1s }
                    deviceBrokers: [ { name: floor, url: %s } ]
                    devices:
                      - { name: %s, profile: generic-sorter, address: { device: %s } }
                    """.formatted(SortationDemo.SITE, site.url(), gateway.url(), SortationDemo.SORTER,
                    SortationDemo.SORTER), dir));
            SorterSimulator sorter = null;
            try {
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        agent.sorters().get(SortationDemo.SORTER).decisions().plan() != null);
                Random random = new Random(11);
                SorterSettings settings = SorterSettings.defaults(SortationDemo.SORTER).withRate(40)
                        .withChutes(12, 12, 25, Duration.ofSeconds(4))
                        .withTiming(Duration.ofMillis(400), Duration.ofMillis(20), Duration.ofMillis(1200))
                        .withShares(0.03, 0.02, 0.005, 0.01, 0.01, 0.005);
                sorter = new SorterSimulator(gateway.url(), settings, () -> {
                    synchronized (random) {
                        return random.nextInt(100) == 0 ? "UNKNOWN" + random.nextInt(1000) : parcels.get(random.nextInt(parcels.size()));
                    }
                }).start();
                SorterSimulator sim = sorter;
                await().atMost(Duration.ofSeconds(30)).until(() -> sim.stats().items() >= 150);

                server.close();
                long downAt = sim.stats().inducted();
                Instant restartAt = Instant.now().plusSeconds(30);
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> Instant.now().isAfter(restartAt));
                long inductedWhileDown = sim.stats().inducted() - downAt;
                assertThat(sim.stats().commands()).as("every induction answered while the server was down")
                        .isGreaterThanOrEqualTo(sim.stats().inducted() - 40);
                server = ExternalDatabaseServer.start(pg, site.url(), dir.resolve("server"), "test");

                await().atMost(Duration.ofSeconds(30)).until(() -> sim.stats().items() >= 1_700);
                sim.pauseInduction();
                await().atMost(Duration.ofSeconds(60)).until(() -> sim.onSorter() == 0);
                SorterStats s = sim.stats();
                LOG.info("simulator: {} (inducted while the server was down: {})", s, inductedWhileDown);
                assertThat(inductedWhileDown).isGreaterThan(1_000);
                assertThat(s.commands()).as("one divert command per induction").isEqualTo(s.inducted());
                assertThat(s.commandsLate()).isZero();
                assertThat(s.commandsIgnored()).isZero();

                SortQueries queries = server.service(SortQueries.class);
                Instant from = Instant.now().minus(Duration.ofHours(1));
                Instant to = Instant.now().plus(Duration.ofMinutes(1));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    SortViews.Counts c = queries.stats(SortationDemo.SITE, SortationDemo.SORTER, "hour", from, to).totals();
                    return c.decisions() == s.inducted() && c.results() == s.results();
                });
                SortViews.Counts c = queries.stats(SortationDemo.SITE, SortationDemo.SORTER, "hour", from, to).totals();
                long divertedIntoSortChutes = s.divertedTotal() - s.diverted().getOrDefault(12, 0L);
                assertThat(c.inducted()).isEqualTo(s.items());
                assertThat(c.decisions()).isEqualTo(s.inducted());
                assertThat(c.results()).isEqualTo(s.results());
                assertThat(c.sorted()).isEqualTo(divertedIntoSortChutes);
                assertThat(c.missed()).isEqualTo(s.missed());
                assertThat(c.chuteFull()).isEqualTo(s.chuteFull());
                assertThat(c.jams()).isEqualTo(s.jams());
                assertThat(c.multiReads()).isEqualTo(s.multiReads());
                assertThat(count(pg, "SELECT count(*) FROM sort_decisions WHERE cardinality(codes) = 0")).isEqualTo(s.noReads());
                assertThat(count(pg, "SELECT count(*) FROM sort_results WHERE outcome = 'recirculated'")).isEqualTo(s.recirculated());
                assertThat(count(pg, "SELECT count(*) FROM sort_results WHERE outcome = 'diverted' AND chute = 12"))
                        .isEqualTo(s.diverted().getOrDefault(12, 0L));
                assertThat(c.accuracy()).isNotNull().isGreaterThan(0.9);
            } finally {
                if (sorter != null) {
                    sorter.close();
                }
                agent.close();
                server.close();
            }
        }
    }

    private static long count(PostgresServer pg, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
