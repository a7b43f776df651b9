package io.wareedge.server.persistence;

import io.wareedge.server.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Rows encoded for COPY's binary format, read back by PostgreSQL itself: every kind of value, quality and flag. */
class SampleRowsTest {
    private static final long T = Instant.parse("2031-03-10T09:00:00.123Z").toEpochMilli();

    @Test
    void everyKindOfValueAndQualityIsReadBackAsWritten() throws Exception {
        SampleRows.Row mixed = row(1, T, 5, false,
                new SampleRows.Entry(11, 21.5, 192),
                new SampleRows.Entry(12, 40L, 192),
                new SampleRows.Entry(13, true, 0),
                new SampleRows.Entry(14, "tëxt, \"quoted\"", 192),
                new SampleRows.Entry(15, new byte[]{1, 2, (byte) 0xFF}, 500),
                new SampleRows.Entry(16, -0.0, 64));
        SampleRows.Row goodNumbers = row(1, T + 1, -1, true,
                new SampleRows.Entry(11, 22.0, 192), new SampleRows.Entry(12, Long.MIN_VALUE, 192));
        SampleRows.Row text = row(2, T, 6, false, new SampleRows.Entry(21, "E2801160", 192),
                new SampleRows.Entry(22, false, 192));
        List<SampleRows.Row> rows = new ArrayList<>(List.of(mixed, goodNumbers, text));
        for (int i = 0; i < 2_000; i++) { // beyond the first guess of the buffer's size
            rows.add(row(3, T + i, i, false, new SampleRows.Entry(31, (double) i, 192)));
        }

        try (TestPostgres pg = TestPostgres.start()) {
            Flyway.configure().dataSource(pg.server().jdbcUrl(), pg.server().user(), pg.server().password())
                    .locations("classpath:db/migration").load().migrate();
            try (Connection c = DriverManager.getConnection(pg.server().jdbcUrl(), pg.server().user(),
                    pg.server().password())) {
                c.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn(SampleRows.COPY, new ByteArrayInputStream(SampleRows.copyBinary(rows)));
            }

            assertThat(pg.strings("""
                    SELECT device_id || ' ' || to_char(ts AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') || ' ' || reading_id
                           || ' ' || metric_ids::text || ' ' || coalesce(quality::text, 'good') || ' ' || historical
                    FROM readings WHERE device_id < 3 ORDER BY device_id, ts""")).containsExactly(
                    "1 09:00:00.123 5 {11,12,13,14,15,16} {192,192,0,192,500,64} false",
                    "1 09:00:00.124 -1 {11,12} good true",
                    "2 09:00:00.123 6 {21,22} good false");
            assertThat(pg.strings("""
                    SELECT metric_id || '=' || coalesce(value_double::text, value_long::text, value_bool::text, value_text,
                                                       encode(value_bytes, 'hex')) || ' q' || quality
                    FROM reading_values WHERE device_id < 3 ORDER BY device_id, ts, metric_id""")).containsExactly(
                    "11=21.5 q192", "12=40 q192", "13=true q0", "14=tëxt, \"quoted\" q192", "15=0102ff q500",
                    "16=-0 q64", "11=22 q192", "12=-9223372036854775808 q192", "21=E2801160 q192", "22=false q192");
            assertThat(pg.strings("SELECT count(*) || ' ' || sum(value_double) FROM reading_values WHERE device_id = 3"))
                    .containsExactly("2000 1999000");
        }
    }

    private static SampleRows.Row row(long device, long ts, long readingId, boolean historical,
                                      SampleRows.Entry... entries) {
        SampleRows.Row row = new SampleRows.Row(new SampleRows.Key(device, ts, readingId), historical);
        row.entries.addAll(List.of(entries));
        return row;
    }
}
