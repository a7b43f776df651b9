package io.wareedge.server.orders;

import io.wareedge.server.picking.PickingViews.LineView;
import io.wareedge.server.sortation.SortViews.UnitView;

import java.time.Instant;
import java.util.List;

/**
 * An order end to end.
 *
 * @param state       open (nothing picked yet), picking, picked (every line picked or short-picked), sorted (every
 *                    unit reached a chute of its destination), shipped
 * @param pickSeconds arrival → picked; null until picked
 * @param sortSeconds arrival → sorted; null until sorted
 */
public record OrderView(String id, String site, String destination, int priority, Instant dueAt, String state,
                        Instant arrivedAt, Instant pickedAt, Instant sortedAt, Instant shippedAt, Double pickSeconds,
                        Double sortSeconds, List<LineView> lines, List<UnitView> units) {
}
