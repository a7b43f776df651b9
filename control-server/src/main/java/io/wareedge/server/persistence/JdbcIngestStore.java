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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * PostgreSQL side of ingest. Readings go in with one {@code INSERT ... SELECT FROM unnest(arrays)} per batch (one
 * round trip for any number of readings), the new readings' last values with one {@code UPDATE ... FROM
 * unnest(arrays)} guarded by timestamp (an older historical value never replaces a newer one), dead letters with a
 * JDBC batch. Ids of nodes, devices and metrics are cached after their first upsert.
 *
 * <p>Replays: the readings' unique key (metric, timestamp, reading id; -1 for nodes that number no readings) tells a
 * reading stored before. A batch is first written with a plain INSERT, because {@code ON CONFLICT DO NOTHING} costs
 * PostgreSQL about twice as much per row (a probe of the key before each row and a speculative insertion; measured
 * 7.5 against 3.7 µs per reading on the bench machine), and replays are rare: QoS 1 redelivery after a lost
 * connection, or a node's store-and-forward sending again what it was not sure of. When the plain INSERT meets a
 * stored reading, the whole transaction is rolled back and written again with {@code ON CONFLICT DO NOTHING
 * RETURNING}, whose rows tell new readings from replays; batches go on that way until one has no replay in it.
 *
 * <p>Used by the ingest store thread only; the id caches are not thread-safe and are dropped when a transaction fails.
 */
@Singleton
final class JdbcIngestStore implements IngestStore {

    private static final String INSERT_READINGS = """
            INSERT INTO readings (metric_id, device_id, ts, reading_id, value_double, value_long, value_bool,
                                  value_text, value_bytes, quality, historical)
            SELECT m, d, timestamptz 'epoch' + t * interval '1 millisecond', r, vd, vl, vb, vt, vy, q, h
            FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::float8[], ?::bigint[], ?::bool[],
                        ?::text[], ?::bytea[], ?::int[], ?::bool[]) AS u(m, d, t, r, vd, vl, vb, vt, vy, q, h)
            -- A metric without a value (a birth announcing a metric not yet read) defines it; it is not a reading.
            WHERE NOT (vd IS NULL AND vl IS NULL AND vb IS NULL AND vt IS NULL AND vy IS NULL)""";

    /** The same for a batch that may hold replays: the returned rows are the readings that were new. */
    private static final String INSERT_READINGS_SKIPPING_STORED = INSERT_READINGS + """

            ON CONFLICT DO NOTHING
            RETURNING metric_id, reading_id, (extract(epoch FROM ts) * 1000)::bigint""";
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
        BatchIds ids = ids(c, samples);
        Set<InsertedKey> inserted = skipStored ? insertSkippingStored(c, samples, ids) : null;
        int insertedCount = skipStored ? inserted.size() : insertAll(c, samples, ids);
        Map<Long, Sample> latest = new HashMap<>();
        int withValue = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s.value() == null) {
                continue; // a metric defined without a value: not a reading
            }
            withValue++;
            if (inserted == null || inserted.contains(new InsertedKey(ids.metrics[i], s.timestamp(), readingKey(s)))) {
                latest.merge(ids.metrics[i], s, JdbcIngestStore::later);
            }
        }
        writeLastValues(c, latest);
        return new int[]{insertedCount, withValue - insertedCount};
    }

    private static int insertAll(Connection c, List<Sample> samples, BatchIds ids) throws SQLException {
        try (PreparedStatement ps = readingsInsert(c, INSERT_READINGS, samples, ids)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new StoredReadingMet(e);
            }
            throw e;
        }
    }

    /** Returns the keys of the readings that were new. */
    private static Set<InsertedKey> insertSkippingStored(Connection c, List<Sample> samples, BatchIds ids)
            throws SQLException {
        Set<InsertedKey> inserted = new HashSet<>();
        try (PreparedStatement ps = readingsInsert(c, INSERT_READINGS_SKIPPING_STORED, samples, ids);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                inserted.add(new InsertedKey(rs.getLong(1), rs.getLong(3), rs.getLong(2)));
            }
        }
        return inserted;
    }

    private static Sample later(Sample a, Sample b) {
        return b.timestamp() >= a.timestamp() ? b : a;
    }

    /** The batch's metric and device ids, in sample order, created where new. */
    private BatchIds ids(Connection c, List<Sample> samples) throws SQLException {
        BatchIds ids = new BatchIds(new long[samples.size()], new long[samples.size()]);
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            ids.devices[i] = deviceId(c, s.node(), s.device());
            ids.metrics[i] = metricId(c, ids.devices[i], s);
        }
        return ids;
    }

    private record BatchIds(long[] metrics, long[] devices) {
    }

    private static PreparedStatement readingsInsert(Connection c, String sql, List<Sample> samples, BatchIds ids)
            throws SQLException {
        int n = samples.size();
        Long[] metricCol = new Long[n];
        Long[] deviceCol = new Long[n];
        Long[] tsCol = new Long[n];
        Long[] readingCol = new Long[n];
        ValueColumns values = new ValueColumns(n);
        Integer[] qualityCol = new Integer[n];
        Boolean[] historicalCol = new Boolean[n];
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            metricCol[i] = ids.metrics[i];
            deviceCol[i] = ids.devices[i];
            tsCol[i] = s.timestamp();
            readingCol[i] = readingKey(s);
            values.set(i, s.value());
            qualityCol[i] = s.quality();
            historicalCol[i] = s.historical();
        }
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            ps.setArray(1, c.createArrayOf("bigint", metricCol));
            ps.setArray(2, c.createArrayOf("bigint", deviceCol));
            ps.setArray(3, c.createArrayOf("bigint", tsCol));
            ps.setArray(4, c.createArrayOf("bigint", readingCol));
            values.bind(c, ps, 5);
            ps.setArray(10, c.createArrayOf("int4", qualityCol));
            ps.setArray(11, c.createArrayOf("bool", historicalCol));
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static void writeLastValues(Connection c, Map<Long, Sample> latest) throws SQLException {
        if (latest.isEmpty()) {
            return;
        }
        int k = latest.size();
        Long[] ids = new Long[k];
        ValueColumns lastValues = new ValueColumns(k);
        Integer[] qualities = new Integer[k];
        Long[] times = new Long[k];
        int i = 0;
        for (Map.Entry<Long, Sample> e : latest.entrySet()) {
            ids[i] = e.getKey();
            lastValues.set(i, e.getValue().value());
            qualities[i] = e.getValue().quality();
            times[i] = e.getValue().timestamp();
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

    /** The readings table's key: a reading without an id from its node is told from a replay by its timestamp. */
    private record InsertedKey(long metricId, long ts, long readingId) {
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
