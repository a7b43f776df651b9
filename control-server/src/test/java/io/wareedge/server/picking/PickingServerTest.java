package io.wareedge.server.picking;

import io.wareedge.embedded.Closing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.server.ControlServer;
import io.wareedge.server.testing.ApiClient;
import io.wareedge.server.testing.TestControlServers;
import io.wareedge.server.testing.TestEdgeNode;
import io.wareedge.server.testing.TestPostgres;
import io.wareedge.sim.picker.HandheldClient;
import io.wareedge.sim.picker.HandheldClient.Reply;
import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.Metric;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Picking against a real PostgreSQL, two control servers sharing it, and a real broker for the conveyor state:
 * imports with bad rows, log-in and lock-out, the pick flow and its refusals, many pickers at once on both
 * servers, task timeouts, log-out and idle log-out, and zone faults. Each test uses a site of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PickingServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TASK_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration IDLE_LOGOUT = Duration.ofSeconds(8);

    @TempDir
    static Path dir;

    private TestPostgres postgres;
    private EmbeddedMqttBroker broker;
    private ControlServer serverA;
    private ControlServer serverB;
    private ApiClient api;
    private HttpClient http;

    @BeforeAll
    void start() throws Exception {
        postgres = TestPostgres.start();
        broker = EmbeddedMqttBroker.start(dir.resolve("broker"), 0);
        Map<String, Object> picking = Map.of("wareedge.picking.task-timeout", TASK_TIMEOUT.toSeconds() + "s",
                "wareedge.picking.idle-logout", IDLE_LOGOUT.toSeconds() + "s",
                "wareedge.picking.housekeeping", "200ms", "wareedge.picking.batch-tasks", "4",
                "wareedge.picking.batch-orders", "3");
        serverA = TestControlServers.start(broker.url(), postgres.server(), picking);
        Map<String, Object> b = new HashMap<>(picking);
        b.put("wareedge.mqtt.host-id", "test-host-b");
        serverB = TestControlServers.start(broker.url(), postgres.server(), b);
        api = new ApiClient(serverA.url(), serverA.adminUser(), serverA.adminPassword());
        http = HandheldClient.newHttpClient();
    }

    @AfterAll
    void stop() throws Exception {
        Closing.all(api, serverB, serverA, broker, postgres);
    }

    static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(HttpClientResponseException.class);
    }

    private HandheldClient handheld(ControlServer server) {
        return new HandheldClient(http, server.url());
    }

    private HandheldClient loggedIn(ControlServer server, String badge) throws Exception {
        HandheldClient h = handheld(server);
        assertThat(h.login(badge, PickingSite.PIN).status()).isEqualTo(200);
        return h;
    }

    private Map<String, Object> importOrders(String site, String csv) {
        return api.post("/api/sites/" + site + "/orders/import", csv, "text/csv");
    }

    /** One order per (order, sku, quantity) triple, lines numbered in the given order. */
    private static String ordersCsv(String... rows) {
        StringBuilder b = new StringBuilder("order,line,sku,quantity,priority,due\n");
        for (String r : rows) {
            b.append(r).append('\n');
        }
        return b.toString();
    }

    private long count(String sql) throws Exception {
        return postgres.scalar(sql);
    }

    private static JsonNode firstTask(Reply r) {
        assertThat(r.status()).as("task answer %s", r.body()).isEqualTo(200);
        return r.body().path("tasks").get(0);
    }

    // ---- imports ----

    @Test
    void importsTakeTheGoodRowsAndReportTheBadOnesByRowAndField() {
        PickingSite s = new PickingSite("imp", 1, 3, 1);
        s.create(api, Map.of());

        Map<String, Object> skus = api.post("/api/sites/imp/skus", """
                sku,description,barcodes,epcs
                NEW-1,A new item,BC-NEW-1,3034257BF7194E4000000001
                NEW-2,Bad EPC,BC-NEW-2,XYZ
                NEW-3,,BC-NEW-3,
                NEW-4,Steals a code,BC-imp-S1-1,
                """, "text/csv");
        assertThat(skus.get("accepted")).isEqualTo(1);
        assertThat(problems(skus)).containsExactly("3:epcs", "4:description", "5:barcodes");

        Map<String, Object> locations = api.post("/api/sites/imp/locations", """
                location,zone,aisle,bay,level,pick_seq,sku
                L-NEW,Z1,A9,B1,1,900,NEW-1
                L-BAD,Z9,A9,B2,1,910,NEW-1
                L-BAD2,Z1,A9,B3,1,abc,NEW-1
                L-BAD3,Z1,A9,B4,1,920,NOPE
                """, "text/csv");
        assertThat(locations.get("accepted")).isEqualTo(1);
        assertThat(problems(locations)).containsExactly("3:zone", "4:pickSeq", "5:sku");

        Map<String, Object> pickers = api.post("/api/sites/imp/pickers", """
                badge,name,pin,roles,zones
                imp-X1,Xavier,12,picker,Z1
                imp-X2,Yvonne,5678,picker,Z7
                imp-X3,Zoe,5678,forklift,Z1
                """, "text/csv");
        assertThat(pickers.get("accepted")).isEqualTo(0);
        assertThat(problems(pickers)).containsExactly("2:pin", "3:zones", "4:roles");

        Map<String, Object> orders = importOrders("imp", ordersCsv(
                "IMP-1,1,imp-S1-1,2,0,",
                "IMP-1,2,imp-S1-2,1,0,",
                "IMP-2,1,imp-S1-1,0,0,",          // quantity 0
                "IMP-2,2,imp-S1-2,1,0,",          // same order: not imported either
                "IMP-3,1,UNKNOWN,1,0,",           // unknown SKU
                "IMP-4,1,imp-S1-3,1,0,tomorrow",  // bad due time
                "IMP-5,1,imp-S1-3,1,5,2026-11-24T10:00:00Z"));
        assertThat(orders.get("accepted")).isEqualTo(2);
        assertThat(problems(orders)).containsExactly("4:quantity", "5:order", "6:sku", "7:due");

        Map<String, Object> again = importOrders("imp", ordersCsv("IMP-1,1,imp-S1-1,2,0,"));
        assertThat(again.get("accepted")).isEqualTo(0);
        assertThat(problems(again)).containsExactly("2:id");

        assertThat(api.status(io.micronaut.http.HttpRequest.POST("/api/sites/imp/orders/import", "order,line\n\"IMP-9,1")
                .contentType("text/csv").basicAuth(serverA.adminUser(), serverA.adminPassword()))).isEqualTo(400);
        assertThat(api.status(io.micronaut.http.HttpRequest.POST("/api/sites/imp/orders/import", "{not json")
                .contentType("application/json").basicAuth(serverA.adminUser(), serverA.adminPassword()))).isEqualTo(400);

        Map<String, Object> order = api.object("/api/orders/IMP-1");
        assertThat(order.get("state")).isEqualTo("open");
        assertThat(order.get("lines")).asList().hasSize(2);
    }

    @SuppressWarnings("unchecked")
    private static List<String> problems(Map<String, Object> result) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) result.get("rejected")) {
            out.add(p.get("row") + ":" + p.get("field"));
        }
        return out;
    }

    // ---- log-in ----

    @Test
    void wrongPinsLockTheBadgeAndUnknownBadgesAreRefused() throws Exception {
        PickingSite s = new PickingSite("pin", 1, 1, 2);
        s.create(api, Map.of());
        HandheldClient h = handheld(serverA);
        Reply unknown = h.login("nobody", "1234");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.error()).contains("unknown badge");

        Reply wrong = h.login(s.badge(1), "0000");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error()).contains("4 attempts left");
        for (int i = 0; i < 3; i++) {
            assertThat(h.login(s.badge(1), "0000").status()).isEqualTo(401);
        }
        Reply locked = h.login(s.badge(1), "0000");
        assertThat(locked.status()).isEqualTo(423);
        Reply stillLocked = h.login(s.badge(1), PickingSite.PIN);
        assertThat(stillLocked.status()).isEqualTo(423);
        assertThat(stillLocked.error()).contains("locked");

        assertThat(h.login(s.badge(2), PickingSite.PIN).status()).isEqualTo(200);
        assertThat(handheld(serverA).task().status()).as("no session token").isEqualTo(401);
    }

    // ---- the pick flow ----

    @Test
    void aPickerWorksThroughABatchAlongThePathAndTheOrderGetsPicked() throws Exception {
        PickingSite s = new PickingSite("flow", 1, 6, 2);
        s.create(api, Map.of());
        importOrders("flow", ordersCsv(
                "FLOW-1," + "1," + s.sku(1, 5) + ",3,0,",
                "FLOW-1," + "2," + s.sku(1, 2) + ",1,0,",
                "FLOW-2," + "1," + s.sku(1, 4) + ",2,0,"));
        HandheldClient h = loggedIn(serverA, s.badge(1));
        Reply assignment = h.task();
        JsonNode tasks = assignment.body().path("tasks");
        assertThat(tasks).hasSize(3);
        List<String> walk = new ArrayList<>();
        tasks.forEach(t -> walk.add(t.path("location").asText()));
        assertThat(walk).as("pick-path order").containsExactly(s.location(1, 2), s.location(1, 4), s.location(1, 5));
        assertThat(tasks.get(0).path("tote").asText()).isEqualTo("A");
        assertThat(tasks.get(1).path("tote").asText()).isEqualTo("B");
        assertThat(tasks.get(2).path("tote").asText()).isEqualTo("A");
        assertThat(tasks.get(0).path("expiresAt").isTextual()).as("the current task's deadline").isTrue();

        JsonNode t1 = tasks.get(0);
        long id1 = t1.path("id").asLong();
        // wrong location, wrong item, too many: refused, nothing recorded
        Reply wrongLocation = h.confirm(HandheldClient.newActionId(), id1, s.location(1, 3), s.barcode(s.sku(1, 2)), 1);
        assertThat(wrongLocation.status()).isEqualTo(400);
        assertThat(wrongLocation.error()).contains("wrong location");
        Reply wrongItem = h.confirm(HandheldClient.newActionId(), id1, s.location(1, 2), s.barcode(s.sku(1, 3)), 1);
        assertThat(wrongItem.status()).isEqualTo(400);
        assertThat(wrongItem.error()).contains("wrong item");
        Reply tooMany = h.confirm(HandheldClient.newActionId(), id1, s.location(1, 2), s.barcode(s.sku(1, 2)), 2);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.error()).contains("above the open quantity");
        assertThat(count("SELECT count(*) FROM pick_actions WHERE task_id = " + id1)).isZero();

        // another picker cannot confirm it
        HandheldClient other = loggedIn(serverB, s.badge(2));
        Reply notYours = other.confirm(HandheldClient.newActionId(), id1, s.location(1, 2), s.barcode(s.sku(1, 2)), 1);
        assertThat(notYours.status()).isEqualTo(409);

        String actionId = HandheldClient.newActionId();
        Reply confirmed = h.confirm(actionId, id1, s.location(1, 2), s.barcode(s.sku(1, 2)), 1);
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(confirmed.body().path("taskState").asText()).isEqualTo("done");
        Reply resent = h.confirm(actionId, id1, s.location(1, 2), s.barcode(s.sku(1, 2)), 1);
        assertThat(resent.status()).isEqualTo(200);
        assertThat(resent.body().path("replayed").asBoolean()).isTrue();
        Reply twice = h.confirm(HandheldClient.newActionId(), id1, s.location(1, 2), s.barcode(s.sku(1, 2)), 1);
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.error()).contains("confirmed already");
        assertThat(count("SELECT picked FROM order_lines WHERE order_id = 'FLOW-1' AND line_no = 2")).isEqualTo(1);

        // FLOW-2: short-pick 1 of 2
        JsonNode t2 = firstTask(h.task());
        assertThat(t2.path("order").asText()).isEqualTo("FLOW-2");
        Reply shortPick = h.shortPick(HandheldClient.newActionId(), t2.path("id").asLong(), 1, "not-found");
        assertThat(shortPick.body().path("taskState").asText()).isEqualTo("short");
        Map<String, Object> flow2 = api.object("/api/orders/FLOW-2");
        assertThat(flow2.get("state")).isEqualTo("picked");
        assertThat(flow2.get("pickSeconds")).isNotNull();

        // FLOW-1 line 1: 3 units in two confirmations (a quantity for multiples)
        JsonNode t3 = firstTask(h.task());
        long id3 = t3.path("id").asLong();
        assertThat(api.object("/api/orders/FLOW-1").get("state")).isEqualTo("picking");
        Reply two = h.confirm(HandheldClient.newActionId(), id3, s.location(1, 5), s.sku(1, 5), 2);
        assertThat(two.body().path("remaining").asInt()).isEqualTo(1);
        assertThat(two.body().path("taskState").asText()).isEqualTo("held");
        h.confirm(HandheldClient.newActionId(), id3, s.location(1, 5), s.barcode(s.sku(1, 5)), 1);
        assertThat(h.task().status()).as("nothing left").isEqualTo(204);
        Map<String, Object> flow1 = api.object("/api/orders/FLOW-1");
        assertThat(flow1.get("state")).isEqualTo("picked");

        Map<String, Object> stats = api.object("/api/sites/flow/picking/stats");
        assertThat(((Number) stats.get("ordersPicked")).longValue()).isEqualTo(2);
        assertThat(((Number) stats.get("pickedWithinTarget")).longValue()).isEqualTo(2);
        assertThat(((Number) stats.get("shareWithinTarget")).doubleValue()).isEqualTo(1.0);
        assertThat(((Number) stats.get("picks")).longValue()).isEqualTo(3);
        assertThat(((Number) stats.get("units")).longValue()).isEqualTo(5);
        assertThat(((Number) stats.get("shortPicks")).longValue()).isEqualTo(1);
        assertThat(stats.get("pickers")).asList().hasSize(1);
    }

    @Test
    void aConfirmationAsksForTheNextTaskAndTheNextWalkIsClaimedWhenOneEnds() throws Exception {
        PickingSite s = new PickingSite("nxt", 1, 6, 1);
        s.create(api, Map.of());
        // five single-unit lines, batches of at most 4 tasks: two walks
        importOrders("nxt", ordersCsv("NXT-1,1," + s.sku(1, 1) + ",1,0,", "NXT-1,2," + s.sku(1, 2) + ",1,0,",
                "NXT-1,3," + s.sku(1, 3) + ",1,0,", "NXT-2,1," + s.sku(1, 4) + ",1,0,", "NXT-2,2," + s.sku(1, 5) + ",1,0,"));
        HandheldClient h = loggedIn(serverA, s.badge(1));
        JsonNode walk = h.task().body();
        long firstBatch = walk.path("batch").asLong();
        assertThat(walk.path("tasks")).hasSize(4);
        Set<Long> batches = new HashSet<>();
        int confirmed = 0;
        while (walk != null) {
            batches.add(walk.path("batch").asLong());
            for (JsonNode task : walk.path("tasks")) {
                assertThat(task.path("batch").asLong()).as("one batch number per walk").isEqualTo(walk.path("batch").asLong());
            }
            JsonNode t = walk.path("tasks").get(0);
            String id = HandheldClient.newActionId();
            Reply c = h.confirmAndNext(id, t.path("id").asLong(), t.path("location").asText(),
                    s.barcode(t.path("sku").asText()), 1);
            assertThat(c.status()).as("confirm %s", c.body()).isEqualTo(200);
            confirmed++;
            walk = c.body().has("next") ? c.body().path("next") : null;
            Reply asked = h.task();
            if (walk == null) {
                assertThat(asked.status()).as("nothing left, as the answer said").isEqualTo(204);
            } else {
                assertThat(walk.path("tasks").get(0).path("id").asLong()).as("the same walk as GET /task")
                        .isEqualTo(firstTask(asked).path("id").asLong());
                assertThat(walk.path("tasks")).hasSize(asked.body().path("tasks").size());
                // a resend gets the first answer and the walk as it is now
                Reply resent = h.confirmAndNext(id, t.path("id").asLong(), t.path("location").asText(),
                        s.barcode(t.path("sku").asText()), 1);
                assertThat(resent.body().path("replayed").asBoolean()).isTrue();
                assertThat(resent.body().path("next").path("tasks").get(0).path("id").asLong())
                        .isEqualTo(walk.path("tasks").get(0).path("id").asLong());
            }
        }
        assertThat(confirmed).isEqualTo(5);
        assertThat(batches).as("the second walk came with the last confirmation of the first").hasSize(2)
                .contains(firstBatch);
        assertThat(count("SELECT count(*) FROM orders WHERE site = 'nxt' AND picked_at IS NOT NULL")).isEqualTo(2);
    }

    @Test
    void actionsOnOneTaskAtOnceRecordNoMoreThanItsQuantityAndTheSameIdOnce() throws Exception {
        PickingSite s = new PickingSite("race", 1, 3, 1);
        s.create(api, Map.of());
        importOrders("race", ordersCsv("RACE-1,1," + s.sku(1, 1) + ",5,0,", "RACE-1,2," + s.sku(1, 2) + ",2,0,"));
        HandheldClient h = loggedIn(serverA, s.badge(1));
        JsonNode t = firstTask(h.task());
        long id = t.path("id").asLong();
        assertThat(t.path("quantity").asInt()).isEqualTo(5);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            // twelve single units for a task of five, each under its own id
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                replies.add(pool.submit(() -> {
                    go.await();
                    return h.confirm(HandheldClient.newActionId(), id, t.path("location").asText(),
                            s.barcode(s.sku(1, 1)), 1);
                }));
            }
            go.countDown();
            int accepted = 0;
            for (Future<Reply> f : replies) {
                Reply r = f.get(30, TimeUnit.SECONDS);
                if (r.status() == 200) {
                    accepted++;
                } else {
                    assertThat(r.status()).as("refused %s", r.body()).isIn(400, 409);
                }
            }
            assertThat(accepted).isEqualTo(5);
            assertThat(count("SELECT picked FROM pick_tasks WHERE id = " + id)).isEqualTo(5);
            assertThat(count("SELECT count(*) FROM pick_tasks WHERE id = " + id + " AND state = 'done'")).isEqualTo(1);
            assertThat(count("SELECT picked FROM order_lines WHERE order_id = 'RACE-1' AND line_no = 1")).isEqualTo(5);
            assertThat(count("SELECT count(*) FROM pick_actions WHERE task_id = " + id)).isEqualTo(5);

            // one action id sent eight times at once: recorded once, the same answer to all
            JsonNode second = firstTask(h.task());
            String actionId = HandheldClient.newActionId();
            CountDownLatch again = new CountDownLatch(1);
            List<Future<Reply>> same = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                same.add(pool.submit(() -> {
                    again.await();
                    return h.confirm(actionId, second.path("id").asLong(), second.path("location").asText(),
                            s.barcode(s.sku(1, 2)), 1);
                }));
            }
            again.countDown();
            for (Future<Reply> f : same) {
                Reply r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.status()).as("answer %s", r.body()).isEqualTo(200);
                assertThat(r.body().path("picked").asInt()).isEqualTo(1);
                assertThat(r.body().path("remaining").asInt()).isEqualTo(1);
            }
            assertThat(count("SELECT picked FROM order_lines WHERE order_id = 'RACE-1' AND line_no = 2")).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM pick_actions WHERE id = '" + actionId + "'")).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void skipMovesTheTaskToTheEndOfTheWalkAndDamageIsReportedOnce() throws Exception {
        PickingSite s = new PickingSite("skp", 1, 4, 1);
        s.create(api, Map.of());
        importOrders("skp", ordersCsv("SKP-1,1," + s.sku(1, 1) + ",1,0,", "SKP-1,2," + s.sku(1, 2) + ",1,0,"));
        HandheldClient h = loggedIn(serverA, s.badge(1));
        JsonNode walk = h.task().body();
        long first = walk.path("tasks").get(0).path("id").asLong();
        long second = walk.path("tasks").get(1).path("id").asLong();

        String skipId = HandheldClient.newActionId();
        Reply skipped = h.skip(skipId, first);
        assertThat(skipped.status()).as("skip %s", skipped.body()).isEqualTo(200);
        assertThat(firstTask(h.task()).path("id").asLong()).as("the skipped task comes last").isEqualTo(second);
        assertThat(h.skip(skipId, first).body().path("replayed").asBoolean()).as("a resent skip").isTrue();
        assertThat(firstTask(h.task()).path("id").asLong()).as("a resent skip moves nothing").isEqualTo(second);

        String damageId = HandheldClient.newActionId();
        ObjectNode damage = JSON.createObjectNode().put("id", damageId).put("kind", "damage").put("task", second)
                .put("reason", "crushed carton");
        assertThat(h.act(damage).status()).isEqualTo(200);
        assertThat(h.act(damage).body().path("replayed").asBoolean()).isTrue();
        assertThat(count("SELECT count(*) FROM damage_reports WHERE task_id = " + second)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM pick_tasks WHERE id = " + second + " AND state = 'held'"))
                .as("the pick goes on").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM pick_actions WHERE task_id IN (" + first + ", " + second + ")"))
                .isEqualTo(2);
    }

    @Test
    void aBatchTakesEveryOpenLineOfItsOrdersInTheZone() throws Exception {
        // batches of at most 3 orders and 4 tasks; the walk starts at bay 1 and meets orders BAT-X, BAT-1 and
        // BAT-2 there, and BAT-X's second line is at the far end of the zone, behind nine tasks of other orders
        PickingSite s = new PickingSite("bat", 1, 12, 1);
        s.create(api, Map.of());
        List<String> rows = new ArrayList<>(List.of("BAT-X,1," + s.sku(1, 1) + ",1,0,", "BAT-X,2," + s.sku(1, 12) + ",1,0,"));
        for (int l = 2; l <= 11; l++) {
            rows.add("BAT-" + (l - 1) + ",1," + s.sku(1, l) + ",1,0,");
        }
        importOrders("bat", ordersCsv(rows.toArray(String[]::new)));
        JsonNode tasks = loggedIn(serverA, s.badge(1)).task().body().path("tasks");
        List<String> walk = new ArrayList<>();
        List<String> totes = new ArrayList<>();
        tasks.forEach(t -> {
            walk.add(t.path("location").asText());
            totes.add(t.path("tote").asText());
        });
        assertThat(walk).as("both lines of BAT-X in one walk").containsExactly(s.location(1, 1), s.location(1, 2),
                s.location(1, 3), s.location(1, 12));
        assertThat(totes).containsExactly("A", "B", "C", "A");
    }

    @Test
    void aConfirmationAnswersTheWalkAsTheDatabaseHasItAlsoAfterAnotherServerChangedIt() throws Exception {
        PickingSite s = new PickingSite("lwk", 1, 4, 1);
        s.create(api, Map.of());
        importOrders("lwk", ordersCsv("LWK-1,1," + s.sku(1, 1) + ",1,0,", "LWK-1,2," + s.sku(1, 2) + ",1,0,",
                "LWK-1,3," + s.sku(1, 3) + ",1,0,"));
        // one handheld whose requests go to server A or B, as behind a load balancer
        AtomicReference<ControlServer> via = new AtomicReference<>(serverA);
        HandheldClient h = new HandheldClient((method, path, headers, body) ->
                HandheldClient.transport(http, via.get().url()).exchange(method, path, headers, body));
        assertThat(h.login(s.badge(1), PickingSite.PIN).status()).isEqualTo(200);
        JsonNode shown = h.task().body().path("tasks");
        long t1 = shown.get(0).path("id").asLong();
        long t2 = shown.get(1).path("id").asLong();
        long t3 = shown.get(2).path("id").asLong();

        via.set(serverB);
        assertThat(h.skip(HandheldClient.newActionId(), t1).status()).isEqualTo(200); // the walk is now t2, t3, t1
        via.set(serverA); // which showed t1, t2, t3 last
        Reply second = h.confirmAndNext(HandheldClient.newActionId(), t2, shown.get(1).path("location").asText(),
                s.barcode(s.sku(1, 2)), 1);
        assertThat(second.status()).as("confirm %s", second.body()).isEqualTo(200);
        assertThat(ids(second.body().path("next").path("tasks"))).as("the walk after the skip on B").containsExactly(t3, t1);
        assertThat(count("SELECT count(*) FROM orders WHERE id = 'LWK-1' AND picked_at IS NULL AND open_lines = 2"))
                .isEqualTo(1);

        Reply third = h.confirmAndNext(HandheldClient.newActionId(), t3, shown.get(2).path("location").asText(),
                s.barcode(s.sku(1, 3)), 1);
        JsonNode last = third.body().path("next").path("tasks");
        assertThat(ids(last)).containsExactly(t1);
        assertThat(last.get(0).path("expiresAt").isTextual()).as("the clock of the task now shown runs: %s", last).isTrue();
        assertThat(count("SELECT count(*) FROM pick_tasks WHERE id = " + t1 + " AND expires_at > now()")).isEqualTo(1);

        Reply first = h.confirmAndNext(HandheldClient.newActionId(), t1, shown.get(0).path("location").asText(),
                s.barcode(s.sku(1, 1)), 1);
        assertThat(first.status()).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM orders o JOIN pick_tasks t ON t.id = " + t1
                + " WHERE o.id = 'LWK-1' AND o.picked_at = t.done_at AND o.open_lines = 0"))
                .as("picked by its last line, at that line's pick").isEqualTo(1);
    }

    private static List<Long> ids(JsonNode tasks) {
        List<Long> out = new ArrayList<>();
        tasks.forEach(t -> out.add(t.path("id").asLong()));
        return out;
    }

    @Test
    void urgencyComesFirstThenTheWalkFromTheLastScan() throws Exception {
        PickingSite s = new PickingSite("prio", 2, 10, 1);
        s.create(api, Map.of());
        importOrders("prio", ordersCsv(
                "PRIO-LOW," + "1," + s.sku(1, 1) + ",1,0,",
                "PRIO-HIGH," + "1," + s.sku(2, 9) + ",1,9,"));
        HandheldClient h = loggedIn(serverA, s.badge(1));
        JsonNode first = firstTask(h.task());
        assertThat(first.path("order").asText()).as("priority before the walk").isEqualTo("PRIO-HIGH");
        assertThat(h.task().body().path("tasks")).as("other urgency: not in the same batch").hasSize(1);
        h.confirm(HandheldClient.newActionId(), first.path("id").asLong(), s.location(2, 9), s.sku(2, 9), 1);

        // equally urgent work in both zones: the picker stays in zone 2 and walks on from bay 9 (seq 90),
        // wrapping to the start of the zone; zone 1 is not in this walk
        String overdue = java.time.Instant.now().minus(Duration.ofHours(1)).toString(); // before PRIO-LOW's due
        importOrders("prio", ordersCsv(
                "PRIO-A,1," + s.sku(1, 8) + ",1,0," + overdue,
                "PRIO-B,1," + s.sku(2, 2) + ",1,0," + overdue,
                "PRIO-C,1," + s.sku(2, 10) + ",1,0," + overdue,
                "PRIO-D,1," + s.sku(2, 5) + ",1,0," + overdue));
        List<String> walk = new ArrayList<>();
        h.task().body().path("tasks").forEach(t -> walk.add(t.path("location").asText()));
        assertThat(walk).containsExactly(s.location(2, 10), s.location(2, 2), s.location(2, 5));
    }

    @Test
    void lessUrgentWorkIsGivenWhileTheMostUrgentIsBeingClaimedByOthers() throws Exception {
        PickingSite s = new PickingSite("busy", 1, 10, 1);
        s.create(api, Map.of());
        importOrders("busy", ordersCsv(
                "BUSY-HIGH,1," + s.sku(1, 2) + ",1,9,",
                "BUSY-LOW,1," + s.sku(1, 5) + ",1,0,"));
        HandheldClient h = loggedIn(serverA, s.badge(1));
        // another picker's claim has the most urgent task locked and not yet committed
        try (java.sql.Connection other = java.sql.DriverManager.getConnection(postgres.server().jdbcUrl(),
                postgres.server().user(), postgres.server().password());
             java.sql.Statement st = other.createStatement()) {
            other.setAutoCommit(false);
            st.executeQuery("SELECT id FROM pick_tasks WHERE order_id = 'BUSY-HIGH' FOR UPDATE").close();
            assertThat(firstTask(h.task()).path("order").asText()).as("not 'nothing to pick'").isEqualTo("BUSY-LOW");
            other.rollback();
        }
    }

    @Test
    void equallyUrgentZonesGoToTheZoneWithFewerPickers() throws Exception {
        PickingSite s = new PickingSite("load", 2, 10, 4);
        s.create(api, Map.of());
        StringBuilder rows = new StringBuilder("order,line,sku,quantity,priority,due\n");
        for (int z = 1; z <= 2; z++) {
            for (int l = 1; l <= 10; l++) {
                rows.append("LOAD-").append(z).append('-').append(l).append(",1,").append(s.sku(z, l)).append(",1,0,\n");
            }
        }
        importOrders("load", rows.toString());
        // batches of up to 4 orders: one picker's batch leaves work in its zone, so only the count of pickers
        // already there can send the next picker to the other zone; the count must see claims made a moment ago
        List<String> zones = new ArrayList<>();
        for (int p = 1; p <= 4; p++) {
            zones.add(firstTask(loggedIn(serverA, s.badge(p)).task()).path("zone").asText());
        }
        assertThat(zones).as("zones of pickers 1-4 in the order they asked")
                .containsExactlyInAnyOrder(s.zone(1), s.zone(1), s.zone(2), s.zone(2));
        assertThat(zones.get(1)).as("the second picker goes where nobody is").isNotEqualTo(zones.get(0));
    }

    // ---- concurrency ----

    @Test
    void manyPickersAskingAtOnceOnTwoServersNeverGetTheSameTask() throws Exception {
        int pickers = 40;
        PickingSite s = new PickingSite("conc", 3, 20, pickers);
        s.create(api, Map.of());
        StringBuilder csv = new StringBuilder("order,line,sku,quantity\n");
        int orders = 300;
        for (int o = 0; o < orders; o++) {
            int z = 1 + o % 3;
            csv.append("CONC-").append(o).append(",1,").append(s.sku(z, 1 + (o * 7) % 20)).append(",1\n");
            csv.append("CONC-").append(o).append(",2,").append(s.sku(z, 1 + (o * 13) % 20)).append(",2\n");
        }
        assertThat(importOrders("conc", csv.toString()).get("accepted")).isEqualTo(orders);
        int total = orders * 2;

        List<HandheldClient> hands = new ArrayList<>();
        for (int p = 1; p <= pickers; p++) {
            hands.add(loggedIn(p % 2 == 0 ? serverA : serverB, s.badge(p)));
        }
        Map<Long, String> holderOf = new ConcurrentHashMap<>();
        List<String> clashes = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(pickers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> done = new ArrayList<>();
        for (int p = 0; p < pickers; p++) {
            HandheldClient h = hands.get(p);
            String badge = s.badge(p + 1);
            done.add(pool.submit(() -> {
                go.await();
                int confirmed = 0;
                while (true) {
                    Reply r = h.task();
                    if (r.status() == 204) {
                        return confirmed;
                    }
                    assertThat(r.status()).isEqualTo(200);
                    for (JsonNode t : r.body().path("tasks")) {
                        String before = holderOf.putIfAbsent(t.path("id").asLong(), badge);
                        if (before != null && !before.equals(badge)) {
                            clashes.add(t.path("id").asLong() + " held by " + before + " and " + badge);
                        }
                    }
                    JsonNode t = r.body().path("tasks").get(0);
                    Reply c = h.confirm(HandheldClient.newActionId(), t.path("id").asLong(), t.path("location").asText(),
                            t.path("sku").asText(), t.path("remaining").asInt());
                    assertThat(c.status()).as("confirm %s", c.body()).isEqualTo(200);
                    confirmed++;
                }
            }));
        }
        go.countDown();
        int confirmed = 0;
        for (Future<Integer> f : done) {
            confirmed += f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(clashes).isEmpty();
        assertThat(confirmed).isEqualTo(total);
        assertThat(holderOf).hasSize(total);
        assertThat(count("SELECT count(*) FROM pick_tasks WHERE site = 'conc' AND state = 'done'")).isEqualTo(total);
        assertThat(count("SELECT count(*) FROM pick_actions a JOIN pick_tasks t ON t.id = a.task_id WHERE t.site = 'conc'"))
                .isEqualTo(total);
        assertThat(count("SELECT count(*) FROM orders WHERE site = 'conc' AND picked_at IS NOT NULL")).isEqualTo(orders);
        Set<String> workers = new HashSet<>(holderOf.values());
        assertThat(workers.size()).as("the work was spread").isGreaterThan(pickers / 2);
    }

    @Test
    void oneHandheldAskingSeveralTimesAtOnceGetsOneBatch() throws Exception {
        PickingSite s = new PickingSite("dbl", 1, 20, 1);
        s.create(api, Map.of());
        List<String> rows = new ArrayList<>();
        for (int l = 1; l <= 20; l++) {
            rows.add("DBL-" + l + ",1," + s.sku(1, l) + ",1,0,");
        }
        importOrders("dbl", ordersCsv(rows.toArray(String[]::new)));
        HandheldClient h = loggedIn(serverA, s.badge(1));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Reply>> asked = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            asked.add(pool.submit(() -> {
                go.await();
                return h.task();
            }));
        }
        go.countDown();
        Set<Long> batches = new HashSet<>();
        for (Future<Reply> f : asked) {
            Reply r = f.get(60, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            batches.add(r.body().path("batch").asLong());
        }
        pool.shutdown();
        assertThat(batches).as("every answer is the one batch").hasSize(1);
        assertThat(count("SELECT count(DISTINCT batch) FROM pick_tasks WHERE site = 'dbl' AND state = 'held'")).isEqualTo(1);
    }

    // ---- giving tasks back ----

    @Test
    void aCurrentTaskNotConfirmedInTimeGoesBackToThePool() throws Exception {
        PickingSite s = new PickingSite("tmo", 1, 3, 2);
        s.create(api, Map.of());
        importOrders("tmo", ordersCsv("TMO-1,1," + s.sku(1, 1) + ",1,0,", "TMO-1,2," + s.sku(1, 2) + ",1,0,"));
        HandheldClient slow = loggedIn(serverA, s.badge(1));
        JsonNode shown = firstTask(slow.task());
        long id = shown.path("id").asLong();
        assertThat(slow.task().body().path("tasks")).hasSize(2);
        await().until(() -> count("SELECT count(*) FROM pick_tasks WHERE id = " + id + " AND state = 'open'") == 1);
        // only the current task timed out: the rest of the walk is still the picker's
        assertThat(count("SELECT count(*) FROM pick_tasks WHERE site = 'tmo' AND state = 'held'")).isEqualTo(1);
        Reply late = slow.confirm(HandheldClient.newActionId(), id, s.location(1, 1), s.sku(1, 1), 1);
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.error()).contains("back to the pool");
        HandheldClient other = loggedIn(serverB, s.badge(2));
        assertThat(firstTask(other.task()).path("id").asLong()).isEqualTo(id);
    }

    @Test
    void logOutAndIdleLogOutGiveTheTasksBack() throws Exception {
        PickingSite s = new PickingSite("out", 1, 4, 2);
        s.create(api, Map.of());
        importOrders("out", ordersCsv("OUT-1,1," + s.sku(1, 1) + ",1,0,", "OUT-2,1," + s.sku(1, 2) + ",1,0,"));
        HandheldClient leaving = loggedIn(serverA, s.badge(1));
        assertThat(leaving.task().body().path("tasks")).hasSize(2);
        leaving.logout();
        assertThat(count("SELECT count(*) FROM pick_tasks WHERE site = 'out' AND state = 'open'")).isEqualTo(2);
        assertThat(leaving.task().status()).isEqualTo(401);

        HandheldClient idle = loggedIn(serverB, s.badge(2));
        assertThat(idle.task().body().path("tasks")).hasSize(2);
        // the current task's own timeout returns one task; idle log-out (later) returns the other
        await().until(() -> count("SELECT count(*) FROM pick_tasks WHERE site = 'out' AND state = 'open'") == 2
                && count("SELECT count(*) FROM picker_sessions WHERE badge = '" + s.badge(2) + "' AND end_reason = 'idle'") == 1);
        Reply after = idle.task();
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.error()).contains("scan your badge");
    }

    @Test
    void aSessionEndedByAnotherServerGetsNoNewWork() throws Exception {
        PickingSite s = new PickingSite("ses", 1, 4, 1);
        s.create(api, Map.of());
        importOrders("ses", ordersCsv("SES-1,1," + s.sku(1, 1) + ",1,0,", "SES-2,1," + s.sku(1, 2) + ",1,0,"));
        HandheldClient h = loggedIn(serverA, s.badge(1));
        assertThat(h.task().body().path("tasks")).hasSize(2);
        // what another server's idle log-out does, right after this server checked the session
        postgres.execute("UPDATE picker_sessions SET ended_at = now(), end_reason = 'idle' WHERE badge = '"
                + s.badge(1) + "' AND ended_at IS NULL");
        postgres.execute("UPDATE pick_tasks SET state = 'open', picker = NULL, batch = NULL, tote = NULL, "
                + "position = NULL, held_at = NULL, expires_at = NULL WHERE site = 'ses'");
        Reply after = h.task();
        assertThat(after.status()).as("answer %s", after.body()).isEqualTo(401);
        assertThat(count("SELECT count(*) FROM pick_tasks WHERE site = 'ses' AND state = 'held'")).isZero();
    }

    // ---- zone faults ----

    @Test
    void aFaultedConveyorStopsItsZoneAndItsTasksAreReplanned() throws Exception {
        PickingSite s = new PickingSite("flt", 2, 3, 1);
        s.create(api, Map.of(1, "flt-group/flt-edge/conveyor-1"));
        // SKU 1-1 is also stocked in zone 2: its task can move; SKU 1-2 is only in zone 1: it waits
        api.post("/api/sites/flt/locations", "location,zone,aisle,bay,level,pick_seq,sku\nFLT-ALT,Z2,A2,B9,1,500,"
                + s.sku(1, 1) + "\n", "text/csv");
        try (TestEdgeNode edge = TestEdgeNode.start(broker.url(), "flt-group", "flt-edge")) {
            edge.birth();
            long now = System.currentTimeMillis();
            edge.deviceBirth("conveyor-1", "conveyor-plc", "conveyor",
                    List.of(Metric.of("jam", now, DataType.BOOLEAN, false), Metric.of("speed", now, DataType.DOUBLE, 1.5)));
            await().until(() -> count("SELECT count(*) FROM zones WHERE site = 'flt' AND zone = 'Z1' AND NOT faulted") == 1
                    && "ONLINE".equals(api.object("/api/devices/flt-group/flt-edge/conveyor-1").get("state")));
            importOrders("flt", ordersCsv("FLT-1,1," + s.sku(1, 1) + ",1,0,", "FLT-1,2," + s.sku(1, 2) + ",1,0,"));
            HandheldClient h = loggedIn(serverA, s.badge(1));
            assertThat(h.task().body().path("tasks")).as("both in zone 1").hasSize(2);

            edge.deviceData("conveyor-1", List.of(Metric.of("jam", System.currentTimeMillis(), DataType.BOOLEAN, true)));
            await().until(() -> count("SELECT count(*) FROM zones WHERE site = 'flt' AND zone = 'Z1' AND faulted") == 1);
            assertThat(count("SELECT count(*) FROM pick_tasks WHERE order_id = 'FLT-1' AND state = 'blocked' AND zone = 'Z1'"))
                    .isEqualTo(1);
            assertThat(count("SELECT count(*) FROM pick_tasks WHERE order_id = 'FLT-1' AND location = 'FLT-ALT' AND state = 'open'"))
                    .isEqualTo(1);
            JsonNode moved = firstTask(h.task());
            assertThat(moved.path("location").asText()).isEqualTo("FLT-ALT");
            assertThat(h.task().body().path("tasks")).as("nothing from the faulted zone").hasSize(1);
            List<Map<String, Object>> zones = api.list("/api/sites/flt/zones");
            assertThat(zones.get(0).get("faulted")).isEqualTo(true);
            assertThat((String) zones.get(0).get("faultReason")).contains("jam");

            edge.deviceData("conveyor-1", List.of(Metric.of("jam", System.currentTimeMillis(), DataType.BOOLEAN, false)));
            await().until(() -> count("SELECT count(*) FROM pick_tasks WHERE order_id = 'FLT-1' AND state = 'open' AND zone = 'Z1'") == 1);

            // the conveyor going offline is a fault too
            edge.deviceDeath("conveyor-1");
            await().until(() -> count("SELECT count(*) FROM zones WHERE site = 'flt' AND zone = 'Z1' AND faulted") == 1);
        }
    }
}
