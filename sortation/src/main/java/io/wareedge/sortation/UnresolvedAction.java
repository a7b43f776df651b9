package io.wareedge.sortation;

import java.util.Locale;

/** What happens to an item the plan cannot place (no-read, unknown code, conflicting multi-read). */
public enum UnresolvedAction {
    /** Divert to the reject chute. */
    REJECT,
    /** Do not divert; the item comes round to the scanner again (up to the layout's maximum). */
    RECIRCULATE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UnresolvedAction fromWire(String text) {
        for (UnresolvedAction a : values()) {
            if (a.wireName().equals(text)) {
                return a;
            }
        }
        throw new IllegalArgumentException("must be reject or recirculate, got '" + text + "'");
    }
}
