package io.wareedge.server.orders;

import io.wareedge.server.picking.Csv;
import io.wareedge.server.picking.PickingViews.RowProblem;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an order file into orders and checks what can be checked without the database. An order goes in whole or
 * not at all: a bad row refuses its order (its other rows are reported too), never only part of it.
 *
 * <p>CSV columns (header row, any order, case-insensitive): {@code order, line, sku, quantity, priority, due,
 * destination, codes} — one row per order line; {@code priority, due, destination} are read from the order's first
 * row; {@code codes} are the order's unit labels separated by {@code |}.
 */
public final class OrderRows {
    public static final int MAX_QUANTITY = 100_000;
    public static final int MAX_LINES = 1_000;

    private OrderRows() {
    }

    /** Orders ready to be stored (with the row numbers their lines came from) and the problems found. */
    public record Parsed(List<Numbered> orders, List<RowProblem> problems) {
    }

    /** An order and, per line, the file row it came from (JSON: the order's index for every line). */
    public record Numbered(OrderIn order, int row, List<Integer> lineRows) {
    }

    public static Parsed fromCsv(String site, String text) {
        List<Csv.Row> rows = Csv.parse(text);
        Map<String, List<Csv.Row>> byOrder = new LinkedHashMap<>();
        List<RowProblem> problems = new ArrayList<>();
        for (Csv.Row r : rows) {
            String id = r.get("order");
            if (id == null) {
                problems.add(new RowProblem(r.number(), null, "order", "missing order id"));
                continue;
            }
            byOrder.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
        }
        List<Numbered> orders = new ArrayList<>();
        for (Map.Entry<String, List<Csv.Row>> e : byOrder.entrySet()) {
            List<RowProblem> own = new ArrayList<>();
            Csv.Row first = e.getValue().get(0);
            Integer priority = intField(first, "priority", own);
            Instant due = instantField(first, "due", own);
            String codes = first.get("codes");
            List<OrderIn.LineIn> lines = new ArrayList<>();
            List<Integer> lineRows = new ArrayList<>();
            for (Csv.Row r : e.getValue()) {
                if (r.fields().containsKey("#extra")) {
                    own.add(new RowProblem(r.number(), e.getKey(), "row", "more fields than the header has"));
                }
                lines.add(new OrderIn.LineIn(intField(r, "line", own), r.get("sku"), intField(r, "quantity", own)));
                lineRows.add(r.number());
            }
            OrderIn order = new OrderIn(e.getKey(), site, first.get("destination"),
                    codes == null ? List.of() : List.of(codes.split("\\|")), priority, due, lines);
            own.addAll(check(order, first.number(), lineRows));
            refuseOrAccept(order, first.number(), lineRows, own, orders, problems);
        }
        return new Parsed(orders, problems);
    }

    /** JSON orders (already deserialized); {@code row} is the index in the array. */
    public static Parsed fromJson(List<OrderIn> in) {
        List<Numbered> orders = new ArrayList<>();
        List<RowProblem> problems = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            OrderIn o = in.get(i);
            if (o == null) {
                problems.add(new RowProblem(i, null, "order", "null instead of an order"));
                continue;
            }
            int n = o.lines() == null ? 0 : o.lines().size();
            List<Integer> lineRows = new ArrayList<>(java.util.Collections.nCopies(n, i));
            refuseOrAccept(o, i, lineRows, check(o, i, lineRows), orders, problems);
        }
        return new Parsed(orders, problems);
    }

    private static void refuseOrAccept(OrderIn order, int row, List<Integer> lineRows, List<RowProblem> own,
                                       List<Numbered> orders, List<RowProblem> problems) {
        if (own.isEmpty()) {
            orders.add(new Numbered(normalized(order), row, lineRows));
            return;
        }
        Set<String> seen = new HashSet<>(); // "abc" as a quantity is one problem, not "not a number" and "out of range"
        own.stream().filter(p -> seen.add(p.row() + "\u0000" + p.field())).forEach(problems::add);
        Set<Integer> reported = new HashSet<>();
        own.forEach(p -> reported.add(p.row()));
        for (int r : new java.util.TreeSet<>(lineRows)) {
            if (!reported.contains(r)) {
                problems.add(new RowProblem(r, order.id(), "order", "not imported: another row of order "
                        + order.id() + " is bad (an order goes in whole)"));
            }
        }
    }

    /** Problems of one order that need no database: ids, quantities, line numbers, codes. */
    static List<RowProblem> check(OrderIn o, int row, List<Integer> lineRows) {
        List<RowProblem> out = new ArrayList<>();
        if (o.id() == null || o.id().isBlank() || o.id().length() > 64) {
            out.add(new RowProblem(row, o.id(), "id", "order id must be 1..64 characters"));
        }
        if (o.site() == null || o.site().isBlank()) {
            out.add(new RowProblem(row, o.id(), "site", "missing site"));
        }
        boolean hasLines = o.lines() != null && !o.lines().isEmpty();
        boolean hasCodes = o.codes() != null && !o.codes().isEmpty();
        if (!hasLines && !hasCodes) {
            out.add(new RowProblem(row, o.id(), "lines", "an order needs lines to pick or unit codes to sort"));
        }
        if (hasCodes && (o.destination() == null || o.destination().isBlank())) {
            out.add(new RowProblem(row, o.id(), "destination", "unit codes are sorted to a destination: it is missing"));
        }
        if (hasCodes) {
            for (String code : o.codes()) {
                if (!io.wareedge.sortation.Codes.isWellFormed(code)) {
                    out.add(new RowProblem(row, o.id(), "codes", "malformed unit code '" + code + "'"));
                }
            }
        }
        if (o.priority() != null && (o.priority() < -1000 || o.priority() > 1000)) {
            out.add(new RowProblem(row, o.id(), "priority", "must be -1000..1000, got " + o.priority()));
        }
        if (hasLines) {
            if (o.lines().size() > MAX_LINES) {
                out.add(new RowProblem(row, o.id(), "lines", "at most " + MAX_LINES + " lines per order"));
            }
            Set<Integer> numbers = new HashSet<>();
            for (int i = 0; i < o.lines().size(); i++) {
                OrderIn.LineIn l = o.lines().get(i);
                int r = i < lineRows.size() ? lineRows.get(i) : row;
                if (l == null) {
                    out.add(new RowProblem(r, o.id(), "lines", "line " + (i + 1) + " is null"));
                    continue;
                }
                if (l.sku() == null || l.sku().isBlank()) {
                    out.add(new RowProblem(r, o.id(), "sku", "missing SKU"));
                }
                if (l.quantity() == null || l.quantity() < 1 || l.quantity() > MAX_QUANTITY) {
                    out.add(new RowProblem(r, o.id(), "quantity", "must be 1.." + MAX_QUANTITY + ", got " + l.quantity()));
                }
                int number = l.line() == null ? i + 1 : l.line();
                if (number < 1 || !numbers.add(number)) {
                    out.add(new RowProblem(r, o.id(), "line", "line number " + number + " is below 1 or used twice"));
                }
            }
        }
        return out;
    }

    private static OrderIn normalized(OrderIn o) {
        List<OrderIn.LineIn> lines = new ArrayList<>();
        if (o.lines() != null) {
            for (int i = 0; i < o.lines().size(); i++) {
                OrderIn.LineIn l = o.lines().get(i);
                lines.add(new OrderIn.LineIn(l.line() == null ? i + 1 : l.line(), l.sku().strip(), l.quantity()));
            }
        }
        return new OrderIn(o.id().strip(), o.site().strip(), o.destination() == null ? null : o.destination().strip(),
                o.codes() == null ? List.of() : o.codes().stream().map(String::strip).distinct().toList(),
                o.priority() == null ? 0 : o.priority(), o.dueAt(), lines);
    }

    private static Integer intField(Csv.Row r, String name, List<RowProblem> problems) {
        String v = r.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            problems.add(new RowProblem(r.number(), r.get("order"), name, "not a whole number: '" + v + "'"));
            return null;
        }
    }

    private static Instant instantField(Csv.Row r, String name, List<RowProblem> problems) {
        String v = r.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            problems.add(new RowProblem(r.number(), r.get("order"), name,
                    "not an ISO-8601 instant like 2026-11-24T08:00:00Z: '" + v + "'"));
            return null;
        }
    }
}
