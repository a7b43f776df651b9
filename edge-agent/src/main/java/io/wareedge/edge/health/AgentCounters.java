package io.wareedge.edge.health;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The agent's own counters; written from any thread, read for NDATA and logs. */
public final class AgentCounters {
    public final LongAdder messages = new LongAdder();
    public final LongAdder samples = new LongAdder();
    public final LongAdder readings = new LongAdder();
    public final LongAdder skippedRecords = new LongAdder();
    public final LongAdder redeliveredDuplicates = new LongAdder();
    public final LongAdder outboxRejected = new LongAdder();
    public final LongAdder published = new LongAdder();
    public final LongAdder uplinkConnects = new LongAdder();
    private final Map<String, LongAdder> deadLettersByKind = new ConcurrentHashMap<>();

    public void deadLetter(String kind) {
        deadLettersByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public long deadLetters() {
        return deadLettersByKind.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> deadLettersByKind() {
        Map<String, Long> out = new TreeMap<>();
        deadLettersByKind.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
