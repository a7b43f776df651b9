package io.wareedge.server.alerts;

import io.micronaut.serde.annotation.Serdeable;
import io.wareedge.server.registry.TelemetryListener;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The alert service as the API sees it: commands, the feed, queries of alerts, their trail and their statistics,
 * webhook status. Owns the alert thread, the KPI watch and the webhook senders, and stops them on close.
 */
public final class Alerts implements AutoCloseable {
    private final AlertEngine engine;
    private final AlertStore store;
    private final AlertFeed feed;
    private final KpiWatch kpiWatch;
    private final Webhooks webhooks;
    private final DataSource dataSource;

    Alerts(AlertEngine engine, AlertStore store, AlertFeed feed, KpiWatch kpiWatch, Webhooks webhooks,
           DataSource dataSource) {
        this.engine = engine;
        this.store = store;
        this.feed = feed;
        this.kpiWatch = kpiWatch;
        this.webhooks = webhooks;
        this.dataSource = dataSource;
    }

    void start() throws SQLException {
        engine.start();
        kpiWatch.start();
        webhooks.start();
    }

    /** Where ingest hands each stored batch. */
    public TelemetryListener telemetryListener() {
        return engine;
    }

    public AlertView execute(AlertCommand command) throws AlertException {
        return engine.execute(command);
    }

    public AlertFeed feed() {
        return feed;
    }

    public AlertCounters counters() {
        return engine.counters();
    }

    /** A filter of the alert list; null fields match everything. */
    public record Filter(String state, String area, String source, String rule, String severity, int limit) {
    }

    /** Alerts, open ones first by severity (red first) then age (oldest first); closed ones newest first. */
    public List<AlertView> list(Filter f) throws SQLException {
        StringBuilder where = new StringBuilder("WHERE true");
        List<Object> params = new ArrayList<>();
        if ("open".equals(f.state())) {
            where.append(" AND state <> 'closed'");
        } else if (f.state() != null && !"all".equals(f.state())) {
            where.append(" AND state = ?");
            params.add(f.state());
        }
        for (String[] c : new String[][]{{"area", f.area()}, {"source", f.source()}, {"rule", f.rule()},
                {"severity", f.severity() == null ? null : f.severity().toLowerCase(Locale.ROOT)}}) {
            if (c[1] != null) {
                where.append(" AND ").append(c[0]).append(" = ?");
                params.add(c[1]);
            }
        }
        where.append(" ORDER BY state = 'closed', CASE WHEN state = 'closed' THEN 0 ELSE"
                + " (CASE severity WHEN 'red' THEN 0 ELSE 1 END) END, CASE WHEN state = 'closed' THEN -id ELSE id END"
                + " LIMIT ?");
        params.add(f.limit());
        return store.alerts(where.toString(), params);
    }

    public Optional<AlertView> get(long id) throws SQLException {
        return store.alert(id);
    }

    public List<AlertEvent> history(long id) throws SQLException {
        return store.history(id);
    }

    /**
     * Counts and mean times of alerts raised in a range, per device, area or rule. Flood alerts are about the
     * operators' load, not a fault, and are left out.
     *
     * @param mttaSeconds mean time from raised to first acknowledged, over acknowledged alerts
     * @param mttrSeconds mean time from raised to closed, over closed alerts
     */
    @Serdeable
    public record Stats(String key, long raised, long red, long yellow, long acknowledged, long closed, long escalated,
                        long chattering, Double mttaSeconds, Double mttrSeconds) {
    }

    public List<Stats> stats(String by, Instant from, Instant to) throws SQLException {
        String column = switch (by) {
            case "device" -> "source";
            case "area" -> "area";
            case "rule" -> "rule";
            default -> throw new IllegalArgumentException("by must be device, area or rule, got '" + by + "'");
        };
        List<Stats> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + column + ", count(*),"
                     + " count(*) FILTER (WHERE severity = 'red'), count(*) FILTER (WHERE severity = 'yellow'),"
                     + " count(acked_at), count(closed_at), count(escalated_at), count(*) FILTER (WHERE chattering),"
                     + " avg(extract(epoch FROM acked_at - raised_at)), avg(extract(epoch FROM closed_at - raised_at))"
                     + " FROM alerts WHERE raised_at >= ? AND raised_at < ? AND rule <> '" + AlertEngine.FLOOD_RULE
                     + "' GROUP BY 1 ORDER BY 2 DESC, 1")) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stats(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), rs.getLong(8), (Double) doubleOrNull(rs, 9),
                            (Double) doubleOrNull(rs, 10)));
                }
            }
        }
        return out;
    }

    private static Double doubleOrNull(ResultSet rs, int column) throws SQLException {
        Object v = rs.getObject(column);
        return v == null ? null : ((Number) v).doubleValue();
    }

    /** A device under maintenance. */
    @Serdeable
    public record OutOfServiceView(String source, Instant since, String by, String reason) {
    }

    public List<OutOfServiceView> outOfService() throws SQLException {
        List<OutOfServiceView> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT source, since, by_user, reason FROM out_of_service ORDER BY since");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new OutOfServiceView(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getString(4)));
            }
        }
        return out;
    }

    public List<?> webhooks() {
        return webhooks.status();
    }

    public Optional<List<?>> deliveries(String endpoint, int limit) throws SQLException {
        return webhooks.has(endpoint) ? Optional.of(webhooks.deliveries(endpoint, limit)) : Optional.empty();
    }

    @Override
    public void close() {
        webhooks.close();
        kpiWatch.close();
        engine.close();
    }
}
