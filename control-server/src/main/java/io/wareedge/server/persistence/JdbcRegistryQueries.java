package io.wareedge.server.persistence;

import io.wareedge.server.config.RegistrySettings;
import io.wareedge.server.registry.DeviceState;
import io.wareedge.server.registry.RegistryQueries;
import io.wareedge.server.registry.Views;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Registry reads over JDBC. Staleness is computed with the database clock, the same clock that stamps last_seen_at. An
 * online device is stale when neither it nor its edge node (the node-level row, device id '') was heard within
 * stale-after: a node that keeps talking vouches for its devices, as Sparkplug has it.
 */
@Singleton
final class JdbcRegistryQueries implements RegistryQueries {

    private static final String DEVICE_COLUMNS = """
            n.group_id, n.node_id, d.device_id,
            CASE WHEN NOT d.online OR NOT n.online THEN 'OFFLINE'
                 WHEN coalesce(greatest(d.last_seen_at, (SELECT nd.last_seen_at FROM devices nd
                                                           WHERE nd.edge_node_id = n.id AND nd.device_id = '')),
                               '-infinity') < now() - make_interval(secs => ?) THEN 'STALE'
                 ELSE 'ONLINE' END AS state,
            d.profile, d.kind, d.birth_at, d.death_at, d.last_seen_at, d.id, d.area""";

    private final DataSource dataSource;
    private final double staleAfterSeconds;

    JdbcRegistryQueries(DataSource dataSource, RegistrySettings settings) {
        this.dataSource = dataSource;
        this.staleAfterSeconds = settings.staleAfter().toMillis() / 1000.0;
    }

    @Override
    public List<Views.EdgeNodeView> edgeNodes() {
        return query("""
                SELECT n.group_id, n.node_id, n.online, n.bd_seq, n.birth_at, n.death_at,
                       count(d.id) AS devices, count(d.id) FILTER (WHERE d.online AND n.online) AS online_devices
                FROM edge_nodes n LEFT JOIN devices d ON d.edge_node_id = n.id AND d.device_id <> ''
                GROUP BY n.id ORDER BY n.group_id, n.node_id""", ps -> { }, rs -> new Views.EdgeNodeView(
                rs.getString(1), rs.getString(2), rs.getBoolean(3), (Long) rs.getObject(4), instant(rs, 5),
                instant(rs, 6), rs.getInt(7), rs.getInt(8)));
    }

    @Override
    public Optional<Views.EdgeNodeDetail> edgeNode(String group, String node) {
        List<Object[]> rows = query("""
                SELECT n.online, n.bd_seq, n.birth_at, n.death_at, d.id
                FROM edge_nodes n LEFT JOIN devices d ON d.edge_node_id = n.id AND d.device_id = ''
                WHERE n.group_id = ? AND n.node_id = ?""", ps -> {
            ps.setString(1, group);
            ps.setString(2, node);
        }, rs -> new Object[]{rs.getBoolean(1), rs.getObject(2), instant(rs, 3), instant(rs, 4), rs.getObject(5)});
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        List<Views.MetricView> metrics = r[4] == null ? List.of() : metrics((Long) r[4]);
        return Optional.of(new Views.EdgeNodeDetail(group, node, (Boolean) r[0], (Long) r[1], (Instant) r[2],
                (Instant) r[3], metrics, devices(null, group, node)));
    }

    @Override
    public List<Views.DeviceView> devices(DeviceState state, String group, String node) {
        List<Views.DeviceView> all = query("SELECT " + DEVICE_COLUMNS + """
                 FROM devices d JOIN edge_nodes n ON n.id = d.edge_node_id
                WHERE d.device_id <> '' AND (?::text IS NULL OR n.group_id = ?) AND (?::text IS NULL OR n.node_id = ?)
                ORDER BY n.group_id, n.node_id, d.device_id""", ps -> {
            ps.setDouble(1, staleAfterSeconds);
            ps.setString(2, group);
            ps.setString(3, group);
            ps.setString(4, node);
            ps.setString(5, node);
        }, JdbcRegistryQueries::deviceView);
        return state == null ? all : all.stream().filter(d -> d.state() == state).toList();
    }

    @Override
    public Optional<Views.DeviceDetail> device(String group, String node, String device) {
        List<Object[]> rows = query("SELECT " + DEVICE_COLUMNS + """
                 FROM devices d JOIN edge_nodes n ON n.id = d.edge_node_id
                WHERE n.group_id = ? AND n.node_id = ? AND d.device_id = ? AND d.device_id <> ''""", ps -> {
            ps.setDouble(1, staleAfterSeconds);
            ps.setString(2, group);
            ps.setString(3, node);
            ps.setString(4, device);
        }, rs -> new Object[]{deviceView(rs), rs.getLong(10)});
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Views.DeviceView v = (Views.DeviceView) rows.get(0)[0];
        return Optional.of(new Views.DeviceDetail(v.group(), v.node(), v.device(), v.state(), v.profile(), v.kind(),
                v.area(), v.birthAt(), v.deathAt(), v.lastSeenAt(), metrics((Long) rows.get(0)[1])));
    }

    @Override
    public List<Views.ReadingView> readings(String group, String node, String device, String metric, int limit) {
        // Newest first along the readings key (device, timestamp, reading id; V11), a row per sample unnested into its
        // readings by reading_values.
        return query("""
                SELECT m.name, r.ts, r.value_double, r.value_long, r.value_bool, r.value_text, r.value_bytes,
                       r.quality, r.reading_id, r.historical
                FROM reading_values r JOIN metrics m ON m.id = r.metric_id
                WHERE r.device_id = (SELECT d.id FROM devices d JOIN edge_nodes n ON n.id = d.edge_node_id
                                     WHERE n.group_id = ? AND n.node_id = ? AND d.device_id = ?)
                  AND (?::text IS NULL OR m.name = ?)
                ORDER BY r.ts DESC, r.reading_id DESC, m.name
                LIMIT ?""", ps -> {
            ps.setString(1, group);
            ps.setString(2, node);
            ps.setString(3, device);
            ps.setString(4, metric);
            ps.setString(5, metric);
            ps.setInt(6, limit);
        }, rs -> {
            long readingId = rs.getLong(9);
            return new Views.ReadingView(rs.getString(1), instant(rs, 2), value(rs, 3), rs.getInt(8),
                    readingId >= 0 ? readingId : null, rs.getBoolean(10));
        });
    }

    @Override
    public List<Views.DeadLetterView> deadLetters(int limit) {
        return query("""
                SELECT id, received_at, source, source_id, device, topic, kind, detail, payload
                FROM dead_letters ORDER BY id DESC LIMIT ?""", ps -> ps.setInt(1, limit), rs -> {
            byte[] payload = rs.getBytes(9);
            return new Views.DeadLetterView(rs.getLong(1), instant(rs, 2), rs.getString(3), (Long) rs.getObject(4),
                    rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                    payload == null ? 0 : payload.length,
                    payload == null ? null : Base64.getEncoder().encodeToString(payload), printable(payload));
        });
    }

    @Override
    public List<io.wareedge.server.registry.EdgeEvent> edgeEvents(String site, String kind, int limit) {
        return query("""
                SELECT site, agent, kind, id, at, body::text FROM edge_events
                WHERE (?::text IS NULL OR site = ?) AND kind = ? ORDER BY at DESC, id DESC LIMIT ?""", ps -> {
            ps.setString(1, site);
            ps.setString(2, site);
            ps.setString(3, kind);
            ps.setInt(4, limit);
        }, rs -> new io.wareedge.server.registry.EdgeEvent(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getLong(4), instant(rs, 5), rs.getString(6)));
    }

    @Override
    public long nodesOnline() {
        List<Long> r = query("SELECT count(*) FROM edge_nodes WHERE online", ps -> { }, rs -> rs.getLong(1));
        return r.get(0);
    }

    private List<Views.MetricView> metrics(long deviceDbId) {
        return query("""
                SELECT name, data_type, unit, value_double, value_long, value_bool, value_text, value_bytes, quality, value_ts
                FROM metrics WHERE device_id = ? ORDER BY name""", ps -> ps.setLong(1, deviceDbId),
                rs -> new Views.MetricView(rs.getString(1), rs.getString(2), rs.getString(3), value(rs, 4),
                        (Integer) rs.getObject(9), instant(rs, 10)));
    }

    private static Views.DeviceView deviceView(ResultSet rs) throws SQLException {
        return new Views.DeviceView(rs.getString(1), rs.getString(2), rs.getString(3),
                DeviceState.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(11),
                instant(rs, 7), instant(rs, 8), instant(rs, 9));
    }

    /** The value from the five typed columns starting at {@code index}. */
    private static Object value(ResultSet rs, int index) throws SQLException {
        for (int i = index; i < index + 5; i++) {
            Object v = rs.getObject(i);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static Instant instant(ResultSet rs, int index) throws SQLException {
        Timestamp t = rs.getTimestamp(index);
        return t == null ? null : t.toInstant();
    }

    /** UTF-8 text without control characters (other than tab and line breaks), else null. */
    static String printable(byte[] payload) {
        if (payload == null) {
            return null;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                    return null;
                }
            }
            return text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("registry query failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }
}
