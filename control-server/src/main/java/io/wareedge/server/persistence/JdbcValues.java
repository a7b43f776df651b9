package io.wareedge.server.persistence;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Column values as the domain reads them: timestamps as instants, text arrays as lists, number arrays as longs. */
public final class JdbcValues {
    private JdbcValues() {
    }

    public static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    public static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }

    /** An array of integers of any width (null: empty). */
    public static long[] longs(Array a) throws SQLException {
        return a == null ? new long[0]
                : Arrays.stream((Object[]) a.getArray()).mapToLong(v -> ((Number) v).longValue()).toArray();
    }
}
