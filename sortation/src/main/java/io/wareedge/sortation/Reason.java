package io.wareedge.sortation;

import java.util.Locale;

/** Why an item was sent where it was sent. Every decision carries one. */
public enum Reason {
    /** The code's destination, first chute serving it. */
    PLAN,
    /** The code's destination, a later chute because the earlier ones are full or disabled. */
    ALTERNATE_CHUTE,
    /** Every chute of the destination is full or disabled: recirculate. */
    CHUTES_UNAVAILABLE,
    /** No code was read. */
    NO_READ,
    /** Several codes that do not agree on one destination. */
    MULTI_READ,
    /** A well-formed code the plan does not know. */
    UNKNOWN_CODE,
    /** A code that cannot be a label (empty, too long, control characters). */
    MALFORMED_CODE,
    /** The code's destination has no chute on this sorter. */
    DESTINATION_NOT_ON_SORTER,
    /** The item has already gone round the maximum number of times. */
    MAX_RECIRCULATIONS,
    /** The agent has no plan for this sorter yet. */
    NO_PLAN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Reason fromWire(String text) {
        for (Reason r : values()) {
            if (r.wireName().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reason '" + text + "'");
    }
}
