package io.wareedge.sortation;

import java.util.HashMap;
import java.util.Map;

/**
 * One sorter's decision state at the edge: the plan replica, the chutes' last reported states and a bounded
 * memory of recent decisions, so a duplicate induction gets the same answer and a result can be matched to the
 * command it answers.
 *
 * <p>Threading: {@link #induct}, {@link #result} and {@link #chuteState} are called by the one thread that reads
 * the sorter's messages; {@link #replacePlan} may be called from any thread (the plan is swapped atomically).
 */
public final class Decisions {
    /** Largest item number: seq and pass share one long key. */
    public static final long MAX_SEQ = (1L << 55) - 1;

    private final String sorter;
    private volatile SortPlan plan;
    private final Map<Integer, ChuteState> chuteStates = new HashMap<>();
    private final SortRules.ChuteStates states = chute -> chuteStates.getOrDefault(chute, ChuteState.AVAILABLE);
    private final DecisionMemory recent;

    /**
     * @param memory how many recent decisions to remember; size it above the items on the sorter at once plus the
     *               longest redelivery window (the sorter's induction rate × a few minutes); it is allocated
     *               at once, about 40 bytes per decision
     */
    public Decisions(String sorter, SortPlan initialPlan, int memory) {
        this.sorter = sorter;
        this.plan = initialPlan;
        this.recent = new DecisionMemory(memory);
    }

    public String sorter() {
        return sorter;
    }

    public SortPlan plan() {
        return plan;
    }

    /** Installs a plan if it is newer than the current one; returns whether it did. */
    public synchronized boolean replacePlan(SortPlan newer) {
        if (!newer.sorter().equals(sorter)) {
            throw new PlanException("plan for sorter " + newer.sorter() + " offered to sorter " + sorter);
        }
        SortPlan current = plan;
        if (current != null && current.version() >= newer.version()) {
            return false;
        }
        plan = newer;
        return true;
    }

    /**
     * The decision for an item; a duplicate of an induction already decided gets the remembered decision (same
     * chute, reason, destination and plan version; its code is not remembered and is null).
     */
    public Verdict induct(Induction item) {
        long key = key(item.seq(), item.pass());
        int known = recent.find(key);
        if (known >= 0) {
            return new Verdict(recent.decision(known, item.seq(), item.pass()), true);
        }
        Decision d = SortRules.decide(item, plan, states);
        recent.add(key, d);
        return new Verdict(d, false);
    }

    /** A decision and whether it was remembered from an earlier identical induction. */
    public record Verdict(Decision decision, boolean duplicate) {
    }

    /** Records a chute's state; false when the chute is not in the current layout (it is then ignored). */
    public boolean chuteState(int chute, ChuteState state) {
        SortPlan p = plan;
        if (p != null && !p.layout().hasChute(chute)) {
            return false;
        }
        chuteStates.put(chute, state);
        return true;
    }

    public ChuteState chuteState(int chute) {
        return states.of(chute);
    }

    /** Matches a divert result to the decision it answers. */
    public ResultCheck result(long seq, int pass, int chute, Outcome outcome) {
        int r = recent.find(key(seq, pass));
        if (r < 0) {
            return ResultCheck.rejected(ResultCheck.Status.NO_SUCH_COMMAND,
                    "no divert command was sent for item " + seq + " pass " + pass);
        }
        SortPlan p = plan;
        if (chute != Decision.RECIRCULATE && p != null && !p.layout().hasChute(chute)) {
            return ResultCheck.rejected(ResultCheck.Status.UNKNOWN_CHUTE,
                    "chute " + chute + " is not in the layout of sorter " + sorter);
        }
        if (!recent.markResultSeen(r)) {
            return ResultCheck.rejected(ResultCheck.Status.DUPLICATE,
                    "a result for item " + seq + " pass " + pass + " was already received");
        }
        Decision d = recent.decision(r, seq, pass);
        boolean correct = outcome == Outcome.DIVERTED && d.destination() != null && p != null
                && p.serves(chute, d.destination());
        return new ResultCheck(ResultCheck.Status.ACCEPTED, null, d, correct);
    }

    static long key(long seq, int pass) {
        return (seq << 8) | pass;
    }
}
