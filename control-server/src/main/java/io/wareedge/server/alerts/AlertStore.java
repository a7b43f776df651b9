package io.wareedge.server.alerts;

import io.micronaut.serde.ObjectMapper;
import io.wareedge.server.persistence.JdbcValues;
import io.wareedge.server.registry.DeviceState;
import io.wareedge.server.registry.RegistryQueries;
import io.wareedge.server.registry.Views;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where alerts, their audit trail and out-of-service marks live. The alert thread is the only writer; a write takes
 * an advisory lock first, so event ids are committed in the order they were allocated and the feed can resume
 * from an id without skipping an event that committed late.
 */
final class AlertStore {
    /** The advisory lock that orders writers of alert events (an arbitrary, fixed number). */
    private static final long EVENT_LOCK = 0x57415245_414c5254L;

    private final DataSource dataSource;
    private final RegistryQueries registry;
    private final ObjectMapper json;

    AlertStore(DataSource dataSource, RegistryQueries registry, ObjectMapper json) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.json = json;
    }

    /** A device the registry knows, as the alert thread needs it at start. */
    record KnownDevice(String source, String node, String profile, String area, boolean online, Instant lastSeenAt) {
    }

    /** An event decided by the alert thread, not stored yet. */
    record PendingEvent(Alert alert, String action, String actor, String comment, Instant at, AlertView snapshot) {
    }

    /** An out-of-service mark set or removed. */
    record ServiceChange(String source, boolean outOfService, String user, String reason, Instant at) {
    }

    /** The registry's devices (read through its query port: one query of devices for the whole server). */
    List<KnownDevice> devices() {
        List<KnownDevice> out = new ArrayList<>();
        for (Views.DeviceView d : registry.devices(null, null, null)) {
            out.add(new KnownDevice(d.group() + "/" + d.node() + "/" + d.device(), d.node(), d.profile(), d.area(),
                    d.state() != DeviceState.OFFLINE, d.lastSeenAt()));
        }
        return out;
    }

    List<AlertView> openAlerts() throws SQLException {
        return alerts("WHERE state <> 'closed' ORDER BY id", List.of());
    }

    Optional<AlertView> alert(long id) throws SQLException {
        return alerts("WHERE id = ?", List.of(id)).stream().findFirst();
    }

    Set<String> outOfService() throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = dataSource.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT source FROM out_of_service")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * Writes what one round of the alert thread decided, in one transaction: new and changed alerts, their events
     * in order, out-of-service marks. Returns the events with their feed ids.
     */
    List<AlertEvent> write(List<Alert> changed, List<PendingEvent> events, List<ServiceChange> service)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, EVENT_LOCK);
                    lock.execute();
                }
                for (Alert a : changed) {
                    if (a.id == 0) {
                        insert(c, a);
                    } else {
                        update(c, a);
                    }
                }
                List<AlertEvent> stored = insertEvents(c, events);
                writeService(c, service);
                c.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                // Alerts inserted in the failed transaction get their ids again on the retry.
                for (Alert a : changed) {
                    if (a.id != 0 && events.stream().anyMatch(ev -> ev.alert() == a && "raised".equals(ev.action()))) {
                        a.id = 0;
                    }
                }
                throw e;
            }
        }
    }

    private static final String COLUMNS = """
            rule, rule_source, source, area, severity, message, latch, state, active, acknowledged, condition_since,
            raised_at, value, acked_at, acked_by, cleared_at, closed_at, closed_by, shelved_until, shelved_by,
            shelve_reason, suppressed_by, escalated_at, chattering, occurrences""";

    private static void insert(Connection c, Alert a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alerts (" + COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id")) {
            bind(ps, a);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                a.id = rs.getLong(1);
            }
        }
    }

    private static void update(Connection c, Alert a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE alerts SET (" + COLUMNS
                + ") = (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) WHERE id = ?")) {
            bind(ps, a);
            ps.setLong(26, a.id);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Alert a) throws SQLException {
        ps.setString(1, a.rule);
        ps.setString(2, a.ruleSource);
        ps.setString(3, a.source);
        ps.setString(4, a.area);
        ps.setString(5, a.severity);
        ps.setString(6, a.message);
        ps.setBoolean(7, a.latch);
        ps.setString(8, a.state);
        ps.setBoolean(9, a.active);
        ps.setBoolean(10, a.acknowledged);
        ps.setTimestamp(11, ts(a.conditionSince));
        ps.setTimestamp(12, ts(a.raisedAt));
        ps.setString(13, a.value);
        ps.setTimestamp(14, ts(a.ackedAt));
        ps.setString(15, a.ackedBy);
        ps.setTimestamp(16, ts(a.clearedAt));
        ps.setTimestamp(17, ts(a.closedAt));
        ps.setString(18, a.closedBy);
        ps.setTimestamp(19, ts(a.shelvedUntil));
        ps.setString(20, a.shelvedBy);
        ps.setString(21, a.shelveReason);
        ps.setString(22, a.suppressedBy);
        ps.setTimestamp(23, ts(a.escalatedAt));
        ps.setBoolean(24, a.chattering);
        ps.setInt(25, a.occurrences);
    }

    private List<AlertEvent> insertEvents(Connection c, List<PendingEvent> events) throws SQLException {
        List<AlertEvent> out = new ArrayList<>(events.size());
        if (events.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_events (alert_id, at, action, actor, comment,"
                + " alert) VALUES (?, ?, ?, ?, ?, ?::jsonb)", Statement.RETURN_GENERATED_KEYS)) {
            List<AlertView> snapshots = new ArrayList<>(events.size());
            for (PendingEvent e : events) {
                AlertView snapshot = e.snapshot().withId(e.alert().id);
                snapshots.add(snapshot);
                ps.setLong(1, e.alert().id);
                ps.setTimestamp(2, ts(e.at()));
                ps.setString(3, e.action());
                ps.setString(4, e.actor());
                ps.setString(5, e.comment());
                ps.setString(6, toJson(snapshot));
                ps.addBatch();
            }
            ps.executeBatch();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                int i = 0;
                while (keys.next()) {
                    PendingEvent e = events.get(i);
                    out.add(new AlertEvent(keys.getLong(1), e.alert().id, e.at(), e.action(), e.actor(), e.comment(),
                            snapshots.get(i)));
                    i++;
                }
            }
        }
        return out;
    }

    private static void writeService(Connection c, List<ServiceChange> changes) throws SQLException {
        for (ServiceChange s : changes) {
            if (s.outOfService()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO out_of_service (source, since, by_user, reason) VALUES (?, ?, ?, ?)
                        ON CONFLICT (source) DO UPDATE SET since = excluded.since, by_user = excluded.by_user,
                                                           reason = excluded.reason""")) {
                    ps.setString(1, s.source());
                    ps.setTimestamp(2, ts(s.at()));
                    ps.setString(3, s.user());
                    ps.setString(4, s.reason());
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM out_of_service WHERE source = ?")) {
                    ps.setString(1, s.source());
                    ps.executeUpdate();
                }
            }
        }
    }

    /** Feed events after {@code afterId}, oldest first. */
    List<AlertEvent> eventsAfter(long afterId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, alert_id, at, action, actor, comment, alert::text"
                     + " FROM alert_events WHERE id > ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            return events(ps);
        }
    }

    /** One alert's audit trail, oldest first. */
    List<AlertEvent> history(long alertId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, alert_id, at, action, actor, comment, alert::text"
                     + " FROM alert_events WHERE alert_id = ? ORDER BY id")) {
            ps.setLong(1, alertId);
            return events(ps);
        }
    }

    long lastEventId() throws SQLException {
        try (Connection c = dataSource.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM alert_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<AlertEvent> events(PreparedStatement ps) throws SQLException {
        List<AlertEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new AlertEvent(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                        rs.getString(5), rs.getString(6), fromJson(rs.getString(7))));
            }
        }
        return out;
    }

    /** Alerts matching a WHERE clause (with its ORDER BY/LIMIT) and its parameters. */
    List<AlertView> alerts(String where, List<Object> params) throws SQLException {
        List<AlertView> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, " + COLUMNS + " FROM alerts " + where)) {
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                if (p instanceof Instant t) {
                    ps.setTimestamp(i + 1, Timestamp.from(t));
                } else {
                    ps.setObject(i + 1, p);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AlertView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getString(9),
                            rs.getBoolean(10), rs.getBoolean(11), JdbcValues.instant(rs.getTimestamp(12)),
                            JdbcValues.instant(rs.getTimestamp(13)), rs.getString(14),
                            JdbcValues.instant(rs.getTimestamp(15)), rs.getString(16),
                            JdbcValues.instant(rs.getTimestamp(17)), JdbcValues.instant(rs.getTimestamp(18)),
                            rs.getString(19), JdbcValues.instant(rs.getTimestamp(20)), rs.getString(21),
                            rs.getString(22), rs.getString(23), JdbcValues.instant(rs.getTimestamp(24)),
                            rs.getBoolean(25), rs.getInt(26)));
                }
            }
        }
        return out;
    }

    private String toJson(AlertView v) {
        try {
            return json.writeValueAsString(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private AlertView fromJson(String text) {
        try {
            return json.readValue(text, AlertView.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
