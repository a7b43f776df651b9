package io.wareedge.server.orders;

import io.wareedge.server.picking.PickingViews.RowProblem;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OrderRowsTest {

    private static List<String> problems(OrderRows.Parsed p) {
        return p.problems().stream().map(r -> r.row() + ":" + r.field()).toList();
    }

    @Test
    void csvRowsOfOneOrderBecomeItsLinesWithOrderFieldsFromItsFirstRow() {
        OrderRows.Parsed p = OrderRows.fromCsv("dc", """
                order,line,sku,quantity,priority,due,destination,codes
                O-1,1,S-1,2,5,2026-11-24T10:00:00Z,DHL,P-1|P-2
                O-1,2,S-2,1,,,,
                O-2,,S-3,4,,,,
                """);
        assertThat(p.problems()).isEmpty();
        assertThat(p.orders()).hasSize(2);
        OrderIn o1 = p.orders().get(0).order();
        assertThat(o1.priority()).isEqualTo(5);
        assertThat(o1.codes()).containsExactly("P-1", "P-2");
        assertThat(o1.lines()).extracting(OrderIn.LineIn::sku).containsExactly("S-1", "S-2");
        assertThat(p.orders().get(0).lineRows()).containsExactly(2, 3);
        assertThat(p.orders().get(1).order().lines().get(0).line()).as("default line number").isEqualTo(1);
        assertThat(p.orders().get(1).order().priority()).isZero();
    }

    @Test
    void oneBadRowRefusesItsWholeOrderAndNamesTheOtherRows() {
        OrderRows.Parsed p = OrderRows.fromCsv("dc", """
                order,line,sku,quantity
                O-1,1,S-1,2
                O-1,2,S-2,zero
                O-2,1,S-3,1
                """);
        assertThat(problems(p)).containsExactly("3:quantity", "2:order");
        assertThat(p.orders()).extracting(n -> n.order().id()).containsExactly("O-2");
    }

    @Test
    void eachRuleNamesItsField() {
        OrderRows.Parsed p = OrderRows.fromCsv("dc", """
                order,line,sku,quantity,priority,due,destination,codes
                O-1,1,,1,,,,
                O-2,1,S-1,0,,,,
                O-3,1,S-1,1,5000,,,
                O-4,1,S-1,1,,yesterday,,
                O-5,1,S-1,1,,,,P-1
                O-6,1,S-1,1,,,DHL,bad code
                O-7,1,S-1,1
                O-7,1,S-2,1
                O-8,1,S-1,1,,,,,surplus
                ,1,S-1,1
                """);
        assertThat(problems(p)).containsExactlyInAnyOrder("2:sku", "3:quantity", "4:priority", "5:due",
                "6:destination", "7:codes", "9:line", "8:order", "10:row", "11:order");
        assertThat(p.orders()).isEmpty();
    }

    @Test
    void jsonOrdersAreCheckedTheSameWayWithTheirIndexAsRow() {
        OrderRows.Parsed p = OrderRows.fromJson(Arrays.asList(
                new OrderIn("J-1", "dc", null, null, null, null, List.of(new OrderIn.LineIn(null, "S-1", 1))),
                null,
                new OrderIn("J-3", "dc", null, null, null, null, null)));
        assertThat(p.orders()).extracting(n -> n.order().id()).containsExactly("J-1");
        assertThat(p.problems()).extracting(RowProblem::row).containsExactly(1, 2);
        assertThat(p.problems().get(1).message()).contains("lines to pick or unit codes to sort");
    }
}
