package io.wareedge.server.deadletter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts dead letters by kind and logs them without flooding: the first of each kind in full, then at most one
 * summary line per minute with the counts since the last line. A burst of a million bad messages costs a handful of
 * log lines.
 */
public final class DeadLetterLog {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLog.class);
    private static final long SUMMARY_INTERVAL_MILLIS = 60_000;

    private final Map<String, LongAdder> totals = new ConcurrentHashMap<>();
    private final Map<String, Long> sinceLastSummary = new TreeMap<>();
    private long lastSummaryAt;

    /** Records a stored dead letter. {@code kind} is prefixed with "agent:" for ones forwarded by edge agents. */
    public synchronized void record(String kind, DeadLetter letter, long now) {
        LongAdder total = totals.computeIfAbsent(kind, k -> new LongAdder());
        boolean first = total.sum() == 0;
        total.increment();
        if (first) {
            LOG.warn("dead letter of a new kind {} from {} on topic {}: {} (further ones are counted and summarised once a minute)",
                    kind, letter.source(), letter.topic(), letter.detail());
            if (lastSummaryAt == 0) {
                lastSummaryAt = now;
            }
            return;
        }
        sinceLastSummary.merge(kind, 1L, Long::sum);
        if (now - lastSummaryAt >= SUMMARY_INTERVAL_MILLIS) {
            LOG.warn("dead letters since the last summary: {}", sinceLastSummary);
            sinceLastSummary.clear();
            lastSummaryAt = now;
        }
    }

    /** Dead letters stored since start, by kind. */
    public Map<String, Long> totalsByKind() {
        Map<String, Long> copy = new TreeMap<>();
        totals.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    public long total() {
        return totals.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
