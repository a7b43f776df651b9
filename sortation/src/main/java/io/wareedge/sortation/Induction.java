package io.wareedge.sortation;

import java.util.List;

/**
 * An item passing the sorter's scanner.
 *
 * @param seq   the sorter's number for the item, kept while it recirculates
 * @param pass  0 on the first pass, +1 on each recirculation
 * @param codes what the scanner read: none is a no-read, several a multi-read
 */
public record Induction(long seq, int pass, List<String> codes, long inductedAtMillis) {
    public Induction {
        if (seq < 0 || seq > Decisions.MAX_SEQ) {
            throw new IllegalArgumentException("seq must be 0.." + Decisions.MAX_SEQ + ", got " + seq);
        }
        if (pass < 0 || pass > 255) {
            throw new IllegalArgumentException("pass must be 0..255, got " + pass);
        }
        codes = List.copyOf(codes);
    }
}
