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
    public final LongAdder commandsSent = new LongAdder();
    /** Local interlocks that fired (each also an event upstream). */
    public final LongAdder interlocksFired = new LongAdder();
    /** Commands to devices that could not be handed to their broker. */
    public final LongAdder commandsFailed = new LongAdder();
    public final LongAdder uplinkConnects = new LongAdder();
    public final LongAdder eventsSent = new LongAdder();
    /** Inductions answered with a divert command (duplicates included). */
    public final LongAdder inductions = new LongAdder();
    /** Redelivered inductions answered again with the decision already made. */
    public final LongAdder duplicateInductions = new LongAdder();
    public final LongAdder divertResults = new LongAdder();
    public final LongAdder duplicateResults = new LongAdder();
    /** Sort events the outbox refused (full, reject-new): the sorter was still answered. */
    public final LongAdder sortEventsLost = new LongAdder();
    public final LongAdder sortPlansApplied = new LongAdder();
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
