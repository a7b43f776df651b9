package io.wareedge.server.persistence;

import io.wareedge.server.BackgroundThreads;
import io.micronaut.context.annotation.Context;
import io.wareedge.server.config.IngestSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps readings for {@code wareedge.ingest.readings-retention}: one partition of {@code readings} per UTC day (see
 * {@code V10__readings_by_day.sql}), created {@value #DAYS_AHEAD} days ahead and dropped whole once its day is older
 * than the retention. So readings are kept at least the retention and at most a day longer, and nothing deletes
 * rows one by one on the hot table.
 *
 * <p>Readings whose day has no partition land in {@code readings_default}: ones older than the retention (a gateway
 * replaying a long backlog) are deleted there on the next run; ones days ahead (a device clock that runs fast) are
 * moved into their day's partition when it is created.
 *
 * <p>Threading: the first run is on the thread that starts the server, so a server starts with today's partition in
 * place; then one run an hour on {@value #THREAD}. Server instances sharing a database take turns through an advisory
 * lock: a run that finds it taken does nothing. Every statement waits at most {@value #LOCK_TIMEOUT} for a lock (a
 * partition's drop needs the parent table to itself for a moment): a run that cannot have one gives up and the next
 * run tries again, instead of queueing ingest behind a long report query.
 */
@Context
@Singleton
final class ReadingsRetention {
    static final String THREAD = "wareedge-readings-retention";
    static final int DAYS_AHEAD = 2;
    private static final String LOCK_TIMEOUT = "2s";
    private static final Duration EVERY = Duration.ofHours(1);
    /** Advisory lock key of the retention runs ("readings" in ASCII). */
    private static final long LOCK_KEY = 0x7265_6164_696e_6773L;
    private static final String PARTITION_PREFIX = "readings_";
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Logger LOG = LoggerFactory.getLogger(ReadingsRetention.class);

    /** What a run did; {@code skipped} when another server instance was running it. */
    record Run(boolean skipped, List<LocalDate> created, List<LocalDate> dropped, long moved, long deleted) {
    }

    private final DataSource dataSource;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService worker;

    @Inject
    ReadingsRetention(DataSource dataSource, IngestSettings settings) {
        this(dataSource, settings.readingsRetention(), Clock.systemUTC());
        try {
            run();
        } catch (SQLException e) {
            // Ingest goes on into the default partition; the next run makes up for this one.
            LOG.warn("readings retention failed at start, retrying in {}: {}", EVERY, e.toString());
        }
        worker.scheduleWithFixedDelay(this::scheduledRun, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** For tests: nothing runs until {@link #run} is called. */
    ReadingsRetention(DataSource dataSource, Duration retention, Clock clock) {
        this.dataSource = dataSource;
        this.retention = retention;
        this.clock = clock;
        this.worker = BackgroundThreads.single(THREAD);
    }

    private void scheduledRun() {
        try {
            run();
        } catch (SQLException | RuntimeException e) {
            if (!worker.isShutdown()) {
                LOG.warn("readings retention failed, retrying in {}: {}", EVERY, e.toString());
            }
        }
    }

    /** Creates the partitions from the oldest day kept to {@value #DAYS_AHEAD} days ahead, drops older ones. */
    Run run() throws SQLException {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Instant cutoff = now.minus(retention);
        // the day holding the cutoff still has readings younger than the retention: it is kept whole
        LocalDate firstKept = LocalDate.ofInstant(cutoff, ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            execute(c, "SET lock_timeout = '" + LOCK_TIMEOUT + "'");
            try {
                return runLocked(c, today, cutoff, firstKept);
            } finally {
                // the connection goes back to the pool: ingest and picking wait for locks as long as they need
                execute(c, "RESET lock_timeout");
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private Run runLocked(Connection c, LocalDate today, Instant cutoff, LocalDate firstKept) throws SQLException {
        if (!advisoryLock(c, "pg_try_advisory_lock")) {
            return new Run(true, List.of(), List.of(), 0, 0);
        }
        try {
            TreeSet<LocalDate> existing = partitions(c);
            List<LocalDate> created = new ArrayList<>();
            long moved = 0;
            for (LocalDate day = firstKept; !day.isAfter(today.plusDays(DAYS_AHEAD)); day = day.plusDays(1)) {
                if (!existing.contains(day)) {
                    moved += create(c, day);
                    created.add(day);
                }
            }
            List<LocalDate> dropped = new ArrayList<>();
            for (LocalDate day : existing.headSet(firstKept)) {
                execute(c, "DROP TABLE " + partition(day));
                dropped.add(day);
            }
            long deleted;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM readings_default WHERE ts < ?")) {
                ps.setObject(1, SqlValues.time(cutoff.toEpochMilli()));
                deleted = ps.executeUpdate();
            }
            Run run = new Run(false, created, dropped, moved, deleted);
            if (!created.isEmpty() || !dropped.isEmpty() || deleted > 0) {
                LOG.info("readings retention {}: partitions created {} ({} readings moved into them from the default"
                                + " partition), dropped {}, {} readings older than {} deleted from the default partition",
                        retention, created, moved, dropped, deleted, cutoff);
            }
            return run;
        } finally {
            advisoryLock(c, "pg_advisory_unlock");
        }
    }

    private static boolean advisoryLock(Connection c, String function) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The days of the partitions there are (named by {@link #partition}; the default partition is not one). */
    private static TreeSet<LocalDate> partitions(Connection c) throws SQLException {
        TreeSet<LocalDate> days = new TreeSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT child.relname FROM pg_inherits i
                     JOIN pg_class child ON child.oid = i.inhrelid
                     WHERE i.inhparent = 'readings'::regclass AND child.relname ~ '^readings_[0-9]{8}$'""")) {
            while (rs.next()) {
                days.add(LocalDate.parse(rs.getString(1).substring(PARTITION_PREFIX.length()), DAY));
            }
        }
        return days;
    }

    /**
     * One transaction: the day's table, the day's readings moved into it out of the default partition, attached.
     * The default partition is locked against writes first, so no reading of that day lands there between the move
     * and the attach (which checks that the default partition holds none); ingest into other days goes on.
     */
    private static long create(Connection c, LocalDate day) throws SQLException {
        String table = partition(day);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE readings_default IN EXCLUSIVE MODE");
            s.execute("CREATE TABLE " + table + " (LIKE readings INCLUDING DEFAULTS)");
            int moved = s.executeUpdate("WITH moved AS (DELETE FROM readings_default WHERE ts >= " + bound(day)
                    + " AND ts < " + bound(day.plusDays(1)) + " RETURNING *) INSERT INTO " + table + " SELECT * FROM moved");
            s.execute("ALTER TABLE readings ATTACH PARTITION " + table + " FOR VALUES FROM (" + bound(day) + ") TO ("
                    + bound(day.plusDays(1)) + ")");
            c.commit();
            return moved;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    static String partition(LocalDate day) {
        return PARTITION_PREFIX + DAY.format(day);
    }

    private static String bound(LocalDate day) {
        return "'" + day + " 00:00:00+00'";
    }

    @PreDestroy
    void close() {
        BackgroundThreads.stop(worker);
    }
}
