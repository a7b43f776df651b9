package io.wareedge.sortation;

import java.util.Locale;

/** What a sorter reports about a chute (retained, one message per chute). */
public enum ChuteState {
    AVAILABLE, FULL, DISABLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChuteState fromWire(String text) {
        for (ChuteState s : values()) {
            if (s.wireName().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("chute state must be available, full or disabled, got '" + text + "'");
    }
}
