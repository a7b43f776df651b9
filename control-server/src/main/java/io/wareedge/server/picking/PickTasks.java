package io.wareedge.server.picking;

import static io.wareedge.server.persistence.JdbcValues.instant;
import static io.wareedge.server.persistence.JdbcValues.longs;
import static io.wareedge.server.persistence.JdbcValues.strings;

import io.wareedge.server.config.PickingSettings;
import io.wareedge.server.picking.PickingException.Kind;
import io.wareedge.server.picking.PickingViews.Action;
import io.wareedge.server.picking.PickingViews.ActionResult;
import io.wareedge.server.picking.PickingViews.Assignment;
import io.wareedge.server.picking.PickingViews.TaskView;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Hands pickers their tasks and records what they did.
 *
 * <p>Assignment: a picker holding tasks gets the first of them (a batch is one walk, in pick-path order). A picker
 * holding none claims a new batch in their zones: the most urgent open task first — highest priority, then the
 * earliest due slot — and among equally urgent ones the picker's current zone, then the zone with the fewest
 * pickers, then the task nearest on the pick path to the picker's last scan. The batch takes the orders of the
 * open tasks that follow it on the path in that zone and urgency, at most {@code batch-orders} orders (one tote
 * each), and of them every open task in that zone and urgency, up to {@code batch-tasks}.
 *
 * <p>Concurrency: every statement runs on the caller's thread. Tasks are claimed with {@code FOR UPDATE SKIP
 * LOCKED} and taken with {@code UPDATE ... WHERE state = 'open'}, so two pickers — on one server or on several
 * sharing the database — never hold the same task; a picker's own claims are serialized by locking the picker's
 * row. A confirmation or short-pick holds no lock: it checks the task as last shown to the picker or as read, and
 * writes only if the task is still so, in one statement (see {@link #act}). Time is the database's ({@code now()}),
 * the same for every server.
 */
@Singleton
public final class PickTasks {
    private static final Logger LOG = LoggerFactory.getLogger(PickTasks.class);
    private static final Set<String> KINDS = Set.of("confirm", "short", "skip", "damage");
    private static final String RELEASE = "state = 'open', picker = NULL, batch = NULL, tote = NULL, position = NULL, "
            + "held_at = NULL, expires_at = NULL";
    private static final int MAX_PICK_ATTEMPTS = 3;
    /**
     * "The task is held", in statements that find a task by its id. Written so that the planner cannot prove the
     * predicate of the partial index on held tasks from it: that index's size is known only from the last vacuum,
     * often taken when no task was held, and then a scan of the whole index looks cheaper than the primary key.
     */
    private static final String IS_HELD = "(state = 'held') IS TRUE";
    /** A SELECT, not VALUES, so that {@link #finish} can guard it with a WHERE. */
    private static final String RECORD_ACTION = """
            INSERT INTO pick_actions (id, badge, task_id, kind, quantity, reason, result)
            SELECT ?, ?, ?::bigint, ?, ?::int, ?, ?""";

    private final DataSource dataSource;
    private final PickingSettings settings;
    private final ZoneHolders zoneHolders = new ZoneHolders(Duration.ofSeconds(1), System::nanoTime);
    private final LastWalks walks = new LastWalks();

    public PickTasks(DataSource dataSource, PickingSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    // ---- next task ----

    /** The picker's batch, current task first, claiming a new batch when they hold none; empty when nothing is open. */
    public Optional<Assignment> next(String badge) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return next(c, badge, null);
        }
    }

    /**
     * As {@link #next(String)}; {@code known}: the picker's walk as the database has it just now (empty: they hold
     * nothing, so claim at once), or null to read it.
     */
    private Optional<Assignment> next(Connection c, String badge, List<TaskView> known) throws SQLException {
        // most requests find a held batch: one statement in its own transaction, no commit to wait for
        List<TaskView> held = known != null ? known : held(c, badge);
        if (held.isEmpty()) {
            c.setAutoCommit(false);
            try {
                Picker p = lockPicker(c, badge);
                if (claim(c, p) != 0) { // tasks taken, or another request of this picker had claimed meanwhile
                    held = held(c, badge);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        walks.remember(badge, held);
        return held.isEmpty() ? Optional.empty() : Optional.of(new Assignment(badge, held.get(0).batch(), held));
    }

    private record Picker(String badge, String site, List<String> zones, String lastZone, Integer lastSeq) {
    }

    private static Picker lockPicker(Connection c, String badge) throws SQLException {
        // a claim needs an open session: work is never handed to a picker who has logged out, also when the
        // request's session check saw the session a moment before it ended (on this or another server)
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT site, zones, last_zone, last_seq,
                       EXISTS (SELECT 1 FROM picker_sessions s WHERE s.badge = p.badge AND s.ended_at IS NULL)
                FROM pickers p WHERE badge = ? FOR UPDATE""")) {
            ps.setString(1, badge);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new PickingException(Kind.NOT_FOUND, "unknown badge " + badge);
                }
                if (!rs.getBoolean(5)) {
                    throw new PickingException(Kind.UNAUTHORIZED, "not logged in (the session ended): scan your badge");
                }
                int seq = rs.getInt(4);
                return new Picker(badge, rs.getString(1), strings(rs.getArray(2)), rs.getString(3),
                        rs.wasNull() ? null : seq);
            }
        }
    }

    /** The urgency of open work: higher priority first, then the earlier due slot. */
    private record Top(String zone, int priority, Timestamp slot) {
    }

    private static final Comparator<Top> URGENCY = Comparator.comparingInt((Top t) -> -t.priority())
            .thenComparing(Top::slot);

    /**
     * How many urgencies a claim goes down when every open task of the more urgent ones is locked by other claims
     * under way (they are about to hold them): rather than answer "nothing to pick" while less urgent work waits.
     */
    private static final int CLAIM_URGENCIES = 3;

    /**
     * Claims a batch for the picker; returns the number of tasks taken, or -1 when the picker holds tasks already:
     * the check before {@link #lockPicker} ran before the lock, and another request of the same picker may have
     * claimed in between. The first statement here runs after the lock, so its snapshot sees such a claim.
     */
    private int claim(Connection c, Picker p) throws SQLException {
        Top exhausted = null; // the last urgency tried: every open task of it was being claimed by others
        for (int round = 0; round < CLAIM_URGENCIES; round++) {
            List<Top> tops = tops(c, p, exhausted);
            if (tops == null) {
                return -1;
            }
            if (tops.isEmpty()) {
                return 0;
            }
            Top best = tops.stream().min(URGENCY).orElseThrow();
            List<String> candidates = tops.stream().filter(t -> URGENCY.compare(t, best) == 0).map(Top::zone).toList();
            // among equally urgent zones: the picker's current zone, then the fewest pickers holding tasks there
            List<String> zoneOrder = new ArrayList<>(candidates);
            Map<String, Long> holders = candidates.size() > 1 ? zoneHolders.counts(c, p.site()) : Map.of();
            zoneOrder.sort(Comparator.comparing((String z) -> !z.equals(p.lastZone()))
                    .thenComparingLong(z -> holders.getOrDefault(z, 0L)));
            for (String zone : zoneOrder) {
                int from = zone.equals(p.lastZone()) && p.lastSeq() != null ? p.lastSeq() : 0;
                List<Walked> batch = fill(c, p.site(), zone, best.priority(), best.slot(), from);
                if (!batch.isEmpty()) {
                    int n = take(c, p.badge(), batch);
                    if (n > 0) {
                        zoneHolders.claimed(p.site(), zone);
                    }
                    return n;
                }
            }
            exhausted = best;
        }
        return 0;
    }

    /**
     * The top urgency of open work in each of the picker's zones, less urgent than {@code below} when given (one
     * index probe per zone); null when the picker holds tasks.
     */
    private static List<Top> tops(Connection c, Picker p, Top below) throws SQLException {
        List<Top> tops = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT holder.holds, top.zone, top.priority, top.due_slot
                FROM (SELECT EXISTS (SELECT 1 FROM pick_tasks WHERE picker = ? AND state = 'held') AS holds) AS holder
                LEFT JOIN LATERAL (
                    SELECT z.zone, t.priority, t.due_slot FROM unnest(?::text[]) AS z(zone)
                    CROSS JOIN LATERAL (SELECT priority, due_slot FROM pick_tasks
                                        WHERE site = ? AND zone = z.zone AND state = 'open'
                                          AND (?::int IS NULL OR priority < ? OR (priority = ? AND due_slot > ?))
                                        ORDER BY priority DESC, due_slot LIMIT 1) AS t) AS top ON NOT holder.holds""")) {
            ps.setString(1, p.badge());
            ps.setArray(2, c.createArrayOf("text", p.zones().toArray()));
            ps.setString(3, p.site());
            Integer priority = below == null ? null : below.priority();
            ps.setObject(4, priority, java.sql.Types.INTEGER);
            ps.setObject(5, priority, java.sql.Types.INTEGER);
            ps.setObject(6, priority, java.sql.Types.INTEGER);
            ps.setTimestamp(7, below == null ? null : below.slot());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(1)) {
                        return null;
                    }
                    if (rs.getString(2) != null) {
                        tops.add(new Top(rs.getString(2), rs.getInt(3), rs.getTimestamp(4)));
                    }
                }
            }
        }
        return tops;
    }

    /** A task locked for a batch, with the tote of its order. */
    private record Walked(long id, String tote) {
    }

    /**
     * Locks a batch in one zone and urgency: the orders of the open tasks nearest at or after {@code from} on the
     * pick path (wrapping to the start of the zone), at most batch-orders of them, and of those orders every open
     * task there, so that an order's lines in the zone go into its tote in one walk; at most batch-tasks tasks, in
     * walking order, totes A, B, C... in the order the walk first reaches each order.
     */
    private List<Walked> fill(Connection c, String site, String zone, int priority, Timestamp slot, int from)
            throws SQLException {
        // 1. the orders: a few more tasks than a batch holds, from the walk's start on (locked, so a picker
        //    claiming at the same moment walks past them)
        int want = settings.batchTasks();
        List<String> orders = new ArrayList<>();
        String sql = """
                SELECT order_id FROM pick_tasks
                WHERE site = ? AND zone = ? AND state = 'open' AND priority = ? AND due_slot = ? AND pick_seq %s ?
                ORDER BY pick_seq, id LIMIT ? FOR UPDATE SKIP LOCKED""";
        for (String op : new String[]{">=", "<"}) {
            if (orders.size() >= settings.batchOrders()) {
                break;
            }
            try (PreparedStatement ps = c.prepareStatement(sql.formatted(op))) {
                setUrgency(ps, site, zone, priority, slot);
                ps.setInt(5, from);
                ps.setInt(6, want * 2);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && orders.size() < settings.batchOrders()) {
                        String order = rs.getString(1);
                        if (!orders.contains(order)) {
                            orders.add(order);
                        }
                    }
                }
            }
        }
        if (orders.isEmpty()) {
            return List.of();
        }
        // 2. their open tasks in the zone and urgency (this transaction's own locks do not make them skipped)
        record Line(long id, String order, int pickSeq) {
        }
        List<Line> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, order_id, pick_seq FROM pick_tasks
                WHERE site = ? AND zone = ? AND state = 'open' AND priority = ? AND due_slot = ? AND order_id = ANY(?)
                FOR UPDATE SKIP LOCKED""")) {
            setUrgency(ps, site, zone, priority, slot);
            ps.setArray(5, c.createArrayOf("text", orders.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(new Line(rs.getLong(1), rs.getString(2), rs.getInt(3)));
                }
            }
        }
        lines.sort(Comparator.comparing((Line l) -> l.pickSeq() < from).thenComparingInt(Line::pickSeq)
                .thenComparingLong(Line::id));
        Map<String, String> totes = new LinkedHashMap<>();
        List<Walked> out = new ArrayList<>();
        for (Line l : lines.subList(0, Math.min(want, lines.size()))) {
            String tote = totes.computeIfAbsent(l.order(), o -> String.valueOf((char) ('A' + totes.size())));
            out.add(new Walked(l.id(), tote));
        }
        return out;
    }

    private static void setUrgency(PreparedStatement ps, String site, String zone, int priority, Timestamp slot)
            throws SQLException {
        ps.setString(1, site);
        ps.setString(2, zone);
        ps.setInt(3, priority);
        ps.setTimestamp(4, slot);
    }

    private static int take(Connection c, String badge, List<Walked> batch) throws SQLException {
        // positions follow the walk; one batch number for all (an uncorrelated sub-select runs once)
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE pick_tasks t SET state = 'held', picker = ?, batch = (SELECT nextval('pick_batches')),
                       tote = u.tote, position = u.position, held_at = now()
                FROM unnest(?::bigint[], ?::text[]) WITH ORDINALITY AS u(id, tote, position)
                WHERE t.id = u.id AND t.state = 'open'""")) {
            ps.setString(1, badge);
            ps.setArray(2, c.createArrayOf("bigint", batch.stream().map(Walked::id).toArray()));
            ps.setArray(3, c.createArrayOf("text", batch.stream().map(Walked::tote).toArray()));
            return ps.executeUpdate();
        }
    }

    // ---- actions ----

    /**
     * Records a handheld action once: the same action id again (a resend after a Wi-Fi drop) gets the first
     * answer back and changes nothing. A wrong scan, a quantity above the open quantity, or a task the picker does
     * not hold is refused with a {@link PickingException} and nothing is recorded.
     *
     * @param withNext also answer the picker's walk after the action, as {@link #next} would (claiming a new batch
     *                 when the action finished the last task held), so a handheld needs one request per scan cycle
     */
    public ActionResult act(String badge, Action a, boolean withNext) throws SQLException {
        validate(a);
        try (Connection c = dataSource.getConnection()) {
            Recorded r;
            try {
                r = a.kind().equals("confirm") || a.kind().equals("short") ? recordPick(c, badge, a)
                        : new Recorded(recordInTransaction(c, badge, a), null);
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
                // the same action arrived twice at once: answer the first
                r = new Recorded(replay(c, badge, a).orElseThrow(() -> e), null);
            }
            if (withNext) {
                return r.result().withNext(next(c, badge, r.walk()).orElse(null));
            }
            if (r.walk() != null) {
                walks.remember(badge, r.walk());
            }
            return r.result();
        }
    }

    /**
     * Confirm and short-pick, the hot path: the task is checked as this server last showed it to the picker (see
     * {@link LastWalks}), or else as read without a lock, and written by one statement whose every part is guarded
     * by the task being unchanged since (held by this picker in the same batch, same units picked). A concurrent
     * change to the task makes the write change nothing, and the action is read and checked again. One statement
     * in its own transaction: no lock is held across a round trip and there is no separate commit.
     */
    private Recorded recordPick(Connection c, String badge, Action a) throws SQLException {
        List<TaskView> walk = walks.walk(badge);
        Task shown = walk == null ? null : shownTask(walk, badge, a);
        if (shown != null) {
            Pick pick = checkedPick(shown, a);
            Finished f = pick == null ? null : finish(c, shown, badge, pick, a);
            if (f != null) {
                return new Recorded(pick.result(), f.walkAfter(walk, shown.id(), pick));
            }
            // refused or not written: the task may have changed since it was shown; read it and check again
        }
        for (int attempt = 1; ; attempt++) {
            Task t = readTask(c, a, false);
            if (t.earlierResult() != null) {
                return new Recorded(earlier(badge, a, t.earlierBadge(), t.earlierResult()), null);
            }
            checkHeldBy(badge, t);
            Pick pick = a.kind().equals("confirm") ? confirmation(t, a) : shortPick(t, a);
            if (finish(c, t, badge, pick, a) != null) {
                return new Recorded(pick.result(), null);
            }
            if (attempt == MAX_PICK_ATTEMPTS) {
                throw new PickingException(Kind.CONFLICT, "task " + t.id() + " changed " + attempt
                        + " times while this action was recorded: nothing recorded, send it again");
            }
        }
    }

    /** An action's answer, and the picker's walk after it as the database had it (null: not known, read it). */
    private record Recorded(ActionResult result, List<TaskView> walk) {
    }

    /**
     * The action's task as this server last showed it to the picker, when it is in {@code walk} and, for a
     * confirmation, the scanned item is its SKU or one of its codes; else null (read it: an unknown code's message
     * names the SKU it belongs to).
     */
    private static Task shownTask(List<TaskView> walk, String badge, Action a) {
        for (TaskView v : walk) {
            if (v.id() != a.task()) {
                continue;
            }
            String scannedSku = null;
            if (a.kind().equals("confirm")) {
                if (a.item() == null || !(a.item().strip().equals(v.sku()) || v.codes().contains(normalizedCode(a.item())))) {
                    return null;
                }
                scannedSku = v.sku();
            }
            return new Task(v.id(), null, "held", badge, v.location(), v.zone(), v.pickSeq(), v.sku(), v.quantity(),
                    v.picked(), v.order(), v.line(), scannedSku, null, null, v.batch());
        }
        return null;
    }

    /** The pick, or null when the shown task refuses it: the refusal is given on the task as read afresh. */
    private static Pick checkedPick(Task shown, Action a) {
        try {
            return a.kind().equals("confirm") ? confirmation(shown, a) : shortPick(shown, a);
        } catch (PickingException e) {
            return null;
        }
    }

    /** Skip and damage: rare, so they keep the simple form of a locked read and a transaction. */
    private ActionResult recordInTransaction(Connection c, String badge, Action a) throws SQLException {
        c.setAutoCommit(false);
        try {
            Task t = readTask(c, a, true);
            ActionResult result;
            if (t.earlierResult() != null) {
                result = earlier(badge, a, t.earlierBadge(), t.earlierResult());
            } else {
                checkHeldBy(badge, t);
                result = a.kind().equals("skip") ? skip(c, badge, a, t) : damage(c, badge, a, t);
            }
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static void validate(Action a) {
        if (a == null || a.id() == null || a.id().isBlank() || a.id().length() > 64) {
            throw new PickingException(Kind.BAD_REQUEST, "an action needs an id of 1..64 characters (a UUID)");
        }
        if (a.kind() == null || !KINDS.contains(a.kind())) {
            throw new PickingException(Kind.BAD_REQUEST, "kind must be one of " + KINDS + ", got " + a.kind());
        }
        if (a.task() == null) {
            throw new PickingException(Kind.BAD_REQUEST, "which task? (task is missing)");
        }
        if (a.quantity() != null && (a.quantity() < 0 || a.quantity() > 100_000)) {
            throw new PickingException(Kind.BAD_REQUEST, "quantity must be 0..100000, got " + a.quantity());
        }
        if ((a.kind().equals("short") || a.kind().equals("damage"))
                && (a.reason() == null || a.reason().isBlank() || a.reason().length() > 200)) {
            throw new PickingException(Kind.BAD_REQUEST, a.kind() + " needs a reason (1..200 characters)");
        }
    }

    private static Optional<ActionResult> replay(Connection c, String badge, Action a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT badge, result FROM pick_actions WHERE id = ?")) {
            ps.setString(1, a.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(earlier(badge, a, rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /** The answer recorded for the action id, unless another badge used the id. */
    private static ActionResult earlier(String badge, Action a, String earlierBadge, String earlierResult) {
        if (!earlierBadge.equals(badge)) {
            throw new PickingException(Kind.CONFLICT, "action id " + a.id() + " was used by another badge");
        }
        return decode(earlierResult);
    }

    /**
     * A task row as read, with the SKU the scanned item code names (null: none, or no item scanned), and the badge
     * and answer of an earlier action with the same id (null: a new action).
     */
    private record Task(long id, String site, String state, String picker, String location, String zone,
                        int pickSeq, String sku, int quantity, int picked, String order, int line,
                        String scannedSku, String earlierBadge, String earlierResult, long batch) {
        int remaining() {
            return quantity - picked;
        }
    }

    /** Units to add to a task, its line and order, and the answer that records them; the task's state is the answer's. */
    private record Pick(int picked, int shorted, String reason, ActionResult result) {
    }

    private static void checkHeldBy(String badge, Task t) {
        if (!"held".equals(t.state()) || !badge.equals(t.picker())) {
            throw new PickingException(Kind.CONFLICT, switch (t.state()) {
                case "done" -> "task " + t.id() + " is confirmed already";
                case "short" -> "task " + t.id() + " was short-picked already";
                case "held" -> "task " + t.id() + " is held by another picker";
                default -> "task " + t.id() + " is not yours any more (it went back to the pool)";
            });
        }
    }

    private static Pick confirmation(Task t, Action a) {
        checkLocation(t, a.location());
        checkItem(t, a.item());
        int qty = a.quantity() == null ? 1 : a.quantity();
        if (qty < 1) {
            throw new PickingException(Kind.BAD_REQUEST, "confirm at least 1 unit");
        }
        if (qty > t.remaining()) {
            throw new PickingException(Kind.BAD_REQUEST, "quantity " + qty + " is above the open quantity "
                    + t.remaining() + " of task " + t.id());
        }
        boolean done = qty == t.remaining();
        return new Pick(qty, 0, null, new ActionResult(a.id(), a.kind(), t.id(), done ? "done" : "held",
                t.picked() + qty, t.remaining() - qty, false,
                done ? "picked" : "picked " + qty + ", " + (t.remaining() - qty) + " to go", null));
    }

    private static Pick shortPick(Task t, Action a) {
        if (a.location() != null) {
            checkLocation(t, a.location());
        }
        int found = a.quantity() == null ? 0 : a.quantity();
        if (found >= t.remaining()) {
            throw new PickingException(Kind.BAD_REQUEST, "found " + found + " of " + t.remaining()
                    + ": that is not short, confirm it instead");
        }
        String reason = a.reason().strip();
        return new Pick(found, t.remaining() - found, reason, new ActionResult(a.id(), a.kind(), t.id(), "short",
                t.picked() + found, 0, false, "short-picked: " + (t.remaining() - found) + " missing (" + reason + ")",
                null));
    }

    private static ActionResult skip(Connection c, String badge, Action a, Task t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE pick_tasks SET expires_at = NULL,
                    position = (SELECT max(position) + 1 FROM pick_tasks WHERE picker = ? AND state = 'held')
                WHERE id = ?""")) {
            ps.setString(1, badge);
            ps.setLong(2, t.id());
            ps.executeUpdate();
        }
        return record(c, badge, a, new ActionResult(a.id(), a.kind(), t.id(), "held", t.picked(), t.remaining(),
                false, "skipped: it comes back at the end of this walk", null));
    }

    private static ActionResult damage(Connection c, String badge, Action a, Task t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO damage_reports (site, location, sku, badge, task_id, note) VALUES (?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, t.site());
            ps.setString(2, t.location());
            ps.setString(3, t.sku());
            ps.setString(4, badge);
            ps.setLong(5, t.id());
            ps.setString(6, a.reason().strip());
            ps.executeUpdate();
        }
        return record(c, badge, a, new ActionResult(a.id(), a.kind(), t.id(), "held", t.picked(), t.remaining(),
                false, "damage reported at " + t.location(), null));
    }

    /** Sets the seven parameters of {@link #RECORD_ACTION} from {@code first} on. */
    private static void recordParameters(PreparedStatement ps, int first, String badge, Action a, ActionResult result)
            throws SQLException {
        int i = first;
        ps.setString(i++, a.id());
        ps.setString(i++, badge);
        ps.setLong(i++, a.task());
        ps.setString(i++, a.kind());
        ps.setObject(i++, a.quantity(), Types.INTEGER);
        ps.setString(i++, a.reason());
        ps.setString(i, encode(result));
    }

    /** Records the action with its answer, so a resend gets the same answer and changes nothing. */
    private static ActionResult record(Connection c, String badge, Action a, ActionResult result) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(RECORD_ACTION)) {
            recordParameters(ps, 1, badge, a, result);
            ps.executeUpdate();
        }
        return result;
    }

    private static Task readTask(Connection c, Action a, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT t.id, t.site, t.state, t.picker, t.location, t.zone, t.pick_seq, t.sku, t.quantity, t.picked,
                       t.order_id, t.line_no, (SELECT k.sku FROM sku_codes k WHERE k.site = t.site AND k.code = ?),
                       e.badge, e.result, t.batch
                FROM pick_tasks t LEFT JOIN pick_actions e ON e.id = ?
                WHERE t.id = ?""" + (lock ? " FOR UPDATE OF t" : ""))) {
            ps.setString(1, a.item() == null ? "" : normalizedCode(a.item()));
            ps.setString(2, a.id());
            ps.setLong(3, a.task());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new PickingException(Kind.NOT_FOUND, "no task " + a.task());
                }
                return new Task(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getInt(7), rs.getString(8), rs.getInt(9), rs.getInt(10), rs.getString(11),
                        rs.getInt(12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getLong(16));
            }
        }
    }

    private static void checkLocation(Task t, String scanned) {
        if (scanned == null || !scanned.strip().equalsIgnoreCase(t.location())) {
            throw new PickingException(Kind.BAD_REQUEST, "wrong location: scanned " + scanned + ", go to " + t.location());
        }
    }

    private static void checkItem(Task t, String scanned) {
        if (scanned == null || scanned.isBlank()) {
            throw new PickingException(Kind.BAD_REQUEST, "scan the item");
        }
        String code = scanned.strip();
        if (code.equals(t.sku())) {
            return;
        }
        if (t.scannedSku() == null) {
            throw new PickingException(Kind.BAD_REQUEST, "unknown item " + code + ": this task needs " + t.sku());
        }
        if (!t.scannedSku().equals(t.sku())) {
            throw new PickingException(Kind.BAD_REQUEST, "wrong item: " + code + " is " + t.scannedSku()
                    + ", this task needs " + t.sku());
        }
    }

    /** EPCs are stored upper-case; barcodes as printed. */
    private static String normalizedCode(String scanned) {
        String code = scanned.strip();
        return PickingCatalog.EPC.matcher(code).matches() ? code.toUpperCase(Locale.ROOT) : code;
    }

    /**
     * Records the pick on the task, its order line (and the order, picked when this completed its last open line),
     * where the picker now is, and the action with its answer, in one statement, every part guarded by the task
     * being as {@code t} has it. When the pick ends the task, it also starts the deadline of the next task in the
     * walk, which the answer shows. Returns null when the task changed (nothing was written).
     */
    private Finished finish(Connection c, Task t, String badge, Pick pick, Action a) throws SQLException {
        String state = pick.result().taskState();
        boolean stays = state.equals("held");
        try (PreparedStatement ps = c.prepareStatement("""
                WITH task AS (UPDATE pick_tasks SET picked = picked + ?, state = ?, short_reason = ?,
                            done_at = CASE WHEN ? THEN NULL ELSE now() END,
                            done_by = CASE WHEN ? THEN NULL ELSE ? END,
                            position = CASE WHEN ? THEN position ELSE NULL END,
                            expires_at = CASE WHEN ? THEN now() + make_interval(secs => ?) ELSE NULL END
                         WHERE id = ? AND """ + IS_HELD + """
                          AND picker = ? AND batch = ? AND picked = ?
                         RETURNING expires_at),
                line AS (UPDATE order_lines SET picked = picked + ?, shorted = shorted + ?
                         WHERE order_id = ? AND line_no = ? AND EXISTS (SELECT 1 FROM task)
                         RETURNING picked + shorted >= quantity AND picked + shorted - ? < quantity AS completed),
                whole_order AS (UPDATE orders SET open_lines = open_lines - 1,
                                       picked_at = CASE WHEN open_lines = 1 THEN now() ELSE picked_at END
                                WHERE id = ? AND EXISTS (SELECT 1 FROM line WHERE completed)),
                walker AS (UPDATE pickers SET last_zone = ?, last_seq = ? WHERE badge = ? AND EXISTS (SELECT 1 FROM task)),
                clock AS (UPDATE pick_tasks SET expires_at = now() + make_interval(secs => ?)
                          WHERE id = (SELECT id FROM pick_tasks WHERE picker = ? AND state = 'held' AND id <> ?
                                      ORDER BY position LIMIT 1)
                          AND id <> ? AND expires_at IS NULL AND EXISTS (SELECT 1 FROM task)
                          RETURNING id, expires_at),
                action AS (""" + RECORD_ACTION + """
                 WHERE EXISTS (SELECT 1 FROM task))
                SELECT (SELECT count(*) FROM task), (SELECT expires_at FROM task), (SELECT id FROM clock),
                       (SELECT expires_at FROM clock), array_agg(h.id ORDER BY h.position),
                       array_agg(h.picked ORDER BY h.position)
                FROM pick_tasks h WHERE h.picker = ? AND h.state = 'held'""")) {
            double timeoutSeconds = taskTimeoutSeconds();
            int i = 0;
            ps.setInt(++i, pick.picked());
            ps.setString(++i, state);
            ps.setString(++i, pick.reason());
            ps.setBoolean(++i, stays);
            ps.setBoolean(++i, stays);
            ps.setString(++i, badge);
            ps.setBoolean(++i, stays);
            ps.setBoolean(++i, stays);
            ps.setDouble(++i, timeoutSeconds);
            ps.setLong(++i, t.id());
            ps.setString(++i, badge);
            ps.setLong(++i, t.batch());
            ps.setInt(++i, t.picked());
            ps.setInt(++i, pick.picked());
            ps.setInt(++i, pick.shorted());
            ps.setString(++i, t.order());
            ps.setInt(++i, t.line());
            ps.setInt(++i, pick.picked() + pick.shorted());
            ps.setString(++i, t.order());
            ps.setString(++i, t.zone());
            ps.setInt(++i, t.pickSeq());
            ps.setString(++i, badge);
            ps.setDouble(++i, timeoutSeconds);
            ps.setString(++i, badge);
            ps.setLong(++i, stays ? -1 : t.id()); // the walk's next task: the first one after this, if it ends here
            ps.setLong(++i, t.id());
            recordParameters(ps, i + 1, badge, a, pick.result());
            ps.setString(i + 8, badge);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return null;
                }
                long clocked = rs.getLong(3);
                if (rs.wasNull()) {
                    clocked = -1;
                }
                return new Finished(instant(rs.getTimestamp(2)), clocked, instant(rs.getTimestamp(4)),
                        longs(rs.getArray(5)), longs(rs.getArray(6)));
            }
        }
    }

    /**
     * What {@link #finish} wrote and saw: the task's new deadline (null: it ended), the task whose deadline it
     * started (-1: none) and that deadline, and the ids and picked units of the picker's walk before the pick, in
     * walking order.
     */
    private record Finished(Instant taskExpires, long clocked, Instant clockExpires,
                            long[] walkIds, long[] walkPicked) {
        /** The walk after the pick, from the walk the picker was shown; null when that is not the walk there was. */
        List<TaskView> walkAfter(List<TaskView> shown, long taskId, Pick pick) {
            if (shown.size() != walkIds.length) {
                return null;
            }
            List<TaskView> after = new ArrayList<>(shown.size());
            for (int i = 0; i < walkIds.length; i++) {
                TaskView v = shown.get(i);
                if (v.id() != walkIds[i] || v.picked() != walkPicked[i]) {
                    return null;
                }
                if (v.id() == taskId) {
                    if (pick.result().taskState().equals("held")) {
                        after.add(v.progressed(v.picked() + pick.picked(), taskExpires));
                    }
                } else {
                    after.add(v.id() == clocked ? v.progressed(v.picked(), clockExpires) : v);
                }
            }
            return after;
        }
    }

    private static String encode(ActionResult r) {
        return String.join("\u001f", r.kind(), Long.toString(r.task()), r.taskState(), Integer.toString(r.picked()),
                Integer.toString(r.remaining()), r.message(), r.id());
    }

    private static ActionResult decode(String s) {
        String[] f = s.split("\u001f", -1);
        return new ActionResult(f[6], f[0], Long.parseLong(f[1]), f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                true, f[5], null);
    }

    // ---- giving tasks back ----

    /** Gives back every task the picker holds (log-out, idle); partly picked tasks keep what was picked. */
    public int release(String badge) throws SQLException {
        walks.forget(badge);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE pick_tasks SET " + RELEASE + " WHERE picker = ? AND state = 'held'")) {
            ps.setString(1, badge);
            return ps.executeUpdate();
        }
    }

    /** Returns current tasks not confirmed within the task timeout to the pool. */
    public int expire() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE pick_tasks SET " + RELEASE
                     + " WHERE state = 'held' AND expires_at < now() RETURNING id, picker")) {
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    n++;
                    LOG.info("task {} not confirmed by {} within {}: back to the pool", rs.getLong(1), rs.getString(2),
                            settings.taskTimeout());
                }
            }
            return n;
        }
    }

    private double taskTimeoutSeconds() {
        return settings.taskTimeout().toMillis() / 1000.0;
    }

    // ---- held tasks ----

    /**
     * The tasks the picker holds in walking order. The current task's deadline starts when the picker first sees
     * it, so the same statement starts the clock of the first task if it has not started yet.
     */
    private List<TaskView> held(Connection c, String badge) throws SQLException {
        List<TaskView> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                WITH clock AS (
                    UPDATE pick_tasks t SET expires_at = now() + make_interval(secs => ?)
                    WHERE t.id = (SELECT id FROM pick_tasks WHERE picker = ? AND state = 'held' ORDER BY position LIMIT 1)
                    AND """ + IS_HELD + """
                     AND t.expires_at IS NULL
                    RETURNING t.id, t.expires_at)
                SELECT t.id, t.batch, t.order_id, t.line_no, t.sku, s.description, t.quantity, t.picked, t.location, t.zone,
                       l.aisle, l.bay, l.level, t.pick_seq, t.tote, t.priority, t.due_at,
                       coalesce(clock.expires_at, t.expires_at),
                       ARRAY(SELECT k.code FROM sku_codes k WHERE k.site = t.site AND k.sku = t.sku ORDER BY k.code)
                FROM pick_tasks t
                JOIN skus s ON s.site = t.site AND s.sku = t.sku
                JOIN locations l ON l.site = t.site AND l.location = t.location
                LEFT JOIN clock ON clock.id = t.id
                WHERE t.picker = ? AND t.state = 'held'
                ORDER BY t.position""")) {
            ps.setDouble(1, taskTimeoutSeconds());
            ps.setString(2, badge);
            ps.setString(3, badge);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int quantity = rs.getInt(7);
                    int picked = rs.getInt(8);
                    out.add(new TaskView(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                            rs.getString(6), quantity, picked, quantity - picked, rs.getString(9), rs.getString(10),
                            rs.getString(11), rs.getString(12), rs.getString(13), rs.getInt(14), rs.getString(15),
                            rs.getInt(16), instant(rs.getTimestamp(17)), instant(rs.getTimestamp(18)),
                            strings(rs.getArray(19))));
                }
            }
        }
        return out;
    }
}
