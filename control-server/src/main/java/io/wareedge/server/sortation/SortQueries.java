package io.wareedge.server.sortation;

import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What sorters did, from the decisions and results edge agents reported.
 *
 * <p>Definitions: <b>inducted</b> = first-pass decisions (items); <b>recirculated</b> = decisions with chute 0;
 * <b>rejected</b> = decisions into the reject chute; <b>no-reads</b> = decisions with reason no-read;
 * <b>multi-reads</b> = decisions on more than one distinct code; <b>sorted</b> = results "diverted" into a chute
 * other than the reject chute; <b>accuracy</b> = results "diverted" into a chute of the item's destination, divided
 * by results of items with a known destination that left the sorter (diverted anywhere, the reject chute included,
 * or jammed). Decisions count in the bucket of their induction time, results in the bucket of their result time.
 */
@Singleton
public final class SortQueries {
    private final DataSource dataSource;

    public SortQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public boolean sorterExists(String site, String sorter) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sorters WHERE site = ? AND sorter = ?")) {
            ps.setString(1, site);
            ps.setString(2, sorter);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static final String DECISION_COUNTS = """
            count(*) FILTER (WHERE pass = 0), count(*), count(*) FILTER (WHERE chute = 0),
            count(*) FILTER (WHERE rejected), count(*) FILTER (WHERE reason = 'no-read'),
            count(*) FILTER (WHERE (SELECT count(DISTINCT x) FROM unnest(codes) x) > 1)""";

    private static final String RESULT_COUNTS = """
            count(*), count(*) FILTER (WHERE outcome = 'diverted' AND NOT rejected),
            count(*) FILTER (WHERE outcome = 'missed'), count(*) FILTER (WHERE outcome = 'chute-full'),
            count(*) FILTER (WHERE outcome = 'jam'),
            count(*) FILTER (WHERE destination IS NOT NULL AND outcome IN ('diverted', 'jam')),
            count(*) FILTER (WHERE correct)""";

    /** @param bucket "minute" or "hour" */
    public SortViews.SorterStats stats(String site, String sorter, String bucket, Instant from, Instant to)
            throws SQLException {
        Map<Instant, long[]> buckets = new TreeMap<>();
        long[] totals = new long[13];
        Map<String, Long> byReason = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT date_trunc(?, inducted_at), " + DECISION_COUNTS
                    + " FROM sort_decisions WHERE site = ? AND sorter = ? AND inducted_at >= ? AND inducted_at < ?"
                    + " GROUP BY 1")) {
                bind(ps, bucket, site, sorter, from, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long[] b = buckets.computeIfAbsent(rs.getTimestamp(1).toInstant(), k -> new long[13]);
                        for (int i = 0; i < 6; i++) {
                            b[i] += rs.getLong(i + 2);
                            totals[i] += rs.getLong(i + 2);
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT date_trunc(?, at), " + RESULT_COUNTS
                    + " FROM sort_results WHERE site = ? AND sorter = ? AND at >= ? AND at < ? GROUP BY 1")) {
                bind(ps, bucket, site, sorter, from, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long[] b = buckets.computeIfAbsent(rs.getTimestamp(1).toInstant(), k -> new long[13]);
                        for (int i = 0; i < 7; i++) {
                            b[6 + i] += rs.getLong(i + 2);
                            totals[6 + i] += rs.getLong(i + 2);
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT reason, count(*) FROM sort_decisions"
                    + " WHERE site = ? AND sorter = ? AND inducted_at >= ? AND inducted_at < ? GROUP BY reason")) {
                ps.setString(1, site);
                ps.setString(2, sorter);
                ps.setTimestamp(3, Timestamp.from(from));
                ps.setTimestamp(4, Timestamp.from(to));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byReason.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
        }
        List<SortViews.Bucket> out = new ArrayList<>();
        buckets.forEach((start, b) -> out.add(new SortViews.Bucket(start, counts(b))));
        return new SortViews.SorterStats(site, sorter, bucket, from, to, counts(totals), byReason, out);
    }

    private static void bind(PreparedStatement ps, String bucket, String site, String sorter, Instant from, Instant to)
            throws SQLException {
        ps.setString(1, bucket);
        ps.setString(2, site);
        ps.setString(3, sorter);
        ps.setTimestamp(4, Timestamp.from(from));
        ps.setTimestamp(5, Timestamp.from(to));
    }

    private static SortViews.Counts counts(long[] b) {
        Double accuracy = b[11] == 0 ? null : (double) b[12] / b[11];
        return new SortViews.Counts(b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
                accuracy);
    }

    public Optional<SortViews.ItemView> item(String site, String sorter, long seq) throws SQLException {
        List<SortViews.PassView> passes = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT d.pass, d.codes, d.chute, d.reason, d.code, d.destination, d.plan_version, d.inducted_at,
                            d.decided_at, r.outcome, r.chute, r.correct, r.at
                     FROM sort_decisions d LEFT JOIN sort_results r
                       ON r.site = d.site AND r.sorter = d.sorter AND r.seq = d.seq AND r.pass = d.pass
                     WHERE d.site = ? AND d.sorter = ? AND d.seq = ? ORDER BY d.pass""")) {
            ps.setString(1, site);
            ps.setString(2, sorter);
            ps.setLong(3, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    passes.add(new SortViews.PassView(rs.getInt(1), strings(rs.getArray(2)), rs.getInt(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7), instant(rs, 8),
                            instant(rs, 9), rs.getString(10), (Integer) rs.getObject(11), (Boolean) rs.getObject(12),
                            instant(rs, 13)));
                }
            }
        }
        return passes.isEmpty() ? Optional.empty() : Optional.of(new SortViews.ItemView(site, sorter, seq, passes));
    }

    /**
     * An order and where each of its units is: the unit's latest decision (by induction time) and that pass's result.
     */
    public Optional<SortViews.OrderView> order(String id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            String site;
            String destination;
            Instant created;
            try (PreparedStatement ps = c.prepareStatement("SELECT site, destination, created_at FROM orders WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    site = rs.getString(1);
                    destination = rs.getString(2);
                    created = instant(rs, 3);
                }
            }
            List<SortViews.UnitView> units = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT u.code, d.sorter, d.chute, d.inducted_at, r.outcome, r.chute, r.correct, r.rejected, r.at
                    FROM order_sort_units u
                    LEFT JOIN LATERAL (SELECT * FROM sort_decisions d WHERE d.site = ? AND d.code = u.code
                                       ORDER BY d.inducted_at DESC LIMIT 1) d ON true
                    LEFT JOIN sort_results r
                      ON r.site = d.site AND r.sorter = d.sorter AND r.seq = d.seq AND r.pass = d.pass
                    WHERE u.order_id = ? ORDER BY u.code""")) {
                ps.setString(1, site);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String sorter = rs.getString(2);
                        String outcome = rs.getString(5);
                        String state;
                        Integer chute = null;
                        Instant at = null;
                        if (sorter == null) {
                            state = "pending";
                        } else if (outcome == null || outcome.equals("missed") || outcome.equals("chute-full")
                                || outcome.equals("recirculated")) {
                            state = "inducted";
                            at = instant(rs, 4);
                        } else if (outcome.equals("jam")) {
                            state = "jammed";
                            at = instant(rs, 9);
                        } else {
                            chute = rs.getInt(6);
                            at = instant(rs, 9);
                            state = rs.getBoolean(8) ? "rejected" : rs.getBoolean(7) ? "sorted" : "missorted";
                        }
                        units.add(new SortViews.UnitView(rs.getString(1), state, sorter, chute, at));
                    }
                }
            }
            boolean sorted = !units.isEmpty() && units.stream().allMatch(u -> u.state().equals("sorted"));
            Instant sortedAt = sorted ? units.stream().map(SortViews.UnitView::at).max(Instant::compareTo).orElse(null) : null;
            return Optional.of(new SortViews.OrderView(id, site, destination, created, sorted, sortedAt, units));
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
