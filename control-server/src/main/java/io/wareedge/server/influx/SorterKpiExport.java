package io.wareedge.server.influx;

import io.wareedge.server.sortation.SortQueries;
import io.wareedge.server.sortation.SortViews;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes each sorter's counts per minute to InfluxDB (measurement {@code sorter_kpi}, tags {@code site},
 * {@code sorter}; one point per minute). Every round rewrites the last few minutes: a point with the same series and
 * time replaces the earlier one, so results that arrive late (an uplink outage at the edge) still end up counted.
 * Runs on its own thread, {@value #THREAD_NAME}.
 */
final class SorterKpiExport implements AutoCloseable {
    static final String THREAD_NAME = "wareedge-influx-kpi";
    static final String MEASUREMENT = "sorter_kpi";
    private static final Logger LOG = LoggerFactory.getLogger(SorterKpiExport.class);
    /** How far back each round rewrites minutes. */
    private static final Duration REWRITE = Duration.ofMinutes(5);

    private final DataSource dataSource;
    private final SortQueries sortQueries;
    private final InfluxExporter exporter;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, THREAD_NAME);
        t.setDaemon(true);
        return t;
    });

    SorterKpiExport(DataSource dataSource, InfluxExporter exporter, Duration interval, Clock clock) {
        this.dataSource = dataSource;
        this.sortQueries = new SortQueries(dataSource);
        this.exporter = exporter;
        this.interval = interval;
        this.clock = clock;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::export, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void export() {
        try {
            Instant now = clock.instant();
            Instant from = now.truncatedTo(ChronoUnit.MINUTES).minus(REWRITE);
            List<Point> points = new ArrayList<>();
            for (String[] s : sorters()) {
                SortViews.SorterStats stats = sortQueries.stats(s[0], s[1], "minute", from, now);
                for (SortViews.Bucket b : stats.buckets()) {
                    points.add(point(s[0], s[1], b));
                }
            }
            exporter.offer(points);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("sorter KPIs for InfluxDB: {} (tried again in {})", e.toString(), interval);
        }
    }

    static Point point(String site, String sorter, SortViews.Bucket b) {
        SortViews.Counts c = b.counts();
        Point.Builder p = Point.measurement(MEASUREMENT).time(b.start().toEpochMilli(), TimeUnit.MILLISECONDS)
                .tag("site", site).tag("sorter", sorter)
                .addField("inducted", c.inducted())
                .addField("decisions", c.decisions())
                .addField("recirculated", c.recirculated())
                .addField("rejected", c.rejected())
                .addField("no_reads", c.noReads())
                .addField("multi_reads", c.multiReads())
                .addField("sorted", c.sorted())
                .addField("missed", c.missed())
                .addField("chute_full", c.chuteFull())
                .addField("jams", c.jams())
                .addField("with_destination", c.withDestination())
                .addField("correct", c.correct());
        if (c.accuracy() != null) {
            p.addField("accuracy", c.accuracy());
        }
        return p.build();
    }

    private List<String[]> sorters() throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT site, sorter FROM sorters ORDER BY 1, 2");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new String[]{rs.getString(1), rs.getString(2)});
            }
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
