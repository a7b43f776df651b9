package io.wareedge.server.orders;

import static io.wareedge.server.persistence.JdbcValues.instant;

import io.wareedge.server.config.PickingSettings;
import io.wareedge.server.picking.PickingQueries;
import io.wareedge.server.picking.PickingViews.LineView;
import io.wareedge.server.sortation.SortQueries;
import io.wareedge.server.sortation.SortViews;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Orders as users follow them: state from arrival to shipping, with their lines' picks and their units' sorts. */
@Singleton
public final class OrderQueries {
    private final DataSource dataSource;
    private final SortQueries sortQueries;
    private final PickingQueries pickingQueries;
    private final Duration cycleTarget;

    public OrderQueries(DataSource dataSource, SortQueries sortQueries, PickingQueries pickingQueries,
                        PickingSettings picking) {
        this.dataSource = dataSource;
        this.sortQueries = sortQueries;
        this.pickingQueries = pickingQueries;
        this.cycleTarget = picking.cycleTarget();
    }

    public Optional<OrderView> order(String id) throws SQLException {
        int priority;
        Instant due;
        Instant picked;
        Instant shipped;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT priority, due_at, picked_at, shipped_at FROM orders WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                priority = rs.getInt(1);
                due = instant(rs.getTimestamp(2));
                picked = instant(rs.getTimestamp(3));
                shipped = instant(rs.getTimestamp(4));
            }
        }
        Optional<SortViews.OrderView> sort = sortQueries.order(id);
        if (sort.isEmpty()) {
            return Optional.empty();
        }
        SortViews.OrderView s = sort.get();
        List<LineView> lines = pickingQueries.lines(id);
        boolean started = lines.stream().anyMatch(l -> l.picked() + l.shorted() > 0
                || l.tasks().stream().anyMatch(t -> t.state().equals("held")));
        boolean pickedAll = lines.isEmpty() || picked != null;
        String state = shipped != null ? "shipped"
                : s.sorted() && pickedAll ? "sorted"
                : picked != null ? "picked"
                : started ? "picking" : "open";
        return Optional.of(new OrderView(id, s.site(), s.destination(), priority, due, state, s.createdAt(), picked,
                s.sortedAt(), shipped, seconds(s.createdAt(), picked), seconds(s.createdAt(), s.sortedAt()), lines,
                s.units()));
    }

    /** Marks an order shipped; false when it does not exist. Shipping twice keeps the first time. */
    public boolean ship(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE orders SET shipped_at = coalesce(shipped_at, now()) WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * A site's orders with pick lines that are not fully picked yet, oldest first: the ones closest to missing the
     * cycle target (or past it) lead. Ages are taken on the database's clock, which stamped the arrivals, so a
     * server whose clock drifts does not call orders late early.
     */
    public List<OrderAtRisk> atRisk(String site, int limit) throws SQLException {
        List<OrderAtRisk> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT o.id, o.priority, o.created_at, o.due_at,
                            floor(extract(epoch FROM now() - o.created_at))::bigint AS age,
                            count(*)::int AS lines,
                            count(*) FILTER (WHERE l.picked + l.shorted >= l.quantity)::int AS lines_picked
                       FROM orders o JOIN order_lines l ON l.order_id = o.id
                      WHERE o.site = ? AND o.picked_at IS NULL AND o.shipped_at IS NULL
                      GROUP BY o.id
                      ORDER BY o.created_at, o.id
                      LIMIT ?""")) {
            ps.setString(1, site);
            ps.setInt(2, limit);
            long target = cycleTarget.toSeconds();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long age = rs.getLong("age");
                    out.add(new OrderAtRisk(rs.getString("id"), rs.getInt("priority"),
                            instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("due_at")), age,
                            target - age, rs.getInt("lines"), rs.getInt("lines_picked")));
                }
            }
        }
        return out;
    }

    private static Double seconds(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis() / 1000.0;
    }

}
