package io.wareedge.server.picking;

import io.wareedge.server.config.PickingSettings;
import io.wareedge.server.orders.OrderIn;
import io.wareedge.server.picking.PickingViews.RowProblem;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns order lines into pick tasks: one task per line, at the SKU's pick face earliest on the pick path in a
 * zone that is not faulted. A SKU stocked only in faulted zones gets a blocked task at its first location, which
 * opens when the zone recovers.
 */
@Singleton
public final class PickPlanner {
    private final PickingSettings settings;

    public PickPlanner(PickingSettings settings) {
        this.settings = settings;
    }

    /** Where a SKU is picked: its location, zone and place on the pick path, and whether that zone is faulted. */
    record Face(String location, String zone, int pickSeq, boolean faulted) {
    }

    /**
     * Writes the order's lines and their tasks on {@code c} (inside the caller's transaction).
     *
     * @return the problems (unknown SKU, SKU without a location); when not empty the caller rolls the order back
     */
    public List<RowProblem> planLines(Connection c, OrderIn order, Instant arrival, List<Integer> lineRows)
            throws SQLException {
        List<RowProblem> problems = new ArrayList<>();
        if (order.lines() == null || order.lines().isEmpty()) {
            return problems;
        }
        Instant due = order.dueAt() != null ? order.dueAt() : arrival.plus(settings.cycleTarget());
        try (PreparedStatement line = c.prepareStatement(
                "INSERT INTO order_lines (order_id, line_no, sku, quantity) VALUES (?, ?, ?, ?)");
             PreparedStatement task = c.prepareStatement("""
                     INSERT INTO pick_tasks (site, order_id, line_no, sku, quantity, location, zone, pick_seq, priority,
                                             due_at, due_slot, state)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (int i = 0; i < order.lines().size(); i++) {
                OrderIn.LineIn l = order.lines().get(i);
                int row = i < lineRows.size() ? lineRows.get(i) : 0;
                Face face = face(c, order.site(), l.sku(), null);
                if (face == null) {
                    problems.add(new RowProblem(row, order.id(), "sku", skuExists(c, order.site(), l.sku())
                            ? "no location holds SKU " + l.sku() : "unknown SKU " + l.sku()));
                    continue;
                }
                line.setString(1, order.id());
                line.setInt(2, l.line());
                line.setString(3, l.sku());
                line.setInt(4, l.quantity());
                line.addBatch();
                task.setString(1, order.site());
                task.setString(2, order.id());
                task.setInt(3, l.line());
                task.setString(4, l.sku());
                task.setInt(5, l.quantity());
                task.setString(6, face.location());
                task.setString(7, face.zone());
                task.setInt(8, face.pickSeq());
                task.setInt(9, order.priority() == null ? 0 : order.priority());
                task.setTimestamp(10, Timestamp.from(due));
                task.setTimestamp(11, Timestamp.from(dueSlot(due)));
                task.setString(12, face.faulted() ? "blocked" : "open");
                task.addBatch();
            }
            if (problems.isEmpty()) {
                line.executeBatch();
                task.executeBatch();
                try (PreparedStatement open = c.prepareStatement(
                        "UPDATE orders SET open_lines = open_lines + ? WHERE id = ?")) {
                    open.setInt(1, order.lines().size());
                    open.setString(2, order.id());
                    open.executeUpdate();
                }
            }
        }
        return problems;
    }

    Instant dueSlot(Instant due) {
        long slot = settings.dueSlot().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(due.toEpochMilli(), slot) * slot);
    }

    /**
     * The SKU's best pick face: in a zone that is not faulted (and not {@code avoidZone}) first, then earliest on
     * the pick path. Null when no location holds the SKU.
     */
    static Face face(Connection c, String site, String sku, String avoidZone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT l.location, l.zone, l.pick_seq, z.faulted OR l.zone = coalesce(?, '') AS unusable
                FROM locations l JOIN zones z ON z.site = l.site AND z.zone = l.zone
                WHERE l.site = ? AND l.sku = ?
                ORDER BY unusable, l.pick_seq, l.location LIMIT 1""")) {
            ps.setString(1, avoidZone);
            ps.setString(2, site);
            ps.setString(3, sku);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Face(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4)) : null;
            }
        }
    }

    private static boolean skuExists(Connection c, String site, String sku) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM skus WHERE site = ? AND sku = ?")) {
            ps.setString(1, site);
            ps.setString(2, sku);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
