package io.wareedge.server.picking;

import static io.wareedge.server.persistence.JdbcValues.instant;
import static io.wareedge.server.persistence.JdbcValues.strings;

import io.wareedge.server.config.PickingSettings;
import io.wareedge.server.picking.PickingViews.LineView;
import io.wareedge.server.picking.PickingViews.PickerStat;
import io.wareedge.server.picking.PickingViews.PickingStats;
import io.wareedge.server.picking.PickingViews.TaskBrief;
import io.wareedge.server.picking.PickingViews.ZoneStat;
import io.wareedge.server.picking.PickingViews.ZoneView;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What supervisors read about picking: order lines and their tasks, zones, and rates over a time range. */
@Singleton
public final class PickingQueries {
    private final DataSource dataSource;
    private final PickingSettings settings;

    public PickingQueries(DataSource dataSource, PickingSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /** An order's lines, each with the tasks made for it. */
    public List<LineView> lines(String orderId) throws SQLException {
        Map<Integer, List<TaskBrief>> tasks = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT line_no, id, state, location, zone, quantity, picked, picker, tote, short_reason, done_at
                    FROM pick_tasks WHERE order_id = ? ORDER BY line_no, id""")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tasks.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(new TaskBrief(rs.getLong(2),
                                rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6), rs.getInt(7),
                                rs.getString(8), rs.getString(9), rs.getString(10), instant(rs.getTimestamp(11))));
                    }
                }
            }
            List<LineView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT line_no, sku, quantity, picked, shorted FROM order_lines WHERE order_id = ? ORDER BY line_no")) {
                ps.setString(1, orderId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new LineView(rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                                tasks.getOrDefault(rs.getInt(1), List.of())));
                    }
                }
            }
            return out;
        }
    }

    public List<ZoneView> zones(String site) throws SQLException {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        List<ZoneView> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT zone, state, count(*) FROM pick_tasks WHERE site = ? GROUP BY zone, state")) {
                ps.setString(1, site);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        counts.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT zone, conveyor, fault_metrics, faulted, fault_reason, changed_at FROM zones
                    WHERE site = ? ORDER BY zone""")) {
                ps.setString(1, site);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ZoneView(site, rs.getString(1), rs.getString(2), strings(rs.getArray(3)),
                                rs.getBoolean(4), rs.getString(5), instant(rs.getTimestamp(6)),
                                counts.getOrDefault(rs.getString(1), Map.of())));
                    }
                }
            }
        }
        return out;
    }

    public PickingStats stats(String site, Instant from, Instant to) throws SQLException {
        double hours = Math.max(Duration.between(from, to).toMillis() / 3_600_000.0, 1e-9);
        long target = settings.cycleTarget().toSeconds();
        try (Connection c = dataSource.getConnection()) {
            long arrived;
            long picked;
            long within;
            Double p50;
            Double p90;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT
                      (SELECT count(*) FROM orders o WHERE o.site = ? AND o.created_at >= ? AND o.created_at < ?
                         AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)),
                      count(*),
                      count(*) FILTER (WHERE picked_at - created_at <= make_interval(secs => ?)),
                      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM picked_at - created_at)),
                      percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM picked_at - created_at))
                    FROM orders WHERE site = ? AND picked_at >= ? AND picked_at < ?""")) {
                ps.setString(1, site);
                ps.setTimestamp(2, Timestamp.from(from));
                ps.setTimestamp(3, Timestamp.from(to));
                ps.setDouble(4, target);
                ps.setString(5, site);
                ps.setTimestamp(6, Timestamp.from(from));
                ps.setTimestamp(7, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    arrived = rs.getLong(1);
                    picked = rs.getLong(2);
                    within = rs.getLong(3);
                    p50 = (Double) rs.getObject(4);
                    p90 = (Double) rs.getObject(5);
                }
            }
            List<PickerStat> pickers = new ArrayList<>();
            long picks = 0;
            long units = 0;
            long shorts = 0;
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT t.done_by, p.name, count(*), sum(t.picked), count(*) FILTER (WHERE t.state = 'short')
                    FROM pick_tasks t LEFT JOIN pickers p ON p.badge = t.done_by
                    WHERE t.site = ? AND t.done_at >= ? AND t.done_at < ?
                    GROUP BY t.done_by, p.name ORDER BY count(*) DESC, t.done_by""")) {
                bindRange(ps, site, from, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pickers.add(new PickerStat(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                                rs.getLong(5), round(rs.getLong(3) / hours)));
                        picks += rs.getLong(3);
                        units += rs.getLong(4);
                        shorts += rs.getLong(5);
                    }
                }
            }
            List<ZoneStat> zones = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT zone, count(*), sum(picked), count(*) FILTER (WHERE state = 'short')
                    FROM pick_tasks WHERE site = ? AND done_at >= ? AND done_at < ? GROUP BY zone ORDER BY zone""")) {
                bindRange(ps, site, from, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        zones.add(new ZoneStat(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                                round(rs.getLong(2) / hours)));
                    }
                }
            }
            Map<String, Long> tasks = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT state, count(*) FROM pick_tasks WHERE site = ? GROUP BY state")) {
                ps.setString(1, site);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tasks.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return new PickingStats(site, from, to, settings.cycleTarget().toMinutes(), arrived, picked, within,
                    picked == 0 ? null : round((double) within / picked), p50, p90, picks, units, shorts, pickers,
                    zones, tasks);
        }
    }

    private static void bindRange(PreparedStatement ps, String site, Instant from, Instant to) throws SQLException {
        ps.setString(1, site);
        ps.setTimestamp(2, Timestamp.from(from));
        ps.setTimestamp(3, Timestamp.from(to));
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
