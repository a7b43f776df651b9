package io.wareedge.server.persistence;

import io.wareedge.server.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V11 on a database that holds V10's readings (one row per reading, a day partition beside the default one): every
 * reading is kept, a sample's readings in one row, and the day partitions' names are free for ReadingsRetention.
 */
class ReadingsMigrationTest {

    @Test
    void readingsOfV10BecomeOneRowPerSampleWithEveryValueKept() throws Exception {
        try (TestPostgres pg = TestPostgres.start()) {
            migrate(pg, "10");
            pg.execute("""
                    CREATE TABLE readings_20310310 PARTITION OF readings
                        FOR VALUES FROM ('2031-03-10T00:00:00Z') TO ('2031-03-11T00:00:00Z');
                    INSERT INTO readings (metric_id, device_id, ts, reading_id, value_double, value_long, value_bool,
                                          value_text, quality, historical) VALUES
                      (11, 1, '2031-03-10T09:00:00Z', 5, 21.5, NULL, NULL, NULL, 192, false),
                      (12, 1, '2031-03-10T09:00:00Z', 5, NULL, 40, NULL, NULL, 192, false),
                      (13, 1, '2031-03-10T09:00:00Z', 5, NULL, NULL, true, NULL, 0, false),
                      (11, 1, '2031-03-10T09:00:01Z', -1, 22.0, NULL, NULL, NULL, 192, true),
                      (21, 2, '2031-04-01T00:00:00Z', 6, NULL, NULL, NULL, 'E2801160', 192, false)""");

            migrate(pg, "latest");

            assertThat(pg.strings("""
                    SELECT device_id || ' ' || reading_id || ' ' || metric_ids::text || ' ' || coalesce(quality::text, 'good')
                           || ' ' || historical FROM readings ORDER BY ts""")).containsExactly(
                    "1 5 {11,12,13} {192,192,0} false", "1 -1 {11} good true", "2 6 {21} good false");
            assertThat(pg.strings("""
                    SELECT metric_id || '=' || coalesce(value_double::text, value_long::text, value_bool::text, value_text)
                           || ' q' || quality FROM reading_values ORDER BY ts, metric_id""")).containsExactly(
                    "11=21.5 q192", "12=40 q192", "13=true q0", "11=22 q192", "21=E2801160 q192");
            // Everything waits in the default partition for the retention to move it into its day's partition.
            assertThat(pg.strings("""
                    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'readings'::regclass""")).containsExactly("readings_default");
            assertThat(pg.scalar("SELECT count(*) FROM pg_class WHERE relname LIKE '%before_v11%'")).isZero();
        }
    }

    private static void migrate(TestPostgres pg, String target) {
        Flyway.configure().dataSource(pg.server().jdbcUrl(), pg.server().user(), pg.server().password())
                .locations("classpath:db/migration").target(target).load().migrate();
    }
}
