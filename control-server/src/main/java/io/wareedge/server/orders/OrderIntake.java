package io.wareedge.server.orders;

import io.wareedge.server.picking.PickPlanner;
import io.wareedge.server.picking.PickingCatalog;
import io.wareedge.server.picking.PickingViews.ImportResult;
import io.wareedge.server.picking.PickingViews.RowProblem;
import io.wareedge.server.sortation.SortPlans;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where orders come in (API or file): each valid order is stored whole, in one transaction, with its unit codes
 * (sortation: the sort plans of sorters serving its destination change) and its lines (picking: one pick task per
 * line). An order that fails a check is refused whole and reported by row and field; the others go in.
 */
@Singleton
public final class OrderIntake {
    private final DataSource dataSource;
    private final SortPlans sortPlans;
    private final PickPlanner planner;
    private final Clock clock;

    public OrderIntake(DataSource dataSource, SortPlans sortPlans, PickPlanner planner) {
        this(dataSource, sortPlans, planner, Clock.systemUTC());
    }

    OrderIntake(DataSource dataSource, SortPlans sortPlans, PickPlanner planner, Clock clock) {
        this.dataSource = dataSource;
        this.sortPlans = sortPlans;
        this.planner = planner;
        this.clock = clock;
    }

    public ImportResult add(OrderRows.Parsed parsed) throws SQLException {
        List<RowProblem> rejected = new ArrayList<>(parsed.problems());
        Set<SortPlans.SorterKey> touched = new LinkedHashSet<>();
        // sorters' plans change once per request, not once per order
        java.util.Map<String, Set<String>> sortedDestinations = new java.util.LinkedHashMap<>();
        int accepted = 0;
        Instant arrival = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO orders (id, site, destination, priority, due_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""")) {
                for (OrderRows.Numbered n : parsed.orders()) {
                    OrderIn o = n.order();
                    Savepoint before = c.setSavepoint();
                    insert.setString(1, o.id());
                    insert.setString(2, o.site());
                    insert.setString(3, o.destination());
                    insert.setInt(4, o.priority());
                    insert.setTimestamp(5, o.dueAt() == null ? null : Timestamp.from(o.dueAt()));
                    insert.setTimestamp(6, Timestamp.from(arrival));
                    if (insert.executeUpdate() == 0) {
                        rejected.add(new RowProblem(n.row(), o.id(), "id", "order " + o.id() + " exists already"));
                        c.rollback(before);
                        continue;
                    }
                    List<RowProblem> problems = planner.planLines(c, o, arrival, n.lineRows());
                    if (!problems.isEmpty()) {
                        rejected.addAll(problems);
                        c.rollback(before);
                        continue;
                    }
                    sortPlans.addUnits(c, o.id(), o.codes());
                    if (!o.codes().isEmpty()) {
                        sortedDestinations.computeIfAbsent(o.site(), k -> new java.util.HashSet<>()).add(o.destination());
                    }
                    c.releaseSavepoint(before);
                    accepted++;
                }
            }
            for (java.util.Map.Entry<String, Set<String>> e : sortedDestinations.entrySet()) {
                touched.addAll(sortPlans.bumpServing(c, e.getKey(), e.getValue()));
            }
            c.commit();
            if (accepted >= PickingCatalog.ANALYZE_AFTER_ROWS) {
                PickingCatalog.analyze(c);
            }
        }
        sortPlans.changed(touched);
        rejected.sort(java.util.Comparator.comparingInt(RowProblem::row));
        return new ImportResult(accepted, rejected);
    }
}
