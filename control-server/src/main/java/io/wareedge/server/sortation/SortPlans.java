package io.wareedge.server.sortation;

import com.fasterxml.jackson.databind.JsonNode;
import io.wareedge.sortation.Chute;
import io.wareedge.sortation.Codes;
import io.wareedge.sortation.PlanException;
import io.wareedge.sortation.SortJson;
import io.wareedge.sortation.SortPlan;
import io.wareedge.sortation.SorterLayout;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The sort plans the control server owns: each sorter's layout, the codes uploaded for it and the orders' units
 * whose destination it serves. Every change bumps the sorter's plan version in the same transaction and tells the
 * {@link PlanPublisher} (registered as the change listener), which pushes the new snapshot to the edge.
 *
 * <p>A sorter's plan = the codes of its site's orders whose destination one of its chutes serves, overridden by
 * the codes uploaded for the sorter (an uploaded assignment wins over an order's destination).
 */
@Singleton
public final class SortPlans {
    private final DataSource dataSource;
    private volatile Consumer<SorterKey> changeListener = k -> { };

    /** A sorter: its site and its device name at the edge. */
    public record SorterKey(String site, String sorter) {
    }

    public SortPlans(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void onChange(Consumer<SorterKey> listener) {
        this.changeListener = listener;
    }

    /** Thrown for a sorter that has no layout yet. */
    public static final class UnknownSorterException extends RuntimeException {
        public UnknownSorterException(String site, String sorter) {
            super("no sorter " + sorter + " in site " + site + " (put its layout first)");
        }
    }

    // ---- layout ----

    public SortViews.LayoutResult putLayout(String site, String sorter, byte[] body) throws SQLException {
        checkName("site", site);
        checkName("sorter", sorter);
        SorterLayout layout = SortJson.readLayout(SortJson.parse(body));
        long version;
        List<String> warnings = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO sorters (site, sorter, layout, reject_chute) VALUES (?, ?, ?::jsonb, ?)
                    ON CONFLICT (site, sorter) DO UPDATE SET layout = excluded.layout,
                        reject_chute = excluded.reject_chute, plan_version = sorters.plan_version + 1,
                        updated_at = now()
                    RETURNING plan_version""")) {
                ps.setString(1, site);
                ps.setString(2, sorter);
                ps.setString(3, new String(SortJson.bytes(SortJson.layout(layout)), StandardCharsets.UTF_8));
                ps.setInt(4, layout.rejectChute());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    version = rs.getLong(1);
                }
            }
            Set<String> served = served(layout);
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT destination, count(*) FROM sort_assignments WHERE site = ? AND sorter = ?
                    GROUP BY destination ORDER BY destination""")) {
                ps.setString(1, site);
                ps.setString(2, sorter);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!served.contains(rs.getString(1))) {
                            warnings.add(rs.getLong(2) + " uploaded codes go to destination " + rs.getString(1)
                                    + ", which no chute serves now: they will be rejected (destination-not-on-sorter)");
                        }
                    }
                }
            }
            c.commit();
        }
        changeListener.accept(new SorterKey(site, sorter));
        return new SortViews.LayoutResult(version, warnings);
    }

    public Optional<JsonNode> layout(String site, String sorter) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT layout::text FROM sorters WHERE site = ? AND sorter = ?")) {
            ps.setString(1, site);
            ps.setString(2, sorter);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(SortJson.parse(rs.getString(1).getBytes(StandardCharsets.UTF_8)))
                        : Optional.empty();
            }
        }
    }

    public List<SortViews.SorterView> sorters(String site) throws SQLException {
        List<SortViews.SorterView> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT s.site, s.sorter, s.plan_version, s.layout::text, s.updated_at,
                            (SELECT count(*) FROM sort_assignments a WHERE a.site = s.site AND a.sorter = s.sorter)
                     FROM sorters s WHERE s.site = ? ORDER BY s.sorter""")) {
            ps.setString(1, site);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SorterLayout layout = SortJson.readLayout(SortJson.parse(rs.getString(4).getBytes(StandardCharsets.UTF_8)));
                    out.add(new SortViews.SorterView(rs.getString(1), rs.getString(2), rs.getLong(3),
                            layout.chutes().size(), layout.rejectChute(), layout.maxRecirculations(), rs.getLong(6),
                            rs.getTimestamp(5).toInstant()));
                }
            }
        }
        return out;
    }

    // ---- uploaded codes ----

    /**
     * Adds or replaces code assignments; with {@code replaceAll} the sorter's uploaded codes are exactly the
     * accepted rows afterwards. Rows with a malformed code or a destination no chute serves are refused one by one.
     */
    public SortViews.UploadResult putCodes(String site, String sorter, List<SortViews.Assignment> rows,
                                           boolean replaceAll) throws SQLException {
        List<SortViews.RejectedRow> rejected = new ArrayList<>();
        long version;
        int accepted = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            SorterLayout layout = lockLayout(c, site, sorter);
            Set<String> served = served(layout);
            if (replaceAll) {
                try (PreparedStatement del = c.prepareStatement("DELETE FROM sort_assignments WHERE site = ? AND sorter = ?")) {
                    del.setString(1, site);
                    del.setString(2, sorter);
                    del.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO sort_assignments (site, sorter, code, destination) VALUES (?, ?, ?, ?)
                    ON CONFLICT (site, sorter, code) DO UPDATE SET destination = excluded.destination""")) {
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < rows.size(); i++) {
                    SortViews.Assignment a = rows.get(i);
                    String code = a == null ? null : a.code();
                    String destination = a == null ? null : a.destination();
                    String problem = rowProblem(code, destination, served);
                    if (problem == null && !seen.add(code)) {
                        problem = "code appears twice in this upload";
                    }
                    if (problem != null) {
                        rejected.add(new SortViews.RejectedRow(i, code, problem));
                        continue;
                    }
                    ps.setString(1, site);
                    ps.setString(2, sorter);
                    ps.setString(3, code);
                    ps.setString(4, destination);
                    ps.addBatch();
                    accepted++;
                }
                if (accepted > 0) {
                    ps.executeBatch();
                }
            }
            version = bump(c, site, sorter);
            c.commit();
        }
        changeListener.accept(new SorterKey(site, sorter));
        return new SortViews.UploadResult(accepted, rejected, version);
    }

    private static String rowProblem(String code, String destination, Set<String> served) {
        if (!Codes.isWellFormed(code)) {
            return "malformed code: needs 1.." + Codes.MAX_CODE_LENGTH
                    + " printable ASCII characters without spaces or commas";
        }
        if (destination == null || destination.isBlank()) {
            return "missing destination";
        }
        if (!served.contains(destination)) {
            return "destination " + destination + " is served by no chute of this sorter " + new java.util.TreeSet<>(served);
        }
        return null;
    }

    /** Parses {@code code,destination} lines; a first line "code,destination" is a header. */
    public static List<SortViews.Assignment> parseCsv(String text) {
        List<SortViews.Assignment> rows = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || (i == 0 && line.equalsIgnoreCase("code,destination"))) {
                continue;
            }
            int comma = line.indexOf(',');
            rows.add(comma < 0 ? new SortViews.Assignment(line, null)
                    : new SortViews.Assignment(line.substring(0, comma).strip(), line.substring(comma + 1).strip()));
        }
        return rows;
    }

    public boolean deleteCode(String site, String sorter, String code) throws SQLException {
        int deleted;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            lockLayout(c, site, sorter);
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM sort_assignments WHERE site = ? AND sorter = ? AND code = ?")) {
                ps.setString(1, site);
                ps.setString(2, sorter);
                ps.setString(3, code);
                deleted = ps.executeUpdate();
            }
            if (deleted > 0) {
                bump(c, site, sorter);
            }
            c.commit();
        }
        if (deleted > 0) {
            changeListener.accept(new SorterKey(site, sorter));
        }
        return deleted > 0;
    }

    public SortViews.PlanView plan(String site, String sorter, int offset, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            SortPlan plan = snapshot(c, site, sorter);
            List<SortViews.Assignment> page = new ArrayList<>();
            long uploaded;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM sort_assignments WHERE site = ? AND sorter = ?")) {
                ps.setString(1, site);
                ps.setString(2, sorter);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    uploaded = rs.getLong(1);
                }
            }
            plan.destinationByCode().entrySet().stream().sorted(Map.Entry.comparingByKey()).skip(offset).limit(limit)
                    .forEach(e -> page.add(new SortViews.Assignment(e.getKey(), e.getValue())));
            return new SortViews.PlanView(site, sorter, plan.version(), uploaded,
                    plan.destinationByCode().size() - uploaded, page);
        }
    }

    // ---- orders ----

    /** Adds an order's unit codes (inside the caller's transaction, after the order row). */
    public void addUnits(Connection c, String orderId, List<String> codes) throws SQLException {
        if (codes.isEmpty()) {
            return;
        }
        try (PreparedStatement unit = c.prepareStatement(
                "INSERT INTO order_sort_units (order_id, code) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            for (String code : new LinkedHashSet<>(codes)) {
                unit.setString(1, orderId);
                unit.setString(2, code);
                unit.addBatch();
            }
            unit.executeBatch();
        }
    }

    /**
     * Bumps, once, the plan version of every sorter of the site that serves one of these destinations (inside the
     * caller's transaction, after the units of all its orders went in).
     *
     * @return the sorters whose plan changed: pass them to {@link #changed} after the commit
     */
    public Set<SorterKey> bumpServing(Connection c, String site, Set<String> destinations) throws SQLException {
        Set<SorterKey> touched = new LinkedHashSet<>();
        if (destinations.isEmpty()) {
            return touched;
        }
        for (Map.Entry<SorterKey, SorterLayout> s : layouts(c, site).entrySet()) {
            Set<String> served = served(s.getValue());
            if (destinations.stream().anyMatch(served::contains)) {
                bump(c, s.getKey().site(), s.getKey().sorter());
                touched.add(s.getKey());
            }
        }
        return touched;
    }

    /** Pushes the plans of these sorters to the edge (after the transaction that changed them committed). */
    public void changed(Set<SorterKey> sorters) {
        sorters.forEach(changeListener);
    }

    // ---- snapshots ----

    public List<SorterKey> allSorters() throws SQLException {
        List<SorterKey> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT site, sorter FROM sorters");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SorterKey(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }

    /** The current plan of a sorter, as the edge gets it. */
    public SortPlan snapshot(String site, String sorter) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                return snapshot(c, site, sorter);
            } finally {
                c.commit();
            }
        }
    }

    private SortPlan snapshot(Connection c, String site, String sorter) throws SQLException {
        SorterLayout layout;
        long version;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT layout::text, plan_version FROM sorters WHERE site = ? AND sorter = ?")) {
            ps.setString(1, site);
            ps.setString(2, sorter);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownSorterException(site, sorter);
                }
                layout = SortJson.readLayout(SortJson.parse(rs.getString(1).getBytes(StandardCharsets.UTF_8)));
                version = rs.getLong(2);
            }
        }
        Map<String, String> codes = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT u.code, o.destination FROM orders o JOIN order_sort_units u ON u.order_id = o.id
                WHERE o.site = ? AND o.destination = ANY (?)""")) {
            ps.setString(1, site);
            ps.setArray(2, c.createArrayOf("text", served(layout).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    codes.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT code, destination FROM sort_assignments WHERE site = ? AND sorter = ?")) {
            ps.setString(1, site);
            ps.setString(2, sorter);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    codes.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return new SortPlan(sorter, version, layout, codes);
    }

    // ---- helpers ----

    private SorterLayout lockLayout(Connection c, String site, String sorter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT layout::text FROM sorters WHERE site = ? AND sorter = ? FOR UPDATE")) {
            ps.setString(1, site);
            ps.setString(2, sorter);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownSorterException(site, sorter);
                }
                return SortJson.readLayout(SortJson.parse(rs.getString(1).getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private static Map<SorterKey, SorterLayout> layouts(Connection c, String site) throws SQLException {
        Map<SorterKey, SorterLayout> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT sorter, layout::text FROM sorters WHERE site = ?")) {
            ps.setString(1, site);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new SorterKey(site, rs.getString(1)),
                            SortJson.readLayout(SortJson.parse(rs.getString(2).getBytes(StandardCharsets.UTF_8))));
                }
            }
        }
        return out;
    }

    private static long bump(Connection c, String site, String sorter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE sorters SET plan_version = plan_version + 1, updated_at = now()
                WHERE site = ? AND sorter = ? RETURNING plan_version""")) {
            ps.setString(1, site);
            ps.setString(2, sorter);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownSorterException(site, sorter);
                }
                return rs.getLong(1);
            }
        }
    }

    static Set<String> served(SorterLayout layout) {
        Set<String> served = new HashSet<>();
        for (Chute chute : layout.chutes()) {
            if (chute.number() != layout.rejectChute()) {
                served.addAll(chute.destinations());
            }
        }
        return served;
    }

    private static void checkName(String what, String name) {
        if (name == null || name.isBlank() || name.length() > 64 || name.contains("/") || name.contains("+")
                || name.contains("#")) {
            throw new PlanException(what + " must be 1..64 characters without / + #, got '" + name + "'");
        }
    }
}
