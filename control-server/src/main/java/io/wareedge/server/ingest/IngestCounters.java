package io.wareedge.server.ingest;

import jakarta.inject.Singleton;

import java.util.concurrent.atomic.LongAdder;

/** Running totals of the ingest pipeline since start; written by the ingest threads, read by anyone. */
@Singleton
public final class IngestCounters {
    final LongAdder messages = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder readingsStored = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder seqGaps = new LongAdder();
    final LongAdder rebirthsRequested = new LongAdder();
    final LongAdder staleDeaths = new LongAdder();
    final LongAdder redeliveries = new LongAdder();
    final LongAdder storeFailures = new LongAdder();
    final LongAdder sortEventsStored = new LongAdder();
    final LongAdder sortEventDuplicates = new LongAdder();

    public long sortEventsStored() {
        return sortEventsStored.sum();
    }

    public long sortEventDuplicates() {
        return sortEventDuplicates.sum();
    }

    public long messages() {
        return messages.sum();
    }

    public long batches() {
        return batches.sum();
    }

    public long readingsStored() {
        return readingsStored.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long seqGaps() {
        return seqGaps.sum();
    }

    public long rebirthsRequested() {
        return rebirthsRequested.sum();
    }

    public long staleDeaths() {
        return staleDeaths.sum();
    }

    public long redeliveries() {
        return redeliveries.sum();
    }

    public long storeFailures() {
        return storeFailures.sum();
    }
}
