package io.wareedge.sortation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecisionsTest {
    private static SortPlan plan(long version, Map<String, String> codes) {
        SorterLayout layout = new SorterLayout(List.of(new Chute(1, List.of("A")), new Chute(2, List.of("B")),
                new Chute(9, List.of())), 9, 2, UnresolvedAction.REJECT, UnresolvedAction.RECIRCULATE,
                UnresolvedAction.REJECT);
        return new SortPlan("s1", version, layout, codes);
    }

    @Test
    void aDuplicateInductionGetsTheRememberedDecisionEvenAfterAPlanChange() {
        Decisions d = new Decisions("s1", plan(1, Map.of("c", "A")), 10);
        Decisions.Verdict first = d.induct(new Induction(5, 0, List.of("c"), 0));
        assertThat(first.duplicate()).isFalse();
        assertThat(first.decision().chute()).isEqualTo(1);
        assertThat(d.replacePlan(plan(2, Map.of("c", "B")))).isTrue();
        Decisions.Verdict again = d.induct(new Induction(5, 0, List.of("c"), 0));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.decision()).isEqualTo(new Decision(5, 0, 1, Reason.PLAN, null, "A", 1));
        assertThat(d.induct(new Induction(5, 1, List.of("c"), 0)).decision().chute()).isEqualTo(2);
    }

    @Test
    void memoryIsBoundedOldestFirst() {
        Decisions d = new Decisions("s1", plan(1, Map.of("c", "A")), 3);
        for (long seq = 1; seq <= 4; seq++) {
            d.induct(new Induction(seq, 0, List.of("c"), 0));
        }
        assertThat(d.result(1, 0, 1, Outcome.DIVERTED).status()).isEqualTo(ResultCheck.Status.NO_SUCH_COMMAND);
        assertThat(d.result(2, 0, 1, Outcome.DIVERTED).status()).isEqualTo(ResultCheck.Status.ACCEPTED);
    }

    @Test
    void onlyANewerPlanForThisSorterReplacesTheCurrentOne() {
        Decisions d = new Decisions("s1", plan(5, Map.of()), 10);
        assertThat(d.replacePlan(plan(5, Map.of("c", "A")))).isFalse();
        assertThat(d.replacePlan(plan(4, Map.of("c", "A")))).isFalse();
        assertThat(d.plan().version()).isEqualTo(5);
        assertThatThrownBy(() -> d.replacePlan(new SortPlan("s2", 9, plan(1, Map.of()).layout(), Map.of())))
                .isInstanceOf(PlanException.class).hasMessageContaining("s2");
    }

    @Test
    void resultsAreMatchedToTheirCommands() {
        Decisions d = new Decisions("s1", plan(1, Map.of("a", "A")), 10);
        d.induct(new Induction(1, 0, List.of("a"), 0));
        d.induct(new Induction(2, 0, List.of("a"), 0));
        ResultCheck ok = d.result(1, 0, 1, Outcome.DIVERTED);
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.correct()).isTrue();
        assertThat(ok.decision().destination()).isEqualTo("A");
        assertThat(d.result(1, 0, 1, Outcome.DIVERTED).status()).isEqualTo(ResultCheck.Status.DUPLICATE);
        assertThat(d.result(2, 0, 2, Outcome.DIVERTED).correct()).isFalse();
        assertThat(d.result(3, 0, 1, Outcome.DIVERTED).status()).isEqualTo(ResultCheck.Status.NO_SUCH_COMMAND);
        d.induct(new Induction(4, 0, List.of("a"), 0));
        ResultCheck unknownChute = d.result(4, 0, 42, Outcome.DIVERTED);
        assertThat(unknownChute.status()).isEqualTo(ResultCheck.Status.UNKNOWN_CHUTE);
        assertThat(unknownChute.problem()).contains("chute 42");
        d.induct(new Induction(6, 0, List.of("a"), 0));
        assertThat(d.result(6, 0, 0, Outcome.MISSED).correct()).isFalse();
    }

    @Test
    void chuteStatesOfUnknownChutesAreRefusedAndIgnored() {
        Decisions d = new Decisions("s1", plan(1, Map.of("a", "A")), 10);
        assertThat(d.chuteState(7, ChuteState.FULL)).isFalse();
        assertThat(d.chuteState(1, ChuteState.FULL)).isTrue();
        assertThat(d.induct(new Induction(1, 0, List.of("a"), 0)).decision().reason()).isEqualTo(Reason.CHUTES_UNAVAILABLE);
    }
}
