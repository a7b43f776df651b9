package io.wareedge.server.persistence;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Conversions between Java values and the typed value columns (double, long, bool, text, bytes). */
final class SqlValues {
    private SqlValues() {
    }

    static OffsetDateTime time(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    /** Sets the five value columns starting at {@code index}: exactly one non-null for a non-null value. */
    static void setValue(PreparedStatement ps, int index, Object value) throws SQLException {
        ps.setObject(index, value instanceof Double d ? d : null, Types.DOUBLE);
        ps.setObject(index + 1, value instanceof Long l ? l : null, Types.BIGINT);
        ps.setObject(index + 2, value instanceof Boolean b ? b : null, Types.BOOLEAN);
        ps.setString(index + 3, value instanceof String s ? s : null);
        ps.setBytes(index + 4, value instanceof byte[] b ? b : null);
    }
}
