package io.wareedge.server.kpi;

import io.micronaut.serde.annotation.Serdeable;

import javax.sql.DataSource;
import java.sql.Array;
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
import java.util.TreeSet;

/**
 * KPIs per time window, computed from what the server already stores (sort decisions and results, pick tasks,
 * orders, alerts): the same numbers whether asked per minute, per hour or per shift, as rows of a table that the API
 * answers as JSON or CSV.
 */
public final class KpiReports {

    /** A report: its columns (after start, end, window and key) and one row per window and key. */
    @Serdeable
    public record Table(String kind, String bucket, List<String> columns, List<Row> rows) {
    }

    /** @param window the window's label: the bucket, or the shift's name */
    @Serdeable
    public record Row(Instant start, Instant end, String window, String key, List<Object> values) {
    }

    public static final List<String> KINDS = List.of("sortation", "zones", "pickers", "orders", "alerts", "devices");

    private final DataSource dataSource;

    public KpiReports(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Table report(String kind, String site, String bucket, List<KpiWindows.Window> windows, Duration cycleTarget)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return switch (kind) {
                case "sortation" -> sortation(c, site, bucket, windows);
                case "zones" -> picking(c, site, bucket, windows, "zone");
                case "pickers" -> picking(c, site, bucket, windows, "done_by");
                case "orders" -> orders(c, site, bucket, windows, cycleTarget);
                case "alerts" -> alerts(c, site, bucket, windows);
                case "devices" -> devices(c, site, bucket, windows);
                default -> throw new IllegalArgumentException("kind must be one of " + KINDS + ", got '" + kind + "'");
            };
        }
    }

    private static final String WINDOWS = "WITH w AS (SELECT * FROM unnest(?::timestamptz[], ?::timestamptz[])"
            + " WITH ORDINALITY AS w(ws, we, n)) ";

    /** Per sorter: counts of items inducted (first pass), sorted, recirculated, rejected, no-reads, multi-reads. */
    private Table sortation(Connection c, String site, String bucket, List<KpiWindows.Window> windows)
            throws SQLException {
        List<String> sorters = strings(c, "SELECT sorter FROM sorters WHERE site = ? ORDER BY sorter", site);
        Map<String, long[]> counts = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(WINDOWS + """
                SELECT w.n, d.sorter, count(*) FILTER (WHERE d.pass = 0), count(*) FILTER (WHERE d.chute = 0),
                       count(*) FILTER (WHERE d.rejected), count(*) FILTER (WHERE d.reason = 'no-read'),
                       count(*) FILTER (WHERE (SELECT count(DISTINCT x) FROM unnest(d.codes) x) > 1)
                FROM w JOIN sort_decisions d ON d.site = ? AND d.inducted_at >= w.ws AND d.inducted_at < w.we
                GROUP BY 1, 2""")) {
            bindWindows(c, ps, windows);
            ps.setString(3, site);
            collect(ps, counts, 0, 5);
        }
        try (PreparedStatement ps = c.prepareStatement(WINDOWS + """
                SELECT w.n, r.sorter, count(*) FILTER (WHERE r.outcome = 'diverted' AND NOT r.rejected),
                       count(*) FILTER (WHERE r.outcome = 'missed'),
                       count(*) FILTER (WHERE r.destination IS NOT NULL AND r.outcome IN ('diverted', 'jam')),
                       count(*) FILTER (WHERE r.correct)
                FROM w JOIN sort_results r ON r.site = ? AND r.at >= w.ws AND r.at < w.we
                GROUP BY 1, 2""")) {
            bindWindows(c, ps, windows);
            ps.setString(3, site);
            collect(ps, counts, 5, 4);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            KpiWindows.Window w = windows.get(i);
            for (String sorter : sorters) {
                long[] v = counts.getOrDefault((i + 1) + "\u0000" + sorter, new long[9]);
                long inducted = v[0];
                rows.add(new Row(w.start(), w.end(), w.label(), sorter, java.util.Arrays.asList(inducted, v[5], v[1], v[2], v[3], v[4],
                        v[6], v[7], v[8], ratio(v[8], v[7]), ratio(v[3], inducted), ratio(v[4], inducted),
                        round(v[5] / KpiWindows.hours(w)))));
            }
        }
        return new Table("sortation", bucket, List.of("inducted", "sorted", "recirculated", "rejected", "noReads",
                "multiReads", "missed", "withDestination", "correct", "accuracy", "noReadRate", "multiReadRate",
                "sortedPerHour"), rows);
    }

    /** Per zone or per picker: tasks confirmed, short-picked, units picked, and picks per hour. */
    private Table picking(Connection c, String site, String bucket, List<KpiWindows.Window> windows, String by)
            throws SQLException {
        Map<String, long[]> counts = new LinkedHashMap<>();
        TreeSet<String> keys = new TreeSet<>();
        if (by.equals("zone")) {
            keys.addAll(strings(c, "SELECT zone FROM zones WHERE site = ? ORDER BY zone", site));
        }
        try (PreparedStatement ps = c.prepareStatement(WINDOWS + "SELECT w.n, t." + by + ","
                + " count(*) FILTER (WHERE t.state = 'done'), count(*) FILTER (WHERE t.state = 'short'),"
                + " coalesce(sum(t.picked), 0)"
                + " FROM w JOIN pick_tasks t ON t.site = ? AND t.done_at >= w.ws AND t.done_at < w.we"
                + " AND t." + by + " IS NOT NULL GROUP BY 1, 2")) {
            bindWindows(c, ps, windows);
            ps.setString(3, site);
            collect(ps, counts, 0, 3);
        }
        counts.keySet().forEach(k -> keys.add(k.substring(k.indexOf('\u0000') + 1)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            KpiWindows.Window w = windows.get(i);
            for (String key : keys) {
                long[] v = counts.get((i + 1) + "\u0000" + key);
                if (v == null && by.equals("done_by")) {
                    continue; // a picker appears in the windows they worked in
                }
                v = v == null ? new long[3] : v;
                rows.add(new Row(w.start(), w.end(), w.label(), key, List.of(v[0] + v[1], v[0], v[1], v[2],
                        round((v[0] + v[1]) / KpiWindows.hours(w)))));
            }
        }
        return new Table(by.equals("zone") ? "zones" : "pickers", bucket,
                List.of("picks", "confirmed", "shortPicked", "units", "picksPerHour"), rows);
    }

    /**
     * Orders that arrived in each window: how many were picked and sorted, the cycle times from arrival (p50, p90)
     * and the share picked within the target. An order counts as sorted when every unit of it reached a chute of its
     * destination.
     */
    private Table orders(Connection c, String site, String bucket, List<KpiWindows.Window> windows,
                         Duration cycleTarget) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(WINDOWS + """
                , o AS (
                  SELECT w.n, o.created_at, o.picked_at,
                         EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id) AS has_lines,
                         (SELECT CASE WHEN count(*) > 0 AND count(x.at) = count(*) THEN max(x.at) END
                          FROM order_sort_units u
                          LEFT JOIN LATERAL (SELECT min(r.at) AS at FROM sort_decisions d
                                             JOIN sort_results r ON r.site = d.site AND r.sorter = d.sorter
                                                                AND r.seq = d.seq AND r.pass = d.pass
                                             WHERE d.code = u.code AND r.correct) x ON true
                          WHERE u.order_id = o.id) AS sorted_at,
                         EXISTS (SELECT 1 FROM order_sort_units u WHERE u.order_id = o.id) AS has_units
                  FROM w JOIN orders o ON o.site = ? AND o.created_at >= w.ws AND o.created_at < w.we)
                SELECT n, count(*), count(*) FILTER (WHERE has_lines), count(picked_at),
                       count(*) FILTER (WHERE picked_at <= created_at + ?::interval),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM picked_at - created_at)),
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM picked_at - created_at)),
                       count(*) FILTER (WHERE has_units), count(sorted_at),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sorted_at - created_at)),
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM sorted_at - created_at))
                FROM o GROUP BY n""")) {
            bindWindows(c, ps, windows);
            ps.setString(3, site);
            ps.setString(4, cycleTarget.toMillis() + " milliseconds");
            Map<Integer, Object[]> byWindow = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long toPick = rs.getLong(3);
                    long withinTarget = rs.getLong(5);
                    byWindow.put(rs.getInt(1), new Object[]{rs.getLong(2), toPick, rs.getLong(4), ratio(withinTarget, toPick),
                            number(rs, 6), number(rs, 7), rs.getLong(8), rs.getLong(9), number(rs, 10), number(rs, 11)});
                }
            }
            for (int i = 0; i < windows.size(); i++) {
                KpiWindows.Window w = windows.get(i);
                Object[] v = byWindow.getOrDefault(i + 1, new Object[]{0L, 0L, 0L, null, null, null, 0L, 0L, null, null});
                rows.add(new Row(w.start(), w.end(), w.label(), site, java.util.Arrays.asList(v)));
            }
        }
        return new Table("orders", bucket, List.of("arrived", "toPick", "picked", "pickedWithinTarget",
                "pickSecondsP50", "pickSecondsP90", "toSort", "sorted", "sortSecondsP50", "sortSecondsP90"), rows);
    }

    /**
     * Alerts raised in each window (red, yellow; flood alerts apart), acknowledged, MTTA and MTTR of those, escalations,
     * and the share of the window some area of the site was in an alert flood.
     */
    private Table alerts(Connection c, String site, String bucket, List<KpiWindows.Window> windows)
            throws SQLException {
        String ofSite = " (a.source LIKE ? OR a.source LIKE ? OR a.source LIKE 'area:%') ";
        Map<Integer, Object[]> byWindow = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(WINDOWS + """
                SELECT w.n, count(*) FILTER (WHERE a.severity = 'red'), count(*) FILTER (WHERE a.severity = 'yellow'),
                       count(a.acked_at), count(a.escalated_at),
                       avg(extract(epoch FROM a.acked_at - a.raised_at)), avg(extract(epoch FROM a.closed_at - a.raised_at))
                FROM w JOIN alerts a ON a.raised_at >= w.ws AND a.raised_at < w.we AND a.rule <> 'flood' AND""" + ofSite
                + " GROUP BY 1")) {
            bindWindows(c, ps, windows);
            ps.setString(3, site + "/%");
            ps.setString(4, "sorter:" + site + "/%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byWindow.put(rs.getInt(1), new Object[]{rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            number(rs, 6), number(rs, 7), 0.0});
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(WINDOWS + """
                , f AS (SELECT w.n, range_agg(tstzrange(greatest(a.raised_at, w.ws),
                                                       least(coalesce(a.closed_at, now()), w.we))) AS m
                        FROM w JOIN alerts a ON a.rule = 'flood' AND a.raised_at < w.we
                                             AND coalesce(a.closed_at, now()) > w.ws
                        GROUP BY w.n)
                SELECT f.n, (SELECT coalesce(sum(extract(epoch FROM upper(x) - lower(x))), 0) FROM unnest(f.m) x)
                FROM f""")) {
            bindWindows(c, ps, windows);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    KpiWindows.Window w = windows.get(rs.getInt(1) - 1);
                    Object[] v = byWindow.computeIfAbsent(rs.getInt(1), k -> new Object[]{0L, 0L, 0L, 0L, null, null, 0.0});
                    v[6] = round4(rs.getDouble(2) / Duration.between(w.start(), w.end()).toSeconds());
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            KpiWindows.Window w = windows.get(i);
            Object[] v = byWindow.getOrDefault(i + 1, new Object[]{0L, 0L, 0L, 0L, null, null, 0.0});
            rows.add(new Row(w.start(), w.end(), w.label(), site, java.util.Arrays.asList(v)));
        }
        return new Table("alerts", bucket, List.of("red", "yellow", "acknowledged", "escalated", "mttaSeconds",
                "mttrSeconds", "floodShare"), rows);
    }

    /**
     * Per device of the site: time online (from its births and deaths) and, for devices with a boolean
     * {@code running} metric (conveyors, sorters), time running, each as a share of the window; and the alerts
     * raised on it (faults). A device that was never born before a window counts as offline in it. Running time comes
     * from the readings of {@code running}, which are kept for the readings retention: in a window older than that it
     * is 0 unless the last value says otherwise.
     */
    private Table devices(Connection c, String site, String bucket, List<KpiWindows.Window> windows)
            throws SQLException {
        Map<String, double[]> seconds = new LinkedHashMap<>();
        TreeSet<String> keys = new TreeSet<>(strings(c, "SELECT n.node_id || '/' || d.device_id FROM devices d"
                + " JOIN edge_nodes n ON n.id = d.edge_node_id WHERE n.group_id = ? AND d.device_id <> ''", site));
        try (PreparedStatement ps = c.prepareStatement(WINDOWS + """
                , ch AS (SELECT c.device_id, c.at, c.online,
                                lead(c.at) OVER (PARTITION BY c.device_id ORDER BY c.at, c.online) AS next_at
                         FROM device_state_changes c)
                SELECT w.n, n.node_id || '/' || d.device_id,
                       sum(extract(epoch FROM least(coalesce(ch.next_at, now()), w.we) - greatest(ch.at, w.ws)))
                FROM w JOIN ch ON ch.online AND ch.at < w.we AND coalesce(ch.next_at, now()) > w.ws
                       JOIN devices d ON d.id = ch.device_id
                       JOIN edge_nodes n ON n.id = d.edge_node_id AND n.group_id = ?
                GROUP BY 1, 2""")) {
            bindWindows(c, ps, windows);
            ps.setString(3, site);
            collectSeconds(ps, seconds, 0);
        }
        try (PreparedStatement ps = c.prepareStatement(WINDOWS + """
                , r AS (SELECT device_id, ts, value_bool,
                               lead(ts) OVER (PARTITION BY metric_id ORDER BY ts) AS next_ts
                        FROM (SELECT rd.metric_id, rd.device_id, rd.ts, rd.value_bool
                              FROM metrics m JOIN reading_values rd ON rd.device_id = m.device_id
                                                                       AND rd.metric_id = m.id
                              WHERE m.name = 'running' AND rd.ts < (SELECT max(we) FROM w)
                              -- The last value stands for its reading once the retention dropped that reading's
                              -- day: a line running unchanged for longer than the retention still counts as running.
                              -- While the reading is kept, UNION folds the two into one.
                              UNION
                              SELECT m.id, m.device_id, m.value_ts, m.value_bool FROM metrics m
                              WHERE m.name = 'running' AND m.value_ts < (SELECT max(we) FROM w)) kept)
                SELECT w.n, n.node_id || '/' || d.device_id,
                       sum(extract(epoch FROM least(coalesce(r.next_ts, now()), w.we) - greatest(r.ts, w.ws)))
                FROM w JOIN r ON r.value_bool AND r.ts < w.we AND coalesce(r.next_ts, now()) > w.ws
                       JOIN devices d ON d.id = r.device_id
                       JOIN edge_nodes n ON n.id = d.edge_node_id AND n.group_id = ?
                GROUP BY 1, 2""")) {
            bindWindows(c, ps, windows);
            ps.setString(3, site);
            collectSeconds(ps, seconds, 1);
        }
        Map<String, long[]> faults = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(WINDOWS + """
                SELECT w.n, substring(a.source FROM position('/' IN a.source) + 1), count(*)
                FROM w JOIN alerts a ON a.raised_at >= w.ws AND a.raised_at < w.we AND a.source LIKE ?
                GROUP BY 1, 2""")) {
            bindWindows(c, ps, windows);
            ps.setString(3, site + "/%");
            collect(ps, faults, 0, 1);
        }
        List<String> withRunning = strings(c, "SELECT DISTINCT n.node_id || '/' || d.device_id FROM metrics m"
                + " JOIN devices d ON d.id = m.device_id JOIN edge_nodes n ON n.id = d.edge_node_id"
                + " WHERE m.name = 'running' AND n.group_id = ?", site);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            KpiWindows.Window w = windows.get(i);
            double length = Duration.between(w.start(), w.end()).toMillis() / 1000.0;
            for (String key : keys) {
                double[] s = seconds.getOrDefault((i + 1) + "\u0000" + key, new double[2]);
                long[] f = faults.getOrDefault((i + 1) + "\u0000" + key, new long[9]);
                boolean running = withRunning.contains(key);
                rows.add(new Row(w.start(), w.end(), w.label(), key, java.util.Arrays.asList(round(s[0]),
                        round4(s[0] / length), running ? round(s[1]) : null, running ? round4(s[1] / length) : null,
                        f[0])));
            }
        }
        return new Table("devices", bucket, List.of("onlineSeconds", "availability", "runningSeconds",
                "runningShare", "faults"), rows);
    }

    private static void collectSeconds(PreparedStatement ps, Map<String, double[]> into, int index) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.computeIfAbsent(rs.getInt(1) + "\u0000" + rs.getString(2), k -> new double[2])[index] = rs.getDouble(3);
            }
        }
    }

    /** Renders a table as CSV (RFC 4180): start, end, window, key, then the table's columns. */
    public static String csv(Table t) {
        StringBuilder out = new StringBuilder("start,end,window,key");
        t.columns().forEach(col -> out.append(',').append(col));
        out.append("\r\n");
        for (Row r : t.rows()) {
            out.append(r.start()).append(',').append(r.end()).append(',').append(quote(r.window())).append(',')
                    .append(quote(r.key()));
            for (Object v : r.values()) {
                out.append(',').append(v == null ? "" : quote(v.toString()));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static void bindWindows(Connection c, PreparedStatement ps, List<KpiWindows.Window> windows)
            throws SQLException {
        Timestamp[] starts = new Timestamp[windows.size()];
        Timestamp[] ends = new Timestamp[windows.size()];
        for (int i = 0; i < windows.size(); i++) {
            starts[i] = Timestamp.from(windows.get(i).start());
            ends[i] = Timestamp.from(windows.get(i).end());
        }
        Array a = c.createArrayOf("timestamptz", starts);
        Array b = c.createArrayOf("timestamptz", ends);
        ps.setArray(1, a);
        ps.setArray(2, b);
    }

    /** Rows of (window number, key, counts...) into key "n\0key" → counts at {@code offset}. */
    private static void collect(PreparedStatement ps, Map<String, long[]> into, int offset, int n) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long[] v = into.computeIfAbsent(rs.getInt(1) + "\u0000" + rs.getString(2), k -> new long[9]);
                for (int i = 0; i < n; i++) {
                    v[offset + i] = rs.getLong(3 + i);
                }
            }
        }
    }

    private static List<String> strings(Connection c, String sql, String param) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static Double number(ResultSet rs, int column) throws SQLException {
        Object v = rs.getObject(column);
        return v == null ? null : round(((Number) v).doubleValue());
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : round4((double) part / whole);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
