package io.wareedge.sortation;

import java.util.Locale;

/** What the sorter reports happened to an item at the divert. */
public enum Outcome {
    /** Into the commanded chute. */
    DIVERTED,
    /** Not recirculated on purpose: the sorter could not divert in time (late command, mechanical miss). */
    MISSED,
    /** The commanded chute was full when the item reached it; the item went round again. */
    CHUTE_FULL,
    /** The item went round again as commanded (chute 0). */
    RECIRCULATED,
    /** The item jammed; it is off the sorter. */
    JAM;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Outcome fromWire(String text) {
        for (Outcome o : values()) {
            if (o.wireName().equals(text)) {
                return o;
            }
        }
        throw new IllegalArgumentException("outcome must be diverted, missed, chute-full, recirculated or jam, got '"
                + text + "'");
    }
}
