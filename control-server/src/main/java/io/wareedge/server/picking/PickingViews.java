package io.wareedge.server.picking;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the picking API reads and answers. Plain records: the API layer adds their serialization. */
public final class PickingViews {
    private PickingViews() {
    }

    // ---- catalogue input (one JSON object or CSV row each) ----

    public record ZoneIn(String zone, String conveyor, List<String> faultMetrics) {
    }

    public record SkuIn(String sku, String description, List<String> barcodes, List<String> epcs) {
    }

    public record LocationIn(String location, String zone, String aisle, String bay, String level, Integer pickSeq,
                             String sku) {
    }

    public record PickerIn(String badge, String name, String pin, List<String> roles, List<String> zones) {
    }

    /**
     * A refused row. {@code row} is the spreadsheet row of a CSV file (header = 1) or the 0-based index in a JSON
     * array; {@code field} names the column or property at fault.
     */
    public record RowProblem(int row, String id, String field, String message) {
    }

    public record ImportResult(int accepted, List<RowProblem> rejected) {
    }

    // ---- handheld ----

    public record Login(String badge, String pin) {
    }

    public record LoginResult(String token, String badge, String name, List<String> zones) {
    }

    /**
     * An action taken on a handheld, under an id the handheld chose (a UUID) so that resending it never records
     * it twice.
     *
     * @param kind     confirm, short, skip or damage
     * @param location the location label scanned (confirm, short)
     * @param item     the barcode or EPC scanned (confirm)
     * @param quantity units confirmed (confirm, default 1) or found (short, default 0)
     * @param reason   why (short: not-found, damaged, wrong-item...; damage: a note)
     */
    public record Action(String id, String kind, Long task, String location, String item, Integer quantity,
                         String reason) {
    }

    /**
     * The outcome of an action: the task after it, and what the picker does next.
     *
     * @param next the picker's walk after the action when it was asked for; null when not asked or nothing is open
     */
    public record ActionResult(String id, String kind, long task, String taskState, int picked, int remaining,
                               boolean replayed, String message, Assignment next) {
        public ActionResult withNext(Assignment walk) {
            return new ActionResult(id, kind, task, taskState, picked, remaining, replayed, message, walk);
        }
    }

    /** A held task as the handheld shows it; {@code codes} are the barcodes and EPCs that identify its SKU. */
    public record TaskView(long id, long batch, String order, int line, String sku, String description, int quantity,
                           int picked, int remaining, String location, String zone, String aisle, String bay,
                           String level, int pickSeq, String tote, int priority, Instant dueAt, Instant expiresAt,
                           List<String> codes) {
        /** This task with {@code picked} units picked in all and the given deadline. */
        public TaskView progressed(int picked, Instant expiresAt) {
            return new TaskView(id, batch, order, line, sku, description, quantity, picked, quantity - picked,
                    location, zone, aisle, bay, level, pickSeq, tote, priority, dueAt, expiresAt, codes);
        }
    }

    /** The picker's current task first, then the rest of the batch in walking order. */
    public record Assignment(String badge, long batch, List<TaskView> tasks) {
    }

    // ---- supervisors ----

    public record ZoneView(String site, String zone, String conveyor, List<String> faultMetrics, boolean faulted,
                           String faultReason, Instant changedAt, Map<String, Long> tasks) {
    }

    public record LineView(int line, String sku, int quantity, int picked, int shorted, List<TaskBrief> tasks) {
    }

    public record TaskBrief(long id, String state, String location, String zone, int quantity, int picked,
                            String picker, String tote, String shortReason, Instant doneAt) {
    }

    public record PickerStat(String badge, String name, long picks, long units, long shortPicks, double picksPerHour) {
    }

    public record ZoneStat(String zone, long picks, long units, long shortPicks, double picksPerHour) {
    }

    /**
     * @param ordersPicked         orders fully picked (every line picked or shorted) in the range
     * @param pickedWithinTarget   of those, picked within {@code targetMinutes} of arrival
     * @param shareWithinTarget    pickedWithinTarget / ordersPicked (null when none)
     */
    public record PickingStats(String site, Instant from, Instant to, long targetMinutes, long ordersArrived,
                               long ordersPicked, long pickedWithinTarget, Double shareWithinTarget,
                               Double cycleP50Seconds, Double cycleP90Seconds, long picks, long units,
                               long shortPicks, List<PickerStat> pickers, List<ZoneStat> zones,
                               Map<String, Long> tasks) {
    }
}
