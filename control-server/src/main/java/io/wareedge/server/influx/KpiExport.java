package io.wareedge.server.influx;

import io.wareedge.server.BackgroundThreads;
import io.wareedge.server.kpi.KpiReports;
import io.wareedge.server.kpi.KpiWindows;
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
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes the KPIs per minute to InfluxDB: measurement {@code kpi_<kind>} (sortation, zones, pickers, orders, alerts,
 * devices), tags {@code site} and the row's key under its own name (sorter, zone, picker, device), the report's
 * columns as fields, time = the minute's start. The same numbers as the KPI API, from the same code.
 *
 * <p>Every round rewrites the last few minutes: a point with the same series and time replaces the earlier one, so
 * events that arrive late (an edge outage) still end up in their minute. Runs on its own thread,
 * {@value #THREAD_NAME}.
 */
final class KpiExport implements AutoCloseable {
    static final String THREAD_NAME = "wareedge-influx-kpi";
    private static final Logger LOG = LoggerFactory.getLogger(KpiExport.class);
    /** How far back each round rewrites minutes. */
    private static final Duration REWRITE = Duration.ofMinutes(5);
    /** The tag each kind's key goes under. */
    private static final Map<String, String> KEY_TAG = Map.of("sortation", "sorter", "zones", "zone",
            "pickers", "picker", "devices", "device");

    private final DataSource dataSource;
    private final KpiReports reports;
    private final InfluxExporter exporter;
    private final Duration interval;
    private final Duration cycleTarget;
    private final Clock clock;
    private final ScheduledExecutorService timer = BackgroundThreads.single(THREAD_NAME);

    KpiExport(DataSource dataSource, InfluxExporter exporter, Duration interval, Duration cycleTarget, Clock clock) {
        this.dataSource = dataSource;
        this.reports = new KpiReports(dataSource);
        this.exporter = exporter;
        this.interval = interval;
        this.cycleTarget = cycleTarget;
        this.clock = clock;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::export, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void export() {
        try {
            Instant now = clock.instant();
            List<KpiWindows.Window> minutes = KpiWindows.of("minute", now.truncatedTo(ChronoUnit.MINUTES).minus(REWRITE),
                    now, List.of(), ZoneOffset.UTC);
            List<Point> points = new ArrayList<>();
            for (String site : sites()) {
                for (String kind : KpiReports.KINDS) {
                    points.addAll(points(site, reports.report(kind, site, "minute", minutes, cycleTarget)));
                }
            }
            exporter.offer(points);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("KPIs for InfluxDB: {} (tried again in {})", e.toString(), interval);
        }
    }

    static List<Point> points(String site, KpiReports.Table table) {
        List<Point> out = new ArrayList<>();
        String keyTag = KEY_TAG.get(table.kind());
        for (KpiReports.Row row : table.rows()) {
            Point.Builder p = Point.measurement("kpi_" + table.kind())
                    .time(row.start().toEpochMilli(), TimeUnit.MILLISECONDS).tag("site", site);
            if (keyTag != null) {
                p.tag(keyTag, row.key());
            }
            int fields = 0;
            for (int i = 0; i < table.columns().size(); i++) {
                Object v = row.values().get(i);
                if (v instanceof Long l) {
                    p.addField(table.columns().get(i), l);
                    fields++;
                } else if (v instanceof Number n) {
                    p.addField(table.columns().get(i), n.doubleValue());
                    fields++;
                }
            }
            if (fields > 0) {
                out.add(p.build());
            }
        }
        return out;
    }

    /** Sites with sorters, orders or edge nodes. */
    private List<String> sites() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT site FROM sorters UNION SELECT site FROM zones"
                     + " UNION SELECT group_id FROM edge_nodes ORDER BY 1");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
