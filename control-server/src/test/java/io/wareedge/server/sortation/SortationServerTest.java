package io.wareedge.server.sortation;

import io.wareedge.sparkplug.MessageCallback;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.wareedge.sortation.Decision;
import io.wareedge.sortation.Outcome;
import io.wareedge.sortation.Reason;
import io.wareedge.sortation.SortEvent;
import io.wareedge.sortation.SortJson;
import io.wareedge.sortation.SortPlan;
import io.wareedge.server.testing.ServerUnderTest;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;


import org.eclipse.paho.mqttv5.client.MqttClient;

import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server side of sortation against a real PostgreSQL and a real broker: plans through the API, snapshots
 * published retained for the edge, sort events as an edge agent sends them, counts through the API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SortationServerTest {
    private static final String SITE = "dc";
    private static final String LAYOUT = """
            {"chutes": [{"number": 1, "destinations": ["DHL"]}, {"number": 2, "destinations": ["DHL"]},
                        {"number": 3, "destinations": ["UPS"]}, {"number": 99, "destinations": []}],
             "rejectChute": 99, "maxRecirculations": 2, "noRead": "reject", "unknownCode": "recirculate",
             "multiRead": "reject"}""";

    @TempDir
    static Path dir;

    private ServerUnderTest services;
    private MqttClient edge;
    private final Map<String, SortPlan> plans = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @BeforeAll
    void start() throws Exception {
        services = ServerUnderTest.start(dir, Map.of());
        edge = new MqttClient(services.broker().url(), "test-edge", new MemoryPersistence());
        edge.setCallback(new MessageCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                if (message.getPayload().length > 0) {
                    SortPlan p = SortJson.readPlanSnapshot(message.getPayload());
                    plans.merge(topic, p, (a, b) -> b.version() >= a.version() ? b : a);
                }
            }

        });
        edge.connect();
        edge.subscribe(new String[]{"wareedge/+/sortplan/+"}, new int[]{1});
        await().until(() -> Boolean.TRUE.equals(services.api().object("/api/ingest/health").get("connected")));
    }

    @AfterAll
    void stop() throws Exception {
        if (edge != null) {
            edge.disconnect();
        }
        if (services != null) {
            services.close();
        }
    }

    static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(HttpClientResponseException.class);
    }

    private int send(io.micronaut.http.MutableHttpRequest<?> request) {
        return services.api().status(request.basicAuth(services.server().adminUser(), services.server().adminPassword()));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> post(io.micronaut.http.MutableHttpRequest<?> request) {
        return services.api().raw().retrieve(request.basicAuth(services.server().adminUser(), services.server().adminPassword()), Map.class);
    }

    private void layout(String sorter) {
        assertThat(send(HttpRequest.PUT("/api/sites/" + SITE + "/sorters/" + sorter + "/layout", LAYOUT)
                .contentType(MediaType.APPLICATION_JSON_TYPE))).isEqualTo(200);
    }

    private SortPlan plan(String sorter) {
        return plans.get("wareedge/" + SITE + "/sortplan/" + sorter);
    }

    @Test
    void badLayoutsAreRefusedWithTheRuleBroken() {
        String noReject = LAYOUT.replace("\"rejectChute\": 99", "\"rejectChute\": 42");
        HttpClientResponseException e = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> post(HttpRequest.PUT("/api/sites/dc/sorters/bad/layout", noReject)
                        .contentType(MediaType.APPLICATION_JSON_TYPE)));
        assertThat(e.getStatus().getCode()).isEqualTo(400);
        assertThat(e.getResponse().getBody(String.class).orElse("")).contains("reject chute 42");
        assertThat(send(HttpRequest.PUT("/api/sites/dc/sorters/bad/layout",
                "{\"chutes\": [{\"number\": 0}], \"rejectChute\": 0}").contentType(MediaType.APPLICATION_JSON_TYPE)))
                .isEqualTo(400);
        assertThat(send(HttpRequest.GET("/api/sites/dc/sorters/bad/layout"))).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void uploadedCodesAndOrdersReachTheEdgeAsRetainedSnapshotsWithRisingVersions() {
        layout("s-plan");
        await().until(() -> plan("s-plan") != null);
        long v1 = plan("s-plan").version();
        Map<String, Object> upload = post(HttpRequest.POST("/api/sites/dc/sorters/s-plan/plan/codes", """
                code,destination
                P-1,DHL
                P-2,UPS
                bad code,DHL
                P-3,FEDEX
                """).contentType("text/csv"));
        assertThat(upload.get("accepted")).isEqualTo(2);
        List<Map<String, Object>> rejected = (List<Map<String, Object>>) upload.get("rejected");
        assertThat(rejected).extracting(r -> r.get("row")).containsExactly(2, 3);
        assertThat((String) rejected.get(0).get("reason")).contains("malformed code");
        assertThat((String) rejected.get(1).get("reason")).contains("FEDEX");
        Map<String, Object> orders = post(HttpRequest.POST("/api/orders", """
                [{"id": "O-1", "site": "dc", "destination": "UPS", "codes": ["U-1", "U-2"]},
                 {"id": "O-2", "site": "dc", "destination": "DHL", "codes": ["bad code"]},
                 {"id": "O-3", "site": "dc", "destination": "DHL", "codes": ["P-2"]}]""")
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertThat(orders.get("accepted")).isEqualTo(2);
        await().until(() -> plan("s-plan").destinationByCode().containsKey("U-2"));
        SortPlan p = plan("s-plan");
        assertThat(p.version()).isGreaterThan(v1);
        assertThat(p.destinationByCode()).containsEntry("P-1", "DHL").containsEntry("U-1", "UPS")
                .containsEntry("P-2", "UPS") // the uploaded assignment wins over order O-3
                .doesNotContainKey("bad code");
        assertThat(send(HttpRequest.POST("/api/sites/dc/sorters/nope/plan/codes", "[]")
                .contentType(MediaType.APPLICATION_JSON_TYPE))).isEqualTo(404);
    }

    private static String batch(String agent, List<Map.Entry<Long, SortEvent>> events) {
        StringBuilder sb = new StringBuilder("{\"agent\":\"" + agent + "\",\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            var node = SortJson.event(events.get(i).getValue());
            node.put("id", events.get(i).getKey());
            sb.append(i == 0 ? "" : ",").append(node);
        }
        return sb.append("]}").toString();
    }

    private void publish(String topic, String payload) throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        edge.publish(topic, m);
    }

    private Map.Entry<Long, SortEvent> decided(String sorter, long seq, int pass, int chute, Reason reason,
                                               String code, String destination, long at, String... codes) {
        return Map.entry(ids.incrementAndGet(), new SortEvent.Decided(sorter, new Decision(seq, pass, chute, reason, code,
                destination, 1), List.of(codes), at, at + 1));
    }

    private Map.Entry<Long, SortEvent> completed(String sorter, long seq, int pass, int chute, Outcome outcome,
                                                 String destination, boolean correct, long at) {
        return Map.entry(ids.incrementAndGet(), new SortEvent.Completed(sorter, seq, pass, chute, outcome, destination,
                correct, at));
    }

    @Test
    @SuppressWarnings("unchecked")
    void sortEventsBecomeCountsItemsAndOrderProgressAndAReplayChangesNothing() throws Exception {
        layout("s-count");
        post(HttpRequest.POST("/api/orders", "{\"id\": \"O-9\", \"site\": \"dc\", \"destination\": \"DHL\", \"codes\": [\"A-1\", \"A-2\"]}")
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        long t = Instant.parse("2026-11-24T08:00:10Z").toEpochMilli();
        long m2 = Instant.parse("2026-11-24T08:01:05Z").toEpochMilli();
        List<Map.Entry<Long, SortEvent>> events = new ArrayList<>(List.of(
                decided("s-count", 1, 0, 1, Reason.PLAN, "A-1", "DHL", t, "A-1"),
                completed("s-count", 1, 0, 1, Outcome.DIVERTED, "DHL", true, t + 2000),
                decided("s-count", 2, 0, 0, Reason.CHUTES_UNAVAILABLE, "A-2", "DHL", t, "A-2"),
                completed("s-count", 2, 0, 0, Outcome.RECIRCULATED, "DHL", false, t + 2000),
                decided("s-count", 2, 1, 3, Reason.PLAN, "A-2", "DHL", m2, "A-2"), // a wrong chute, on purpose
                completed("s-count", 2, 1, 3, Outcome.DIVERTED, "DHL", false, m2 + 2000),
                decided("s-count", 3, 0, 99, Reason.NO_READ, null, null, t),
                completed("s-count", 3, 0, 99, Outcome.DIVERTED, null, false, t + 2000),
                decided("s-count", 4, 0, 99, Reason.MULTI_READ, null, null, m2, "A-1", "X-9"),
                completed("s-count", 4, 0, 99, Outcome.DIVERTED, null, false, m2 + 1000),
                decided("s-count", 5, 0, 1, Reason.PLAN, "A-1", "DHL", m2, "A-1"),
                completed("s-count", 5, 0, 1, Outcome.MISSED, "DHL", false, m2 + 1000)));
        String payload = batch("gw-1", events);
        long before = ((Number) services.api().object("/api/ingest/health").get("sortEventsStored")).longValue();
        publish("wareedge/dc/gw-1/events/sort", payload);
        await().until(() -> ((Number) services.api().object("/api/ingest/health").get("sortEventsStored")).longValue() == before + 12);
        publish("wareedge/dc/gw-1/events/sort", payload); // redelivered: nothing changes
        await().until(() -> ((Number) services.api().object("/api/ingest/health").get("sortEventDuplicates")).longValue() >= 12);

        Map<String, Object> stats = services.api().object("/api/sites/dc/sorters/s-count/stats?bucket=minute"
                + "&from=2026-11-24T08:00:00Z&to=2026-11-24T09:00:00Z");
        Map<String, Object> totals = (Map<String, Object>) stats.get("totals");
        assertThat(totals).containsEntry("inducted", 5).containsEntry("decisions", 6).containsEntry("recirculated", 1)
                .containsEntry("rejected", 2).containsEntry("noReads", 1).containsEntry("multiReads", 1)
                .containsEntry("results", 6).containsEntry("sorted", 2).containsEntry("missed", 1)
                .containsEntry("withDestination", 2).containsEntry("correct", 1).containsEntry("accuracy", 0.5);
        List<Map<String, Object>> buckets = (List<Map<String, Object>>) stats.get("buckets");
        assertThat(buckets).hasSize(2);
        assertThat((Map<String, Object>) buckets.get(0).get("counts")).containsEntry("inducted", 3);
        assertThat((Map<String, Object>) stats.get("byReason")).containsEntry("plan", 3).containsEntry("no-read", 1);

        Map<String, Object> item = services.api().object("/api/sites/dc/sorters/s-count/items/2");
        List<Map<String, Object>> passes = (List<Map<String, Object>>) item.get("passes");
        assertThat(passes).extracting(p -> p.get("reason")).containsExactly("chutes-unavailable", "plan");
        assertThat(passes.get(1)).containsEntry("outcome", "diverted").containsEntry("resultChute", 3);

        Map<String, Object> order = services.api().object("/api/orders/O-9");
        assertThat(order).containsEntry("state", "open").doesNotContainKey("sortedAt");
        assertThat((List<Map<String, Object>>) order.get("units")).extracting(u -> u.get("state"))
                .containsExactly("inducted", "missorted"); // A-1 last seen missed on item 5; A-2 in chute 3
    }

    @Test
    void badEventsAreDeadLetteredAndTheRestOfTheBatchGoesIn() throws Exception {
        layout("s-bad");
        long t = System.currentTimeMillis();
        var good = SortJson.event(decided("s-bad", 7, 0, 1, Reason.PLAN, "A-1", "DHL", t, "A-1").getValue()).put("id", 1);
        String payload = "{\"agent\":\"gw-1\",\"events\":[" + good + ",{\"id\":2,\"type\":\"decided\",\"sorter\":\"s-bad\"}]}";
        long dead = ((Number) services.api().object("/api/ingest/health").get("deadLetters")).longValue();
        publish("wareedge/dc/gw-1/events/sort", payload);
        publish("wareedge/dc/gw-1/events/sort", "not json");
        await().until(() -> ((Number) services.api().object("/api/ingest/health").get("deadLetters")).longValue() >= dead + 2
                && services.api().status(HttpRequest.GET("/api/sites/dc/sorters/s-bad/items/7")
                .basicAuth(services.server().adminUser(), services.server().adminPassword())) == 200);
        assertThat(services.api().list("/api/dead-letters?limit=50")).anySatisfy(d -> assertThat(d.get("kind")).isEqualTo("BAD_SORT_EVENT"))
                .anySatisfy(d -> assertThat(d.get("kind")).isEqualTo("BAD_SORT_EVENTS"));
    }

    @Test
    void statsRefuseBadRangesAndUnknownSorters() {
        layout("s-range");
        assertThat(send(HttpRequest.GET("/api/sites/dc/sorters/s-range/stats?from=2026-11-24T09:00:00Z&to=2026-11-24T08:00:00Z"))).isEqualTo(400);
        assertThat(send(HttpRequest.GET("/api/sites/dc/sorters/s-range/stats?from=yesterday"))).isEqualTo(400);
        assertThat(send(HttpRequest.GET("/api/sites/dc/sorters/s-range/stats?bucket=week"))).isEqualTo(400);
        assertThat(send(HttpRequest.GET("/api/sites/dc/sorters/no-such/stats"))).isEqualTo(404);
        assertThat(send(HttpRequest.GET("/api/sites/dc/sorters/s-range/stats"))).isEqualTo(200);
    }

    @Test
    void interlockEventsFromTheEdgeAreStoredOnceAndListed() throws Exception {
        String event = "{\"id\":41,\"rule\":\"jam-on-2-stops-1\",\"device\":\"seg-2\",\"resource\":\"jam\","
                + "\"value\":\"true\",\"firedAt\":" + System.currentTimeMillis()
                + ",\"actions\":[{\"device\":\"seg-1\",\"command\":\"stop\",\"result\":\"Good\"}]}";
        String batch = "{\"agent\":\"gw-rules\",\"events\":[" + event + "]}";
        publish("wareedge/dc/gw-rules/events/interlock", batch);
        publish("wareedge/dc/gw-rules/events/interlock", batch); // a replay after a reconnect
        await().until(() -> services.api().list("/api/sites/dc/edge-events?kind=interlock").size() == 1);
        Map<String, Object> stored = services.api().list("/api/sites/dc/edge-events?kind=interlock").get(0);
        assertThat(stored).containsEntry("agent", "gw-rules").containsEntry("id", 41);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) stored.get("event");
        assertThat(body).containsEntry("rule", "jam-on-2-stops-1");
        long dead = ((Number) services.api().object("/api/ingest/health").get("deadLetters")).longValue();
        publish("wareedge/dc/gw-rules/events/interlock", "{\"agent\":\"gw-rules\",\"events\":[{\"rule\":\"no id\"}]}");
        await().until(() -> ((Number) services.api().object("/api/ingest/health").get("deadLetters")).longValue() > dead);
    }
}
