package io.wareedge.sortation;

import java.util.List;

/**
 * The divert rules, as one pure function of the item, the plan and the chutes' states.
 *
 * <ol>
 *   <li>no plan → recirculate ({@link Reason#NO_PLAN});</li>
 *   <li>gone round more than the layout's maximum → reject chute ({@link Reason#MAX_RECIRCULATIONS});</li>
 *   <li>a malformed code → reject chute ({@link Reason#MALFORMED_CODE});</li>
 *   <li>no code → the layout's no-read action ({@link Reason#NO_READ});</li>
 *   <li>several codes: if they all name one destination it is used, else the multi-read action
 *       ({@link Reason#MULTI_READ}); an unknown code among several is a conflict;</li>
 *   <li>an unknown code → the unknown-code action ({@link Reason#UNKNOWN_CODE});</li>
 *   <li>a destination with no chute on this sorter → reject chute ({@link Reason#DESTINATION_NOT_ON_SORTER});</li>
 *   <li>else the first available chute of the destination ({@link Reason#PLAN}, or {@link Reason#ALTERNATE_CHUTE}
 *       when it is not the first), and when none is available, recirculate ({@link Reason#CHUTES_UNAVAILABLE}).</li>
 * </ol>
 * "Recirculate" on the last allowed pass becomes the reject chute, and a reject chute that is full or disabled
 * becomes a recirculation: the item has nowhere else to go.
 */
public final class SortRules {
    private SortRules() {
    }

    /** Chute states by chute number; chutes not reported are available. */
    public interface ChuteStates {
        ChuteState of(int chute);

        ChuteStates ALL_AVAILABLE = chute -> ChuteState.AVAILABLE;
    }

    public static Decision decide(Induction item, SortPlan plan, ChuteStates states) {
        if (plan == null) {
            return new Decision(item.seq(), item.pass(), Decision.RECIRCULATE, Reason.NO_PLAN, null, null, -1);
        }
        SorterLayout layout = plan.layout();
        if (item.pass() > layout.maxRecirculations()) {
            return reject(item, plan, states, Reason.MAX_RECIRCULATIONS, firstCode(item), null);
        }
        List<String> codes = item.codes();
        for (String code : codes) {
            if (!Codes.isWellFormed(code)) {
                return reject(item, plan, states, Reason.MALFORMED_CODE, null, null);
            }
        }
        if (codes.isEmpty()) {
            return unresolved(item, plan, states, layout.noRead(), Reason.NO_READ, null);
        }
        String code = codes.get(0);
        String destination = plan.destinationByCode().get(code);
        for (int i = 1; i < codes.size(); i++) {
            String other = codes.get(i);
            if (other.equals(code)) {
                continue; // the same label read twice is one read
            }
            String otherDestination = plan.destinationByCode().get(other);
            if (destination == null || !destination.equals(otherDestination)) {
                return unresolved(item, plan, states, layout.multiRead(), Reason.MULTI_READ, null);
            }
        }
        if (destination == null) {
            return unresolved(item, plan, states, layout.unknownCode(), Reason.UNKNOWN_CODE, code);
        }
        int[] chutes = plan.chutesForUnsafe(destination);
        if (chutes == null) {
            return reject(item, plan, states, Reason.DESTINATION_NOT_ON_SORTER, code, destination);
        }
        for (int i = 0; i < chutes.length; i++) {
            if (states.of(chutes[i]) == ChuteState.AVAILABLE) {
                return new Decision(item.seq(), item.pass(), chutes[i], i == 0 ? Reason.PLAN : Reason.ALTERNATE_CHUTE,
                        code, destination, plan.version());
            }
        }
        return recirculate(item, plan, states, Reason.CHUTES_UNAVAILABLE, code, destination);
    }

    private static String firstCode(Induction item) {
        return item.codes().isEmpty() || !Codes.isWellFormed(item.codes().get(0)) ? null : item.codes().get(0);
    }

    private static Decision unresolved(Induction item, SortPlan plan, ChuteStates states, UnresolvedAction action,
                                       Reason reason, String code) {
        return action == UnresolvedAction.REJECT
                ? reject(item, plan, states, reason, code, null)
                : recirculate(item, plan, states, reason, code, null);
    }

    private static Decision recirculate(Induction item, SortPlan plan, ChuteStates states, Reason reason, String code,
                                        String destination) {
        if (item.pass() >= plan.layout().maxRecirculations()) {
            return reject(item, plan, states, reason, code, destination);
        }
        return new Decision(item.seq(), item.pass(), Decision.RECIRCULATE, reason, code, destination, plan.version());
    }

    private static Decision reject(Induction item, SortPlan plan, ChuteStates states, Reason reason, String code,
                                   String destination) {
        int reject = plan.layout().rejectChute();
        int chute = states.of(reject) == ChuteState.AVAILABLE ? reject : Decision.RECIRCULATE;
        return new Decision(item.seq(), item.pass(), chute, reason, code, destination, plan.version());
    }
}
