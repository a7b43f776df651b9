package io.wareedge.sortation;

/**
 * The last {@code capacity} decisions of one sorter, in flat arrays allocated once.
 *
 * <p>Why not a {@code LinkedHashMap}: at a few thousand inductions a second the memory holds each decision for
 * a minute or more, so every entry (map node, boxed key, decision, the code's string) outlived the young
 * generation and died in the old one; the agent's old generation filled in under a minute and its full
 * collections were the sortation round trip's worst outliers. Here a decision costs no allocation that outlives
 * the call, and the arrays never grow.
 *
 * <p>What is kept is what a repeated induction and a divert result need: chute, reason, destination, plan
 * version and whether a result was seen. The code an item was read with is not kept: a repeated induction gets
 * the same divert, and its decision event was already sent with the first.
 *
 * <p>Lookup is an open-addressed table of ring positions with linear probing; the oldest decision's slot is
 * removed by shifting its probe chain back, so no tombstones accumulate. Not thread-safe: owned by the thread
 * that reads the sorter's messages.
 */
final class DecisionMemory {
    private static final Reason[] REASONS = Reason.values();

    private final int capacity;
    private final long[] keys;
    private final int[] chutes;
    private final byte[] reasons;
    private final boolean[] resultSeen;
    private final String[] destinations;
    private final long[] planVersions;
    /** Ring position + 1 by hash slot; 0 is an empty slot. */
    private final int[] slots;
    private final int mask;
    private final int shift;
    private int next;
    private int size;

    DecisionMemory(int capacity) {
        if (capacity < 1 || capacity > 1 << 28) {
            throw new IllegalArgumentException("capacity must be 1.." + (1 << 28) + ", got " + capacity);
        }
        this.capacity = capacity;
        keys = new long[capacity];
        chutes = new int[capacity];
        reasons = new byte[capacity];
        resultSeen = new boolean[capacity];
        destinations = new String[capacity];
        planVersions = new long[capacity];
        // At most half full: linear probing stays short.
        int tableSize = Integer.highestOneBit(capacity) << 2;
        slots = new int[tableSize];
        mask = tableSize - 1;
        shift = 64 - Integer.numberOfTrailingZeros(tableSize);
    }

    /** The ring position of a remembered key, or -1. */
    int find(long key) {
        for (int s = slot(key); ; s = (s + 1) & mask) {
            int entry = slots[s];
            if (entry == 0) {
                return -1;
            }
            if (keys[entry - 1] == key) {
                return entry - 1;
            }
        }
    }

    /** Remembers a decision for a key not remembered yet, forgetting the oldest when full. */
    void add(long key, Decision d) {
        int position = next;
        if (size == capacity) {
            removeSlotOf(keys[position]);
        } else {
            size++;
        }
        keys[position] = key;
        chutes[position] = d.chute();
        reasons[position] = (byte) d.reason().ordinal();
        resultSeen[position] = false;
        destinations[position] = d.destination();
        planVersions[position] = d.planVersion();
        int s = slot(key);
        while (slots[s] != 0) {
            s = (s + 1) & mask;
        }
        slots[s] = position + 1;
        next = position + 1 == capacity ? 0 : position + 1;
    }

    Decision decision(int position, long seq, int pass) {
        return new Decision(seq, pass, chutes[position], REASONS[reasons[position]], null, destinations[position],
                planVersions[position]);
    }

    /** Marks a result as seen; false when one had been seen already. */
    boolean markResultSeen(int position) {
        if (resultSeen[position]) {
            return false;
        }
        resultSeen[position] = true;
        return true;
    }

    int size() {
        return size;
    }

    private int slot(long key) {
        // Fibonacci hashing: keys are dense sequence numbers shifted left by 8, which plain masking would crowd.
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private void removeSlotOf(long key) {
        int hole = slot(key);
        while (keys[slots[hole] - 1] != key) {
            hole = (hole + 1) & mask;
        }
        // Backward-shift deletion: move later members of the probe chain into the hole when their home slot
        // does not lie cyclically between the hole and where they sit.
        for (int s = (hole + 1) & mask; slots[s] != 0; s = (s + 1) & mask) {
            int home = slot(keys[slots[s] - 1]);
            boolean homeBetween = hole <= s ? hole < home && home <= s : hole < home || home <= s;
            if (!homeBetween) {
                slots[hole] = slots[s];
                hole = s;
            }
        }
        slots[hole] = 0;
    }
}
