package io.wareedge.server.alerts;

import io.wareedge.server.BackgroundThreads;
import io.wareedge.server.sortation.SortQueries;
import io.wareedge.server.sortation.SortViews;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Judges the server-side KPI rules: every {@code kpi-interval} it reads each sorter's counts over each rule's window
 * and hands the values to the alert thread, where they go through the same trackers as device readings.
 * Runs on its own thread, {@value #THREAD_NAME}, so a slow query never holds up alerts from devices.
 */
final class KpiWatch implements AutoCloseable {
    static final String THREAD_NAME = "wareedge-kpi-watch";
    private static final Logger LOG = LoggerFactory.getLogger(KpiWatch.class);

    private final List<AlertSettings.KpiRule> rules;
    private final Duration interval;
    private final DataSource dataSource;
    private final SortQueries sortQueries;
    private final AlertEngine engine;
    private final Clock clock;
    private final ScheduledExecutorService timer = BackgroundThreads.single(THREAD_NAME);

    KpiWatch(List<AlertSettings.KpiRule> rules, Duration interval, DataSource dataSource, SortQueries sortQueries,
             AlertEngine engine, Clock clock) {
        this.rules = rules;
        this.interval = interval;
        this.dataSource = dataSource;
        this.sortQueries = sortQueries;
        this.engine = engine;
        this.clock = clock;
    }

    void start() {
        if (!rules.isEmpty()) {
            timer.scheduleWithFixedDelay(this::judge, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private record Sorter(String site, String sorter, String area) {
    }

    private void judge() {
        try {
            long now = clock.millis();
            Instant to = Instant.ofEpochMilli(now);
            List<KpiReading> readings = new ArrayList<>();
            for (Sorter s : sorters()) {
                Map<Duration, SortViews.Counts> byWindow = new HashMap<>();
                for (AlertSettings.KpiRule rule : rules) {
                    SortViews.Counts counts = byWindow.get(rule.window());
                    if (counts == null) {
                        counts = sortQueries.stats(s.site(), s.sorter(), "hour", to.minus(rule.window()), to).totals();
                        byWindow.put(rule.window(), counts);
                    }
                    Double value = value(rule, counts);
                    if (value != null) {
                        readings.add(new KpiReading(rule, "sorter:" + s.site() + "/" + s.sorter(), s.area(), value, now));
                    }
                }
            }
            if (!readings.isEmpty()) {
                engine.kpi(readings);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("judging KPI rules failed (tried again in {}): {}", interval, e.toString());
        }
    }

    /** The KPI's value, or null while the window holds too few items to judge it. */
    static Double value(AlertSettings.KpiRule rule, SortViews.Counts c) {
        return switch (rule.kpi()) {
            case SORT_ACCURACY -> c.withDestination() >= rule.minItems() && c.accuracy() != null ? c.accuracy() : null;
            case NO_READ_RATE -> c.inducted() >= rule.minItems() ? (double) c.noReads() / c.inducted() : null;
            case MULTI_READ_RATE -> c.inducted() >= rule.minItems() ? (double) c.multiReads() / c.inducted() : null;
            case REJECT_RATE -> c.decisions() >= rule.minItems() ? (double) c.rejected() / c.decisions() : null;
        };
    }

    private List<Sorter> sorters() throws SQLException {
        List<Sorter> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT s.site, s.sorter,
                            (SELECT d.area FROM devices d WHERE d.device_id = s.sorter AND d.area IS NOT NULL LIMIT 1)
                     FROM sorters s ORDER BY 1, 2""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String area = rs.getString(3);
                out.add(new Sorter(rs.getString(1), rs.getString(2), area != null ? area : rs.getString(2)));
            }
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
