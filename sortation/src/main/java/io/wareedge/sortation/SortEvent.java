package io.wareedge.sortation;

import java.util.List;

/** What an edge agent reports upstream about a sorter's items, through its durable outbox. */
public sealed interface SortEvent {
    String sorter();

    long seq();

    int pass();

    /** An item was inducted and a divert command sent for it. */
    record Decided(String sorter, Decision decision, List<String> codes, long inductedAtMillis, long decidedAtMillis)
            implements SortEvent {
        public Decided {
            codes = List.copyOf(codes);
        }

        @Override
        public long seq() {
            return decision.seq();
        }

        @Override
        public int pass() {
            return decision.pass();
        }
    }

    /** The sorter reported what happened at the divert. */
    record Completed(String sorter, long seq, int pass, int chute, Outcome outcome, String destination,
                     boolean correct, long atMillis) implements SortEvent {
    }
}
