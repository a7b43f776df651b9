package io.wareedge.server.persistence;

import io.wareedge.server.deadletter.DeadLetter;
import io.wareedge.server.registry.ChangeSet;
import io.wareedge.server.registry.DeviceChange;
import io.wareedge.server.registry.NodeChange;
import io.wareedge.server.registry.Sample;
import io.wareedge.server.sortation.ReportedSortEvent;
import io.wareedge.sortation.SortEvent;
import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.EdgeNodeId;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * PostgreSQL side of ingest. Readings go in one row per sample (V11: a device's readings of one moment) with one
 * binary {@code COPY} per batch (one round trip for any number of readings, nothing for PostgreSQL to parse or plan),
 * the new readings' last values with one {@code UPDATE ... FROM unnest(arrays)} guarded by timestamp (an older
 * historical value never replaces a newer one), dead letters with a JDBC batch. Ids of nodes, devices and metrics are
 * cached after their first upsert.
 *
 * <p>Replays: the rows' unique key (device, timestamp, reading id; -1 for nodes that number no readings) tells a
 * sample stored before. A batch is first copied as it is, because replays are rare: QoS 1 redelivery after a lost
 * connection, or a node's store-and-forward sending again what it was not sure of. When the copy meets a stored row,
 * the whole transaction is rolled back and written again: the batch's stored rows are read and locked, their
 * readings left out of the batch and counted, and a stored row that lacks some of the batch's metrics is replaced by
 * one holding both. Batches go on that way until one has no replay in it.
 *
 * <p>Used by the ingest store thread only; the id caches are not thread-safe and are dropped when a transaction fails.
 */
@Singleton
final class JdbcIngestStore implements IngestStore {

    /** A batch's stored rows, locked, when the batch may hold replays. */
    private static final String STORED_ROWS = """
            SELECT r.device_id, (extract(epoch FROM r.ts) * 1000)::bigint, r.reading_id, r.metric_ids, r.value_double,
                   r.value_long, r.value_bool, r.value_text, r.value_bytes, r.quality, r.historical
            FROM readings r
            JOIN unnest(?::bigint[], ?::bigint[], ?::bigint[]) AS k(d, t, id)
              ON r.device_id = k.d AND r.ts = timestamptz 'epoch' + k.t * interval '1 millisecond' AND r.reading_id = k.id
            FOR UPDATE OF r""";

    private static final String DELETE_ROW = """
            DELETE FROM readings WHERE device_id = ? AND ts = timestamptz 'epoch' + ? * interval '1 millisecond'
                                   AND reading_id = ?""";

    private static final String UNIQUE_VIOLATION = "23505";

    /** One statement for every last value of a batch; an older value (a late historical one) never replaces a newer. */
    private static final String UPDATE_LAST_VALUES = """
            UPDATE metrics m SET value_double = u.vd, value_long = u.vl, value_bool = u.vb, value_text = u.vt,
                                 value_bytes = u.vy, quality = u.q, value_ts = u.ts, updated_at = now()
            FROM (SELECT id, vd, vl, vb, vt, vy, q, timestamptz 'epoch' + t * interval '1 millisecond' AS ts
                  FROM unnest(?::bigint[], ?::float8[], ?::bigint[], ?::bool[], ?::text[], ?::bytea[], ?::int[],
                              ?::bigint[]) AS x(id, vd, vl, vb, vt, vy, q, t)) u
            WHERE m.id = u.id AND (m.value_ts IS NULL OR m.value_ts <= u.ts)""";

    /** reading_id of a reading its node gave no id (V10: a number, not NULL, so that it can be part of the key). */
    private static final long NO_READING_ID = -1;
    private static final long LAST_SEEN_RESOLUTION_NANOS = 1_000_000_000L;

    private final DataSource dataSource;
    private final Map<EdgeNodeId, Long> nodeIds = new HashMap<>();
    private final Map<DeviceKey, Long> deviceIds = new HashMap<>();
    /** The device of the sample before: a message's samples come one after another, for one node and device. */
    private EdgeNodeId lastNode;
    private String lastDevice;
    private long lastDeviceId;
    private final Map<MetricKey, CachedMetric> metrics = new HashMap<>();
    /** When each device's last_seen_at was last written (System.nanoTime), to write it at most once a second. */
    private final Map<Long, Long> lastSeenWritten = new HashMap<>();
    /** Set when a batch held a replay; batches are written skipping stored readings until one holds none. */
    private boolean replaysExpected;

    JdbcIngestStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public WriteResult write(ChangeSet changes, List<DeadLetter> deadLetters) throws SQLException {
        if (!replaysExpected) {
            try {
                return write(changes, deadLetters, false);
            } catch (StoredReadingMet e) {
                replaysExpected = true;
            }
        }
        WriteResult result = write(changes, deadLetters, true);
        replaysExpected = result.duplicates() > 0;
        return result;
    }

    private WriteResult write(ChangeSet changes, List<DeadLetter> deadLetters, boolean skipStored)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                writeNodes(c, changes.nodeChanges());
                writeDevices(c, changes.deviceChanges());
                int[] counts = writeSamples(c, changes.samples(), skipStored);
                int deadInserted = writeDeadLetters(c, deadLetters);
                int sortInserted = writeSortEvents(c, changes.sortEvents());
                writeEdgeEvents(c, changes.edgeEvents());
                c.commit();
                return new WriteResult(counts[0], counts[1], deadInserted, sortInserted);
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                // Ids created inside the failed transaction do not exist.
                nodeIds.clear();
                deviceIds.clear();
                lastNode = null;
                metrics.clear();
                lastSeenWritten.clear();
                throw e;
            }
        }
    }

    private static void writeEdgeEvents(Connection c, List<io.wareedge.server.registry.EdgeEvent> events)
            throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO edge_events (site, agent, kind, id, at, body) VALUES (?, ?, ?, ?, ?, ?::jsonb)
                ON CONFLICT DO NOTHING""")) {
            for (io.wareedge.server.registry.EdgeEvent e : events) {
                ps.setString(1, e.site());
                ps.setString(2, e.agent());
                ps.setString(3, e.kind());
                ps.setLong(4, e.id());
                ps.setObject(5, java.time.OffsetDateTime.ofInstant(e.at(), java.time.ZoneOffset.UTC));
                ps.setString(6, e.json());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static final String INSERT_DECISION = """
            INSERT INTO sort_decisions (site, sorter, seq, pass, agent, codes, chute, rejected, reason, code,
                                        destination, plan_version, inducted_at, decided_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    private static final String INSERT_RESULT = """
            INSERT INTO sort_results (site, sorter, seq, pass, agent, chute, rejected, outcome, destination, correct, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    /**
     * Decisions and results keyed by (site, sorter, seq, pass): a replayed event inserts nothing. Whether a chute is
     * the reject chute is taken from the sorter's layout when the event is stored.
     */
    private int writeSortEvents(Connection c, List<ReportedSortEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return 0;
        }
        Map<String, Integer> rejectChutes = new HashMap<>();
        try (PreparedStatement reject = c.prepareStatement("SELECT reject_chute FROM sorters WHERE site = ? AND sorter = ?")) {
            for (ReportedSortEvent e : events) {
                String key = e.site() + "/" + e.event().sorter();
                if (!rejectChutes.containsKey(key)) {
                    reject.setString(1, e.site());
                    reject.setString(2, e.event().sorter());
                    try (ResultSet rs = reject.executeQuery()) {
                        rejectChutes.put(key, rs.next() ? rs.getInt(1) : -1);
                    }
                }
            }
        }
        int inserted = 0;
        try (PreparedStatement decided = c.prepareStatement(INSERT_DECISION);
             PreparedStatement completed = c.prepareStatement(INSERT_RESULT)) {
            int decisions = 0;
            int results = 0;
            for (ReportedSortEvent e : events) {
                int rejectChute = rejectChutes.get(e.site() + "/" + e.event().sorter());
                if (e.event() instanceof SortEvent.Decided d) {
                    decided.setString(1, e.site());
                    decided.setString(2, d.sorter());
                    decided.setLong(3, d.seq());
                    decided.setInt(4, d.pass());
                    decided.setString(5, e.agent());
                    decided.setArray(6, c.createArrayOf("text", d.codes().toArray()));
                    decided.setInt(7, d.decision().chute());
                    decided.setBoolean(8, d.decision().chute() == rejectChute);
                    decided.setString(9, d.decision().reason().wireName());
                    decided.setString(10, d.decision().code());
                    decided.setString(11, d.decision().destination());
                    decided.setLong(12, d.decision().planVersion());
                    decided.setObject(13, SqlValues.time(d.inductedAtMillis()));
                    decided.setObject(14, SqlValues.time(d.decidedAtMillis()));
                    decided.addBatch();
                    decisions++;
                } else if (e.event() instanceof SortEvent.Completed r) {
                    completed.setString(1, e.site());
                    completed.setString(2, r.sorter());
                    completed.setLong(3, r.seq());
                    completed.setInt(4, r.pass());
                    completed.setString(5, e.agent());
                    completed.setInt(6, r.chute());
                    completed.setBoolean(7, r.chute() == rejectChute);
                    completed.setString(8, r.outcome().wireName());
                    completed.setString(9, r.destination());
                    completed.setBoolean(10, r.correct());
                    completed.setObject(11, SqlValues.time(r.atMillis()));
                    completed.addBatch();
                    results++;
                }
            }
            if (decisions > 0) {
                inserted += insertedRows(decided.executeBatch());
            }
            if (results > 0) {
                inserted += insertedRows(completed.executeBatch());
            }
        }
        return inserted;
    }

    private static int insertedRows(int[] counts) {
        int n = 0;
        for (int count : counts) {
            n += Math.max(0, count);
        }
        return n;
    }

    private void writeNodes(Connection c, List<NodeChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement born = c.prepareStatement(
                "UPDATE edge_nodes SET online = true, bd_seq = ?, birth_at = ?, death_at = NULL WHERE id = ?");
             PreparedStatement died = c.prepareStatement(
                     "UPDATE edge_nodes SET online = false, death_at = ? WHERE id = ? AND bd_seq = ?")) {
            // In order: a death and the next birth of the same node can share a batch.
            for (NodeChange change : changes) {
                long id = nodeId(c, change.node());
                if (change.online()) {
                    born.setLong(1, change.bdSeq());
                    born.setObject(2, SqlValues.time(change.at()));
                    born.setLong(3, id);
                    born.executeUpdate();
                } else {
                    died.setObject(1, SqlValues.time(change.at()));
                    died.setLong(2, id);
                    died.setLong(3, change.bdSeq());
                    died.executeUpdate();
                }
            }
        }
    }

    private static void addHistory(PreparedStatement history, long deviceId, long at, boolean online) throws SQLException {
        history.setLong(1, deviceId);
        history.setObject(2, SqlValues.time(at));
        history.setBoolean(3, online);
        history.addBatch();
    }

    private void writeDevices(Connection c, List<DeviceChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        // last_seen_at is the database's clock, like the staleness query: one clock for every server instance.
        Set<Long> seen = new LinkedHashSet<>();
        try (PreparedStatement born = c.prepareStatement("""
                UPDATE devices SET online = true, profile = ?, kind = ?, area = ?, birth_at = ?, death_at = NULL,
                                   last_seen_at = now() WHERE id = ?""");
             PreparedStatement died = c.prepareStatement("UPDATE devices SET online = false, death_at = ? WHERE id = ?");
             PreparedStatement history = c.prepareStatement(
                     "INSERT INTO device_state_changes (device_id, at, online) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (DeviceChange change : changes) {
                long id = deviceId(c, change.node(), change.device());
                switch (change.event()) {
                    case BIRTH -> {
                        born.setString(1, change.profile());
                        born.setString(2, change.kind());
                        born.setString(3, change.area());
                        born.setObject(4, SqlValues.time(change.at()));
                        born.setLong(5, id);
                        born.executeUpdate();
                        addHistory(history, id, change.at(), true);
                    }
                    case DEATH -> {
                        died.setObject(1, SqlValues.time(change.at()));
                        died.setLong(2, id);
                        died.executeUpdate();
                        addHistory(history, id, change.at(), false);
                    }
                    case SEEN -> seen.add(id);
                }
            }
            history.executeBatch();
        }
        // Staleness is judged in seconds (stale-after), so a device's last_seen_at written once a second is enough;
        // written for every batch it was a row update per device per batch.
        long nowNanos = System.nanoTime();
        seen.removeIf(id -> {
            Long written = lastSeenWritten.get(id);
            return written != null && nowNanos - written < LAST_SEEN_RESOLUTION_NANOS;
        });
        seen.forEach(id -> lastSeenWritten.put(id, nowNanos));
        if (!seen.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE devices SET last_seen_at = now() WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("bigint", seen.toArray(new Long[0])));
                ps.executeUpdate();
            }
        }
    }

    /**
     * Writes the batch's readings and their last values. Returns {inserted, duplicates}. Without {@code skipStored} a
     * reading stored before fails the batch ({@link StoredReadingMet}); with it, such readings are left out and
     * counted, and change no last value.
     */
    private int[] writeSamples(Connection c, List<Sample> samples, boolean skipStored) throws SQLException {
        if (samples.isEmpty()) {
            return new int[]{0, 0};
        }
        Map<SampleRows.Key, SampleRows.Row> rows = rows(c, samples);
        int withValue = 0;
        for (Sample s : samples) {
            withValue += s.value() == null ? 0 : 1;
        }
        List<SampleRows.Row> written = new ArrayList<>(rows.values());
        List<SampleRows.Row> toCopy = written;
        if (skipStored) {
            toCopy = new ArrayList<>();
            written = new ArrayList<>();
            leaveOutStored(c, rows, toCopy, written);
        }
        copy(c, toCopy);
        Map<Long, LastValue> latest = new HashMap<>();
        int inserted = 0;
        for (SampleRows.Row row : written) {
            for (SampleRows.Entry e : row.entries) {
                inserted++;
                latest.merge(e.metricId(), new LastValue(e, row.key.timestampMillis()),
                        (a, b) -> b.timestampMillis() >= a.timestampMillis() ? b : a);
            }
        }
        writeLastValues(c, latest);
        return new int[]{inserted, withValue - inserted};
    }

    /**
     * The batch's readings as rows, in the order their samples arrived. A metric without a value (a birth announcing a
     * metric not yet read) defines the metric; it is not a reading. A metric twice in one row (a message and its
     * redelivery in one batch) is kept once.
     */
    private Map<SampleRows.Key, SampleRows.Row> rows(Connection c, List<Sample> samples) throws SQLException {
        Map<SampleRows.Key, SampleRows.Row> rows = new LinkedHashMap<>(Math.max(16, samples.size() / 2));
        SampleRows.Row last = null;
        for (Sample s : samples) {
            long device = deviceId(c, s.node(), s.device());
            long metric = metricId(c, device, s);
            if (s.value() == null) {
                continue;
            }
            SampleRows.Row row;
            if (last != null && last.key.device() == device && last.key.timestampMillis() == s.timestamp()
                    && last.key.readingId() == readingKey(s)) {
                row = last; // the next reading of the same sample, the common case
            } else {
                SampleRows.Key key = new SampleRows.Key(device, s.timestamp(), readingKey(s));
                row = rows.computeIfAbsent(key, k -> new SampleRows.Row(k, s.historical()));
                last = row;
            }
            if (!row.has(metric)) {
                row.entries.add(new SampleRows.Entry(metric, s.value(), s.quality()));
                row.historical |= s.historical();
            }
        }
        return rows;
    }

    private static void copy(Connection c, List<SampleRows.Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try {
            c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn(SampleRows.COPY, new ByteArrayInputStream(SampleRows.copyBinary(rows)));
        } catch (IOException e) {
            throw new SQLException("COPY of readings failed", e);
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new StoredReadingMet(e);
            }
            throw e;
        }
    }

    /**
     * Splits the batch's rows into what to copy and the readings that are new, leaving out readings stored before.
     * A row stored before with fewer metrics (a foreign node sending more metrics of a timestamp later) is replaced
     * by the stored and the new readings together; only the new ones count as written.
     */
    private static void leaveOutStored(Connection c, Map<SampleRows.Key, SampleRows.Row> rows,
                                       List<SampleRows.Row> toCopy, List<SampleRows.Row> written) throws SQLException {
        Map<SampleRows.Key, SampleRows.Row> stored = storedRows(c, rows.keySet());
        try (PreparedStatement delete = c.prepareStatement(DELETE_ROW)) {
            boolean deletes = false;
            for (SampleRows.Row row : rows.values()) {
                SampleRows.Row before = stored.get(row.key);
                if (before == null) {
                    toCopy.add(row);
                    written.add(row);
                    continue;
                }
                SampleRows.Row fresh = new SampleRows.Row(row.key, row.historical);
                row.entries.stream().filter(e -> !before.has(e.metricId())).forEach(fresh.entries::add);
                if (fresh.entries.isEmpty()) {
                    continue;
                }
                written.add(fresh);
                before.entries.addAll(fresh.entries);
                before.historical |= fresh.historical;
                toCopy.add(before);
                delete.setLong(1, row.key.device());
                delete.setLong(2, row.key.timestampMillis());
                delete.setLong(3, row.key.readingId());
                delete.addBatch();
                deletes = true;
            }
            if (deletes) {
                delete.executeBatch();
            }
        }
    }

    private static Map<SampleRows.Key, SampleRows.Row> storedRows(Connection c, Collection<SampleRows.Key> keys)
            throws SQLException {
        Long[] devices = new Long[keys.size()];
        Long[] times = new Long[keys.size()];
        Long[] readingIds = new Long[keys.size()];
        int i = 0;
        for (SampleRows.Key k : keys) {
            devices[i] = k.device();
            times[i] = k.timestampMillis();
            readingIds[i] = k.readingId();
            i++;
        }
        Map<SampleRows.Key, SampleRows.Row> stored = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(STORED_ROWS)) {
            ps.setArray(1, c.createArrayOf("bigint", devices));
            ps.setArray(2, c.createArrayOf("bigint", times));
            ps.setArray(3, c.createArrayOf("bigint", readingIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SampleRows.Key key = new SampleRows.Key(rs.getLong(1), rs.getLong(2), rs.getLong(3));
                    SampleRows.Row row = new SampleRows.Row(key, rs.getBoolean(11));
                    Object[] metricIds = (Object[]) rs.getArray(4).getArray();
                    Object[][] values = new Object[5][];
                    for (int col = 0; col < 5; col++) {
                        java.sql.Array a = rs.getArray(5 + col);
                        values[col] = a == null ? null : (Object[]) a.getArray();
                    }
                    java.sql.Array q = rs.getArray(10);
                    Object[] qualities = q == null ? null : (Object[]) q.getArray();
                    for (int m = 0; m < metricIds.length; m++) {
                        Object value = null;
                        for (Object[] column : values) {
                            if (column != null && column[m] != null) {
                                value = column[m];
                            }
                        }
                        int quality = qualities == null || qualities[m] == null ? SampleRows.GOOD : (Integer) qualities[m];
                        row.entries.add(new SampleRows.Entry((Long) metricIds[m], value, quality));
                    }
                    stored.put(key, row);
                }
            }
        }
        return stored;
    }

    private record LastValue(SampleRows.Entry reading, long timestampMillis) {
    }

    private static void writeLastValues(Connection c, Map<Long, LastValue> latest) throws SQLException {
        if (latest.isEmpty()) {
            return;
        }
        int k = latest.size();
        Long[] ids = new Long[k];
        ValueColumns lastValues = new ValueColumns(k);
        Integer[] qualities = new Integer[k];
        Long[] times = new Long[k];
        int i = 0;
        for (LastValue last : latest.values()) {
            ids[i] = last.reading().metricId();
            lastValues.set(i, last.reading().value());
            qualities[i] = last.reading().quality();
            times[i] = last.timestampMillis();
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(UPDATE_LAST_VALUES)) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            lastValues.bind(c, ps, 2);
            ps.setArray(7, c.createArrayOf("int4", qualities));
            ps.setArray(8, c.createArrayOf("bigint", times));
            ps.executeUpdate();
        }
    }

    private int writeDeadLetters(Connection c, List<DeadLetter> letters) throws SQLException {
        if (letters.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO dead_letters (received_at, source, source_id, device, topic, kind, detail, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (DeadLetter d : letters) {
                ps.setObject(1, SqlValues.time(d.receivedAt()));
                ps.setString(2, d.source());
                ps.setObject(3, d.sourceId(), Types.BIGINT);
                ps.setString(4, d.device());
                ps.setString(5, d.topic());
                ps.setString(6, d.kind());
                ps.setString(7, d.detail());
                ps.setBytes(8, d.payload());
                ps.addBatch();
            }
            int inserted = 0;
            for (int count : ps.executeBatch()) {
                // With reWriteBatchedInserts the driver reports SUCCESS_NO_INFO (-2) per row.
                inserted += count == PreparedStatement.SUCCESS_NO_INFO ? 1 : count;
            }
            return inserted;
        }
    }

    private long nodeId(Connection c, EdgeNodeId node) throws SQLException {
        Long id = nodeIds.get(node);
        if (id == null) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO edge_nodes (group_id, node_id) VALUES (?, ?)
                    ON CONFLICT (group_id, node_id) DO UPDATE SET group_id = EXCLUDED.group_id RETURNING id""")) {
                ps.setString(1, node.groupId());
                ps.setString(2, node.edgeNodeId());
                id = single(ps);
            }
            nodeIds.put(node, id);
        }
        return id;
    }

    private long deviceId(Connection c, EdgeNodeId node, String device) throws SQLException {
        if (node == lastNode && device == lastDevice) {
            return lastDeviceId;
        }
        DeviceKey key = new DeviceKey(node, device);
        Long id = deviceIds.get(key);
        if (id == null) {
            long nodeId = nodeId(c, node);
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO devices (edge_node_id, device_id) VALUES (?, ?)
                    ON CONFLICT (edge_node_id, device_id) DO UPDATE SET device_id = EXCLUDED.device_id RETURNING id""")) {
                ps.setLong(1, nodeId);
                ps.setString(2, device);
                id = single(ps);
            }
            deviceIds.put(key, id);
        }
        lastNode = node;
        lastDevice = device;
        lastDeviceId = id;
        return id;
    }

    private long metricId(Connection c, long deviceId, Sample s) throws SQLException {
        MetricKey key = new MetricKey(deviceId, s.metric());
        CachedMetric cached = metrics.get(key);
        boolean definitionChanged = cached != null
                && (cached.type != s.type() || (s.unit() != null && !Objects.equals(cached.unit, s.unit())));
        if (cached == null || definitionChanged) {
            long id;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO metrics (device_id, name, data_type, unit) VALUES (?, ?, ?, ?)
                    ON CONFLICT (device_id, name) DO UPDATE
                        SET data_type = EXCLUDED.data_type, unit = COALESCE(EXCLUDED.unit, metrics.unit)
                    RETURNING id""")) {
                ps.setLong(1, deviceId);
                ps.setString(2, s.metric());
                ps.setString(3, s.type().name());
                ps.setString(4, s.unit());
                id = single(ps);
            }
            cached = new CachedMetric(id, s.type(), s.unit() != null ? s.unit() : cached == null ? null : cached.unit);
            metrics.put(key, cached);
        }
        return cached.id;
    }

    private static long single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private record DeviceKey(EdgeNodeId node, String device) {
    }

    /** The plain INSERT of a batch met a reading stored before: the batch is written again, skipping stored ones. */
    private static final class StoredReadingMet extends SQLException {
        StoredReadingMet(SQLException cause) {
            super("a reading of the batch is stored already", UNIQUE_VIOLATION, cause);
        }
    }

    private record MetricKey(long deviceId, String name) {
    }

    private record CachedMetric(long id, DataType type, String unit) {
    }

    private static long readingKey(Sample s) {
        return s.readingId() >= 0 ? s.readingId() : NO_READING_ID;
    }

    /** A value per row split over the five typed columns (exactly one non-null for a non-null value), as arrays. */
    private static final class ValueColumns {
        final Double[] doubles;
        final Long[] longs;
        final Boolean[] bools;
        final String[] texts;
        final byte[][] bytes;

        ValueColumns(int n) {
            doubles = new Double[n];
            longs = new Long[n];
            bools = new Boolean[n];
            texts = new String[n];
            bytes = new byte[n][];
        }

        void set(int i, Object v) {
            doubles[i] = v instanceof Double d ? d : null;
            longs[i] = v instanceof Long l ? l : null;
            bools[i] = v instanceof Boolean b ? b : null;
            texts[i] = v instanceof String str ? str : null;
            bytes[i] = v instanceof byte[] b ? b : null;
        }

        /** Binds the five arrays to parameters {@code first} .. {@code first + 4}. */
        void bind(Connection c, PreparedStatement ps, int first) throws SQLException {
            ps.setArray(first, c.createArrayOf("float8", doubles));
            ps.setArray(first + 1, c.createArrayOf("bigint", longs));
            ps.setArray(first + 2, c.createArrayOf("bool", bools));
            ps.setArray(first + 3, c.createArrayOf("text", texts));
            ps.setArray(first + 4, c.createArrayOf("bytea", bytes));
        }
    }
}
