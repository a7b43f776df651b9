package io.wareedge.server.picking;

import static io.wareedge.server.persistence.JdbcValues.strings;

import io.wareedge.server.registry.DeviceState;
import io.wareedge.server.registry.RegistryQueries;
import io.wareedge.server.registry.Views;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps picking away from zones whose conveyor cannot take totes: a zone is faulted while its conveyor device is
 * not ONLINE in the registry (offline, stale, never born) or one of the zone's fault metrics on it is true or
 * non-zero. When a zone faults, its open and held tasks are re-planned: moved to another location of the same SKU
 * in a healthy zone when there is one, otherwise blocked; when it recovers, its blocked tasks open again.
 *
 * <p>Several servers may run this at once: the zone row's state changes by a conditional UPDATE, and only the
 * server whose UPDATE changed it re-plans.
 */
@Singleton
public final class ZoneFaults {
    private static final Logger LOG = LoggerFactory.getLogger(ZoneFaults.class);

    private final DataSource dataSource;
    private final RegistryQueries registry;

    public ZoneFaults(DataSource dataSource, RegistryQueries registry) {
        this.dataSource = dataSource;
        this.registry = registry;
    }

    private record Zone(String site, String zone, String conveyor, List<String> faultMetrics, boolean faulted) {
    }

    /** Checks every zone with a conveyor; returns how many changed state. */
    public int check() throws SQLException {
        List<Zone> zones = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT site, zone, conveyor, fault_metrics, faulted FROM zones WHERE conveyor IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                zones.add(new Zone(rs.getString(1), rs.getString(2), rs.getString(3), strings(rs.getArray(4)),
                        rs.getBoolean(5)));
            }
        }
        int changed = 0;
        for (Zone z : zones) {
            String reason = faultOf(z);
            if ((reason != null) != z.faulted() && change(z, reason)) {
                changed++;
            }
        }
        return changed;
    }

    /** Why the zone's conveyor cannot take totes, or null when it can. */
    private String faultOf(Zone z) {
        String[] id = z.conveyor().split("/", 3);
        Optional<Views.DeviceDetail> device = registry.device(id[0], id[1], id[2]);
        if (device.isEmpty()) {
            return "conveyor " + z.conveyor() + " unknown to the registry";
        }
        if (device.get().state() != DeviceState.ONLINE) {
            return "conveyor " + z.conveyor() + " is " + device.get().state();
        }
        for (Views.MetricView m : device.get().metrics()) {
            if (z.faultMetrics().contains(m.name()) && truthy(m.value())) {
                return "conveyor " + z.conveyor() + ": " + m.name() + " = " + m.value();
            }
        }
        return null;
    }

    private static boolean truthy(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        return false;
    }

    private boolean change(Zone z, String reason) throws SQLException {
        boolean faulted = reason != null;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE zones SET faulted = ?, fault_reason = ?, changed_at = now()
                        WHERE site = ? AND zone = ? AND faulted <> ?""")) {
                    ps.setBoolean(1, faulted);
                    ps.setString(2, reason);
                    ps.setString(3, z.site());
                    ps.setString(4, z.zone());
                    ps.setBoolean(5, faulted);
                    if (ps.executeUpdate() == 0) {
                        c.rollback();
                        return false; // another server got there first
                    }
                }
                String outcome = faulted ? replan(c, z) : reopen(c, z);
                c.commit();
                LOG.warn("zone {}/{} {}: {}", z.site(), z.zone(), faulted ? "FAULTED (" + reason + ")" : "recovered", outcome);
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static String replan(Connection c, Zone z) throws SQLException {
        record Task(long id, String sku) {
        }
        List<Task> tasks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, sku FROM pick_tasks WHERE site = ? AND zone = ? AND state IN ('open', 'held')
                ORDER BY id FOR UPDATE""")) {
            ps.setString(1, z.site());
            ps.setString(2, z.zone());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tasks.add(new Task(rs.getLong(1), rs.getString(2)));
                }
            }
        }
        int moved = 0;
        int blocked = 0;
        try (PreparedStatement move = c.prepareStatement("""
                UPDATE pick_tasks SET location = ?, zone = ?, pick_seq = ?, state = 'open', picker = NULL, batch = NULL,
                    tote = NULL, position = NULL, held_at = NULL, expires_at = NULL WHERE id = ?""");
             PreparedStatement block = c.prepareStatement("""
                     UPDATE pick_tasks SET state = 'blocked', picker = NULL, batch = NULL, tote = NULL, position = NULL,
                         held_at = NULL, expires_at = NULL WHERE id = ?""")) {
            for (Task t : tasks) {
                PickPlanner.Face face = PickPlanner.face(c, z.site(), t.sku(), z.zone());
                if (face != null && !face.faulted()) {
                    move.setString(1, face.location());
                    move.setString(2, face.zone());
                    move.setInt(3, face.pickSeq());
                    move.setLong(4, t.id());
                    move.addBatch();
                    moved++;
                } else {
                    block.setLong(1, t.id());
                    block.addBatch();
                    blocked++;
                }
            }
            move.executeBatch();
            block.executeBatch();
        }
        return moved + " tasks moved to other zones, " + blocked + " blocked until it recovers";
    }

    private static String reopen(Connection c, Zone z) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE pick_tasks SET state = 'open' WHERE site = ? AND zone = ? AND state = 'blocked'")) {
            ps.setString(1, z.site());
            ps.setString(2, z.zone());
            return ps.executeUpdate() + " blocked tasks open again";
        }
    }

}
