package io.wareedge.sparkplug;

/**
 * Sparkplug's 8-bit sequence arithmetic: {@code seq} runs 0..255 and wraps; {@code bdSeq} likewise.
 * The edge node's publisher owns its counter on one thread; this class holds only the rules.
 */
public final class SequenceNumbers {
    public static final int MODULO = 256;

    private SequenceNumbers() {
    }

    public static long next(long seq) {
        return (seq + 1) % MODULO;
    }

    /** True when {@code received} is what should follow {@code previous}. */
    public static boolean follows(long previous, long received) {
        return received == next(previous);
    }
}
