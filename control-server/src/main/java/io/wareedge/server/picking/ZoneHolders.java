package io.wareedge.server.picking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * How many pickers hold tasks in each zone of a site: the workload-balance tie-break of the claim.
 *
 * <p>Counting holders exactly on every claim cost more than the rest of the claim together (the held rows churn
 * and the count visits each of them), and the answer only breaks ties between equally urgent zones. So the counts
 * are read for the whole site at most once per {@code maxAge} and the claims made here in between are added to
 * them; a claim by another server shows up at the next read. Thread-safe: any request thread may read; one of
 * them refreshes a stale snapshot while the others use the previous one rather than wait.
 */
final class ZoneHolders {
    private static final String COUNT = """
            SELECT zone, count(DISTINCT picker) FROM pick_tasks WHERE site = ? AND state = 'held' GROUP BY zone""";

    private record Snapshot(long readAtNanos, Map<String, Long> counts) {
    }

    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Snapshot> bySite = new ConcurrentHashMap<>();
    private final ReentrantLock refreshing = new ReentrantLock();

    ZoneHolders(Duration maxAge, LongSupplier nanoClock) {
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The holder count of each zone of the site (absent: none), read on {@code c} when the snapshot is stale. */
    Map<String, Long> counts(Connection c, String site) throws SQLException {
        Snapshot s = bySite.get(site);
        long now = nanoClock.getAsLong();
        if (s == null || now - s.readAtNanos() >= maxAgeNanos) {
            if (s == null) {
                refreshing.lock(); // nothing to fall back on yet: wait for the first read
            } else if (!refreshing.tryLock()) {
                return s.counts();
            }
            try {
                Snapshot again = bySite.get(site);
                if (again == null || now - again.readAtNanos() >= maxAgeNanos) {
                    bySite.put(site, new Snapshot(now, read(c, site)));
                }
            } finally {
                refreshing.unlock();
            }
            s = bySite.get(site);
        }
        return s.counts();
    }

    /** A picker here just took a batch in the zone. */
    void claimed(String site, String zone) {
        Snapshot s = bySite.get(site);
        if (s != null) {
            s.counts().merge(zone, 1L, Long::sum);
        }
    }

    private static Map<String, Long> read(Connection c, String site) throws SQLException {
        Map<String, Long> out = new ConcurrentHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(COUNT)) {
            ps.setString(1, site);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }
}
