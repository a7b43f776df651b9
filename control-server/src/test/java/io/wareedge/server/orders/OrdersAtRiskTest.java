package io.wareedge.server.orders;

import io.wareedge.embedded.Closing;
import io.micronaut.http.HttpRequest;
import io.wareedge.server.testing.ServerUnderTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders at risk of missing the 15-minute cycle target, against orders written straight into PostgreSQL with arrival
 * times relative to the database's now(): which orders count, in which order, and how much time they have left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrdersAtRiskTest {
    private static final String SITE = "risk-site";

    @TempDir
    static Path dir;

    private ServerUnderTest services;

    @BeforeAll
    void start() throws Exception {
        services = ServerUnderTest.start(dir, Map.of());
        services.postgres().execute(order("R-late", SITE, 20, false) + line("R-late", 1, 2, 2, 0) + line("R-late", 2, 3, 1, 0)
                + order("R-soon", SITE, 12, false) + line("R-soon", 1, 4, 3, 1)
                + order("R-fresh", SITE, 1, false) + line("R-fresh", 1, 1, 0, 0)
                // picked already, or nothing to pick, or another site's: not at risk here
                + order("R-picked", SITE, 30, true) + line("R-picked", 1, 1, 1, 0)
                + order("R-sort-only", SITE, 40, false)
                + order("R-elsewhere", "other-site", 50, false) + line("R-elsewhere", 1, 1, 0, 0));
    }

    @AfterAll
    void stop() throws Exception {
        Closing.all(services);
    }

    private static String order(String id, String site, int minutesAgo, boolean picked) {
        return "INSERT INTO orders (id, site, created_at, picked_at) VALUES ('" + id + "', '" + site + "', now() - interval '"
                + minutesAgo + " minutes', " + (picked ? "now()" : "NULL") + ");";
    }

    private static String line(String order, int no, int quantity, int picked, int shorted) {
        return "INSERT INTO order_lines (order_id, line_no, sku, quantity, picked, shorted) VALUES ('" + order + "', " + no
                + ", 'SKU-" + no + "', " + quantity + ", " + picked + ", " + shorted + ");";
    }

    @Test
    void unpickedOrdersOfTheSiteOldestFirstWithTheirTimeLeft() {
        List<Map<String, Object>> risk = services.api().list("/api/sites/" + SITE + "/orders/at-risk");
        assertThat(risk).extracting(o -> o.get("id")).containsExactly("R-late", "R-soon", "R-fresh");

        Map<String, Object> late = risk.get(0);
        // 20 minutes old against a 15-minute target: about five minutes late (a second or two of test time aside)
        assertThat(((Number) late.get("ageSeconds")).longValue()).isBetween(1200L, 1230L);
        assertThat(((Number) late.get("secondsLeft")).longValue()).isBetween(-330L, -300L);
        assertThat(late).containsEntry("lines", 2).containsEntry("linesPicked", 1).containsKey("createdAt");

        Map<String, Object> soon = risk.get(1);
        assertThat(((Number) soon.get("secondsLeft")).longValue()).isBetween(150L, 180L);
        assertThat(soon).as("3 picked + 1 short of 4: nothing left").containsEntry("lines", 1).containsEntry("linesPicked", 1);

        assertThat(((Number) risk.get(2).get("secondsLeft")).longValue()).isBetween(810L, 840L);
        assertThat(risk.get(2)).containsEntry("linesPicked", 0);
    }

    @Test
    void theLimitKeepsTheOldest() {
        assertThat(services.api().list("/api/sites/" + SITE + "/orders/at-risk?limit=1")).extracting(o -> o.get("id"))
                .containsExactly("R-late");
        assertThat(services.api().list("/api/sites/nowhere/orders/at-risk")).isEmpty();
        assertThat(services.api().status(HttpRequest.GET("/api/sites/" + SITE + "/orders/at-risk?limit=0")
                .basicAuth(services.server().adminUser(), services.server().adminPassword()))).isEqualTo(400);
    }
}
