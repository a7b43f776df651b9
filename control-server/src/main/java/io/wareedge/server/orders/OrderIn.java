package io.wareedge.server.orders;

import java.time.Instant;
import java.util.List;

/**
 * An order as it arrives (API, JSON or CSV import). A picked order has lines; a sorted one has a destination and
 * the codes of its labelled units; many have both.
 *
 * @param priority higher is more urgent (default 0)
 * @param dueAt    when it must be picked; default: arrival + the cycle target
 */
public record OrderIn(String id, String site, String destination, List<String> codes, Integer priority,
                      Instant dueAt, List<LineIn> lines) {

    /** @param line the order's own line number; default: position in the order, from 1 */
    public record LineIn(Integer line, String sku, Integer quantity) {
    }
}
