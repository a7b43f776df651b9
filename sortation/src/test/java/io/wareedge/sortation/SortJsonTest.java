package io.wareedge.sortation;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SortJsonTest {
    private static final SorterLayout LAYOUT = new SorterLayout(List.of(new Chute(1, List.of("A", "B")),
            new Chute(9, List.of())), 9, 3, UnresolvedAction.RECIRCULATE, UnresolvedAction.REJECT,
            UnresolvedAction.RECIRCULATE);

    @Test
    void layoutsAndPlansRoundTrip() {
        assertThat(SortJson.readLayout(SortJson.layout(LAYOUT))).isEqualTo(LAYOUT);
        SortPlan plan = new SortPlan("s1", 12, LAYOUT, Map.of("c1", "A", "c2", "B"));
        SortPlan back = SortJson.readPlanSnapshot(SortJson.planSnapshot(plan));
        assertThat(back.sorter()).isEqualTo("s1");
        assertThat(back.version()).isEqualTo(12);
        assertThat(back.layout()).isEqualTo(LAYOUT);
        assertThat(back.destinationByCode()).isEqualTo(plan.destinationByCode());
    }

    @Test
    void layoutDefaultsApplyToMissingRules() {
        SorterLayout l = SortJson.readLayout(SortJson.parse("{\"chutes\":[{\"number\":4}],\"rejectChute\":4}"
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(l.maxRecirculations()).isEqualTo(3);
        assertThat(l.noRead()).isEqualTo(UnresolvedAction.REJECT);
        assertThat(l.unknownCode()).isEqualTo(UnresolvedAction.RECIRCULATE);
        assertThat(l.multiRead()).isEqualTo(UnresolvedAction.REJECT);
    }

    @Test
    void eventsRoundTrip() {
        SortEvent.Decided decided = new SortEvent.Decided("s1", new Decision(5, 1, 0, Reason.UNKNOWN_CODE, "zz", null, 3),
                List.of("zz"), 1000, 1001);
        assertThat(SortJson.readEvent(SortJson.event(decided))).isEqualTo(decided);
        SortEvent.Completed completed = new SortEvent.Completed("s1", 5, 1, 1, Outcome.CHUTE_FULL, "A", false, 2000);
        assertThat(SortJson.readEvent(SortJson.event(completed))).isEqualTo(completed);
        // Codes come from the sorter as read, malformed ones included: quotes and control characters are escaped.
        SortEvent.Decided odd = new SortEvent.Decided("s\"1", new Decision(6, 0, 9, Reason.MALFORMED_CODE, null, null, 3),
                List.of("a\"b", "c\u0001\\", "\u00e9"), 1000, 1001);
        assertThat(SortJson.readEvent(SortJson.parse(SortJson.eventBytes(odd)))).isEqualTo(odd);
        assertThat(new String(SortJson.eventBytes(odd), StandardCharsets.UTF_8)).contains("\"code\":null");
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> SortJson.parse("{".getBytes(StandardCharsets.UTF_8))).isInstanceOf(PlanException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> SortJson.readLayout(SortJson.parse("{\"rejectChute\":1}".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("layout.chutes");
        assertThatThrownBy(() -> SortJson.readLayout(SortJson.parse(
                "{\"chutes\":[{\"number\":\"one\"}],\"rejectChute\":1}".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("layout.chutes[0].number");
        assertThatThrownBy(() -> SortJson.readLayout(SortJson.parse(
                "{\"chutes\":[{\"number\":1}],\"rejectChute\":1,\"noRead\":\"drop\"}".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("layout.noRead");
        assertThatThrownBy(() -> SortJson.readPlanSnapshot("{\"sorter\":\"s1\",\"version\":1}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("plan.codes");
        assertThatThrownBy(() -> SortJson.readEvent(SortJson.parse(
                "{\"type\":\"decided\",\"sorter\":\"s1\",\"seq\":1,\"pass\":0}".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("event.chute");
        assertThatThrownBy(() -> SortJson.readEvent(SortJson.parse(
                "{\"type\":\"teleported\",\"sorter\":\"s1\",\"seq\":1,\"pass\":0,\"chute\":1}".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("event.type");
    }
}
