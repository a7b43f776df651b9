package io.wareedge.sortation;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SortRulesTest {
    /** Chutes 1 and 2 serve A, 3 serves B, 9 rejects; X has no chute. Max 2 recirculations. */
    private static SortPlan plan(UnresolvedAction noRead, UnresolvedAction unknown, UnresolvedAction multi) {
        SorterLayout layout = new SorterLayout(List.of(new Chute(1, List.of("A")), new Chute(2, List.of("A")),
                new Chute(3, List.of("B")), new Chute(9, List.of())), 9, 2, noRead, unknown, multi);
        return new SortPlan("s1", 7, layout, Map.of("a1", "A", "a2", "A", "b1", "B", "x1", "X"));
    }

    private static final SortPlan PLAN = plan(UnresolvedAction.REJECT, UnresolvedAction.RECIRCULATE, UnresolvedAction.REJECT);
    private final Map<Integer, ChuteState> states = new HashMap<>();
    private final SortRules.ChuteStates chuteStates = c -> states.getOrDefault(c, ChuteState.AVAILABLE);

    private Decision decide(SortPlan plan, int pass, String... codes) {
        return SortRules.decide(new Induction(100, pass, List.of(codes), 0), plan, chuteStates);
    }

    private static void assertDecision(Decision d, int chute, Reason reason) {
        assertThat(d.chute()).as("chute").isEqualTo(chute);
        assertThat(d.reason()).as("reason").isEqualTo(reason);
    }

    @Test
    void knownCodeGoesToTheFirstChuteOfItsDestinationWithThePlanVersion() {
        Decision d = decide(PLAN, 0, "a1");
        assertDecision(d, 1, Reason.PLAN);
        assertThat(d.destination()).isEqualTo("A");
        assertThat(d.code()).isEqualTo("a1");
        assertThat(d.planVersion()).isEqualTo(7);
        assertDecision(decide(PLAN, 0, "b1"), 3, Reason.PLAN);
    }

    @Test
    void fullOrDisabledChutesGiveWayToAlternatesThenRecirculation() {
        states.put(1, ChuteState.FULL);
        assertDecision(decide(PLAN, 0, "a1"), 2, Reason.ALTERNATE_CHUTE);
        states.put(2, ChuteState.DISABLED);
        assertDecision(decide(PLAN, 0, "a1"), Decision.RECIRCULATE, Reason.CHUTES_UNAVAILABLE);
        // On the last allowed pass "recirculate" becomes the reject chute.
        assertDecision(decide(PLAN, 2, "a1"), 9, Reason.CHUTES_UNAVAILABLE);
    }

    @Test
    void noPlanRecirculates() {
        Decision d = SortRules.decide(new Induction(1, 0, List.of("a1"), 0), null, chuteStates);
        assertDecision(d, 0, Reason.NO_PLAN);
        assertThat(d.planVersion()).isEqualTo(-1);
    }

    @Test
    void tooManyPassesRejectEvenAKnownCode() {
        assertDecision(decide(PLAN, 3, "a1"), 9, Reason.MAX_RECIRCULATIONS);
        assertDecision(decide(PLAN, 2, "a1"), 1, Reason.PLAN);
    }

    @Test
    void malformedCodesAreRejected() {
        for (String bad : List.of("", "a b", "a,b", "a\u0007", "x".repeat(129), "é")) {
            assertDecision(decide(PLAN, 0, bad), 9, Reason.MALFORMED_CODE);
        }
        assertDecision(decide(PLAN, 0, "a1", ""), 9, Reason.MALFORMED_CODE);
        assertThat(Codes.isWellFormed("x".repeat(128))).isTrue();
    }

    @Test
    void noReadFollowsTheLayout() {
        assertDecision(decide(PLAN, 0), 9, Reason.NO_READ);
        SortPlan recirculating = plan(UnresolvedAction.RECIRCULATE, UnresolvedAction.RECIRCULATE, UnresolvedAction.REJECT);
        assertDecision(decide(recirculating, 0), 0, Reason.NO_READ);
        assertDecision(decide(recirculating, 2), 9, Reason.NO_READ);
    }

    @Test
    void multiReadsThatAgreeAreSortedAndConflictsFollowTheLayout() {
        assertDecision(decide(PLAN, 0, "a1", "a1"), 1, Reason.PLAN);
        assertDecision(decide(PLAN, 0, "a1", "a2"), 1, Reason.PLAN);
        assertDecision(decide(PLAN, 0, "a1", "b1"), 9, Reason.MULTI_READ);
        assertDecision(decide(PLAN, 0, "a1", "zz"), 9, Reason.MULTI_READ);
        assertDecision(decide(PLAN, 0, "zz", "a1"), 9, Reason.MULTI_READ);
        SortPlan recirculating = plan(UnresolvedAction.REJECT, UnresolvedAction.RECIRCULATE, UnresolvedAction.RECIRCULATE);
        assertDecision(decide(recirculating, 0, "a1", "b1"), 0, Reason.MULTI_READ);
    }

    @Test
    void unknownCodesFollowTheLayout() {
        Decision d = decide(PLAN, 0, "zz");
        assertDecision(d, 0, Reason.UNKNOWN_CODE);
        assertThat(d.code()).isEqualTo("zz");
        assertDecision(decide(PLAN, 2, "zz"), 9, Reason.UNKNOWN_CODE);
        SortPlan rejecting = plan(UnresolvedAction.REJECT, UnresolvedAction.REJECT, UnresolvedAction.REJECT);
        assertDecision(decide(rejecting, 0, "zz"), 9, Reason.UNKNOWN_CODE);
    }

    @Test
    void aDestinationWithoutChuteIsRejected() {
        assertDecision(decide(PLAN, 0, "x1"), 9, Reason.DESTINATION_NOT_ON_SORTER);
    }

    @Test
    void aFullRejectChuteMeansTheItemStaysOn() {
        states.put(9, ChuteState.FULL);
        assertDecision(decide(PLAN, 0), 0, Reason.NO_READ);
        assertDecision(decide(PLAN, 3, "a1"), 0, Reason.MAX_RECIRCULATIONS);
    }

    @Test
    void layoutsAndPlansAreValidated() {
        assertThatThrownBy(() -> new SorterLayout(List.of(), 1, 1, UnresolvedAction.REJECT, UnresolvedAction.REJECT,
                UnresolvedAction.REJECT)).hasMessageContaining("at least one chute");
        assertThatThrownBy(() -> new SorterLayout(List.of(new Chute(1, List.of()), new Chute(1, List.of())), 1, 1,
                UnresolvedAction.REJECT, UnresolvedAction.REJECT, UnresolvedAction.REJECT)).hasMessageContaining("chute 1 appears twice");
        assertThatThrownBy(() -> new SorterLayout(List.of(new Chute(1, List.of())), 5, 1, UnresolvedAction.REJECT,
                UnresolvedAction.REJECT, UnresolvedAction.REJECT)).hasMessageContaining("reject chute 5");
        assertThatThrownBy(() -> new SorterLayout(List.of(new Chute(1, List.of())), 1, 101, UnresolvedAction.REJECT,
                UnresolvedAction.REJECT, UnresolvedAction.REJECT)).hasMessageContaining("maxRecirculations must be 0..100, got 101");
        assertThatThrownBy(() -> new Chute(0, List.of())).hasMessageContaining("got 0");
        assertThatThrownBy(() -> new Chute(1000, List.of())).hasMessageContaining("got 1000");
        assertThatThrownBy(() -> new Chute(1, List.of(" "))).hasMessageContaining("destination");
        assertThatThrownBy(() -> new SortPlan("s1", 1, PLAN.layout(), Map.of("a b", "A"))).hasMessageContaining("'a b'");
        assertThat(PLAN.chutesFor("A")).containsExactly(1, 2);
        assertThat(PLAN.chutesFor("X")).isEmpty();
        assertThat(PLAN.serves(2, "A")).isTrue();
        assertThat(PLAN.serves(3, "A")).isFalse();
    }
}
