package io.wareedge.server.persistence;

import io.wareedge.server.testing.ServerUnderTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readings retention against a real PostgreSQL with the server's schema: partitions by day created ahead and
 * dropped whole, readings of days without a partition kept in the default partition until their day's partition
 * comes (moved into it) or they are older than the retention (deleted). The clock is far from today's date, so the
 * partitions the server made at its start are simply old ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadingsRetentionTest {
    @TempDir
    static Path dir;
    private ServerUnderTest services;
    private DataSource dataSource;

    @BeforeAll
    void start() throws Exception {
        services = ServerUnderTest.start(dir, Map.of());
        dataSource = services.server().context().getBean(DataSource.class);
    }

    @AfterAll
    void stop() throws Exception {
        services.close();
    }

    @Test
    void daysArePartitionedAheadAndDroppedWholeOnceOlderThanTheRetention() throws Exception {
        // The server made today's partitions at its start with the real clock.
        assertThat(partitions()).contains(ReadingsRetention.partition(LocalDate.now(ZoneOffset.UTC)));
        services.postgres().execute("""
                INSERT INTO readings (metric_ids, device_id, ts, reading_id, value_long) VALUES
                  ('{1}', 1, '2031-02-20T12:00:00Z', 1, '{1}'),  -- older than the retention on 2031-03-10
                  ('{1}', 1, '2031-03-03T08:00:00Z', 2, '{2}'),  -- before the cutoff, on the cutoff's day: kept
                  ('{1}', 1, '2031-03-10T09:00:00Z', 3, '{3}'),  -- "today"
                  ('{1}', 1, '2031-03-12T23:00:00Z', 4, '{4}'),  -- two days ahead
                  ('{1}', 1, '2031-03-20T00:00:00Z', 5, '{5}'),  -- ten days ahead: a fast clock
                  ('{2}', 1, '2031-03-10T09:00:00Z', -1, '{6}')  -- a node that numbers no readings""");
        assertThat(whereIs()).containsExactly("1:readings_default", "2:readings_default", "3:readings_default",
                "4:readings_default", "5:readings_default", "6:readings_default");

        ReadingsRetention.Run first = retention("2031-03-10T10:00:00Z").run();

        assertThat(first.skipped()).isFalse();
        assertThat(first.created()).containsExactly(days("2031-03-03", "2031-03-12"));
        assertThat(first.dropped()).contains(LocalDate.now(ZoneOffset.UTC));
        assertThat(first.moved()).isEqualTo(4);
        assertThat(first.deleted()).isEqualTo(1);
        assertThat(whereIs()).containsExactly("2:readings_20310303", "3:readings_20310310", "4:readings_20310312",
                "5:readings_default", "6:readings_20310310");
        assertThat(partitions()).containsExactly(names(days("2031-03-03", "2031-03-12")));

        // A replay of a stored reading is still told apart by the key, in a partition as in the default one.
        services.postgres().execute("""
                INSERT INTO readings (metric_ids, device_id, ts, reading_id, value_long) VALUES
                  ('{1}', 1, '2031-03-10T09:00:00Z', 3, '{99}'), ('{1}', 1, '2031-03-20T00:00:00Z', 5, '{99}'),
                  ('{2}', 1, '2031-03-10T09:00:00Z', -1, '{99}')
                ON CONFLICT DO NOTHING""");
        assertThat(services.postgres().scalar("SELECT count(*) FROM reading_values WHERE value_long = 99")).isZero();

        // Nine days later: the days up to the new cutoff's go whole, and the fast clock's day gets its partition.
        ReadingsRetention.Run later = retention("2031-03-19T01:00:00Z").run();

        assertThat(later.dropped()).containsExactly(days("2031-03-03", "2031-03-11"));
        assertThat(later.created()).containsExactly(days("2031-03-13", "2031-03-21"));
        assertThat(later.moved()).isEqualTo(1);
        assertThat(later.deleted()).isZero();
        assertThat(whereIs()).containsExactly("4:readings_20310312", "5:readings_20310320");

        // Nothing left to do: a second run at the same time changes nothing.
        ReadingsRetention.Run again = retention("2031-03-19T01:00:00Z").run();
        assertThat(again.created()).isEmpty();
        assertThat(again.dropped()).isEmpty();
        assertThat(services.postgres().scalar("SELECT count(*) FROM readings")).isEqualTo(2);
        // the pool's connections keep no short lock timeout for the ingest and picking statements after a run
        assertThat(strings("SHOW lock_timeout")).containsExactly("0");
    }

    @Test
    void aRunWaitsForNoOtherServerInstance() throws Exception {
        try (Connection other = dataSource.getConnection(); Statement s = other.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + 0x7265_6164_696e_6773L + ")");
            try {
                ReadingsRetention.Run run = retention("2032-01-01T00:00:00Z").run();
                assertThat(run.skipped()).isTrue();
                assertThat(run.created()).isEmpty();
            } finally {
                s.execute("SELECT pg_advisory_unlock(" + 0x7265_6164_696e_6773L + ")");
            }
        }
    }

    private ReadingsRetention retention(String now) {
        return new ReadingsRetention(dataSource, Duration.ofDays(7), Clock.fixed(Instant.parse(now), ZoneOffset.UTC));
    }

    private static LocalDate[] days(String first, String last) {
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = LocalDate.parse(first); !d.isAfter(LocalDate.parse(last)); d = d.plusDays(1)) {
            days.add(d);
        }
        return days.toArray(new LocalDate[0]);
    }

    private static String[] names(LocalDate[] days) {
        String[] names = new String[days.length];
        for (int i = 0; i < days.length; i++) {
            names[i] = ReadingsRetention.partition(days[i]);
        }
        return names;
    }

    private List<String> partitions() throws Exception {
        return strings("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'readings'::regclass AND c.relname <> 'readings_default' ORDER BY 1""");
    }

    /** "value:partition" of every reading, by value. */
    private List<String> whereIs() throws Exception {
        return strings("SELECT value_long[1] || ':' || tableoid::regclass FROM readings ORDER BY value_long[1]");
    }

    private List<String> strings(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
