package io.wareedge.server.alerts;

import io.wareedge.embedded.Closing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.server.ControlServer;
import io.wareedge.server.testing.SseClient;
import io.wareedge.server.testing.TestControlServers;
import io.wareedge.server.testing.TestEdgeNode;
import io.wareedge.server.testing.TestPostgres;
import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.Metric;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alert rules and the alert lifecycle against a real broker, a real PostgreSQL and a real control server, fed by a
 * Sparkplug edge node: every rule type (equality, threshold with hold and deadband, rate of change, stale data,
 * device offline, KPI), acknowledge / clear / close, latching, shelving, out of service, chattering, a flood,
 * suppression by design, escalation, the live stream's resume, and webhook retries. Each test uses devices of its
 * own, in an area of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertServerTest {
    private static final String PROFILE = "alert-test-unit";
    private static final String SECRET = "webhook-secret-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private TestPostgres postgres;
    private EmbeddedMqttBroker broker;
    private ControlServer server;
    private TestEdgeNode node;
    private HttpClient http;
    private HttpServer hooks;
    private HttpServer hangingHook;
    private final List<String> flakyBodies = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> flakyAttempts = new ConcurrentHashMap<>();
    private final AtomicInteger hangingCalls = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        postgres = TestPostgres.start();
        broker = EmbeddedMqttBroker.start(dir.resolve("broker"), 0);
        hooks = flakyReceiver();
        hangingHook = hangingReceiver();
        String hooksUrl = "http://127.0.0.1:" + hooks.getAddress().getPort();
        String hangingUrl = "http://127.0.0.1:" + hangingHook.getAddress().getPort();
        Map<String, Object> p = new HashMap<>();
        p.put("wareedge.alerts.profile-dirs", List.of(Path.of(getClass().getResource("/alert-profiles").toURI()).toString()));
        p.put("wareedge.alerts.tick", "50ms");
        p.put("wareedge.alerts.chatter-window", "3s");
        p.put("wareedge.alerts.chatter-count", "3");
        p.put("wareedge.alerts.flood-limit", "5");
        p.put("wareedge.alerts.flood-window", "4s");
        p.put("wareedge.alerts.escalate-after", "2s");
        p.put("wareedge.alerts.consequence-delay", "300ms");
        p.put("wareedge.alerts.kpi-interval", "300ms");
        // application.yml's lists are merged by index: [0] suppresses segmentStopped while an emergency stop is
        // active; kpi-rules[1] is the no-read rule, tuned here to judge a small window.
        p.put("wareedge.alerts.kpi-rules[1].above", "0.1");
        p.put("wareedge.alerts.kpi-rules[1].window", "1h");
        p.put("wareedge.alerts.kpi-rules[1].min-items", "50");
        p.put("wareedge.alerts.kpi-rules[1].deadband", "0.02");
        p.put("wareedge.alerts.webhooks[0].name", "flaky");
        p.put("wareedge.alerts.webhooks[0].url", hooksUrl + "/flaky");
        p.put("wareedge.alerts.webhooks[0].secret", SECRET);
        p.put("wareedge.alerts.webhooks[0].initial-backoff", "50ms");
        p.put("wareedge.alerts.webhooks[0].max-attempts", "5");
        p.put("wareedge.alerts.webhooks[1].name", "hanging");
        p.put("wareedge.alerts.webhooks[1].url", hangingUrl + "/hanging");
        p.put("wareedge.alerts.webhooks[1].secret", SECRET);
        p.put("wareedge.alerts.webhooks[1].timeout", "300ms");
        p.put("wareedge.alerts.webhooks[1].max-attempts", "2");
        p.put("wareedge.alerts.webhooks[1].initial-backoff", "50ms");
        p.put("wareedge.alerts.webhooks[1].min-severity", "red");
        server = TestControlServers.start(broker.url(), postgres.server(), p);
        node = TestEdgeNode.start(broker.url(), "alerts", "gw-1");
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    void stop() throws Exception {
        for (HttpServer h : new HttpServer[]{hooks, hangingHook}) {
            if (h != null) {
                h.stop(0);
            }
        }
        Closing.all(node, server, broker, postgres);
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    @Test
    void aJamIsRaisedOnceAcknowledgedClearedAndClosedWithItsAuditTrail() throws Exception {
        String source = birth("jam-1", "area-jam");
        data("jam-1", bool("jam", true));
        JsonNode alert = awaitOpen(source, "jam");
        assertThat(alert.path("state").asText()).isEqualTo("active");
        assertThat(alert.path("severity").asText()).isEqualTo("red");
        assertThat(alert.path("area").asText()).isEqualTo("area-jam");
        data("jam-1", bool("jam", true)); // the same fault again: no second alert
        long id = alert.path("id").asLong();

        assertThat(post("/api/alerts/" + id + "/acknowledge", "{\"comment\":\"on my way\"}").statusCode()).isEqualTo(200);
        assertThat(get("/api/alerts/" + id).path("state").asText()).isEqualTo("acknowledged");
        data("jam-1", bool("jam", false));
        await().until(() -> get("/api/alerts/" + id).path("state").asText().equals("closed"));

        List<String> actions = actions(id);
        assertThat(actions).containsExactly("raised", "acknowledged", "cleared", "closed");
        JsonNode history = get("/api/alerts/" + id + "/history");
        assertThat(history.get(1).path("actor").asText()).isEqualTo(server.adminUser());
        assertThat(history.get(1).path("comment").asText()).isEqualTo("on my way");
        assertThat(alerts("all", source, "jam")).hasSize(1);

        JsonNode byArea = get("/api/alerts/stats?by=area");
        JsonNode mine = null;
        for (JsonNode row : byArea) {
            if (row.path("key").asText().equals("area-jam")) {
                mine = row;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.path("raised").asLong()).isEqualTo(1);
        assertThat(mine.path("acknowledged").asLong()).isEqualTo(1);
        Instant raisedAt = Instant.parse(alert.path("raisedAt").asText());
        JsonNode closed = get("/api/alerts/" + id);
        double mtta = Duration.between(raisedAt, Instant.parse(closed.path("ackedAt").asText())).toMillis() / 1000.0;
        double mttr = Duration.between(raisedAt, Instant.parse(closed.path("closedAt").asText())).toMillis() / 1000.0;
        assertThat(mine.path("mttaSeconds").asDouble()).isCloseTo(mtta, org.assertj.core.data.Offset.offset(0.01));
        assertThat(mine.path("mttrSeconds").asDouble()).isCloseTo(mttr, org.assertj.core.data.Offset.offset(0.01));
        assertThat(get("/api/alerts/stats?by=nothing").path("error").asText()).contains("device, area or rule");
    }

    @Test
    void aLatchingAlertThatClearsUnacknowledgedStaysUntilAcknowledgedAndANonLatchingOneCloses() throws Exception {
        String source = birth("latch-1", "area-latch");
        data("latch-1", bool("jam", true));
        long jam = awaitOpen(source, "jam").path("id").asLong();
        data("latch-1", bool("jam", false));
        await().until(() -> get("/api/alerts/" + jam).path("state").asText().equals("cleared"));
        assertThat(get("/api/alerts/" + jam).path("active").asBoolean()).isFalse();
        assertThat(post("/api/alerts/" + jam + "/acknowledge", "{}").statusCode()).isEqualTo(200);
        assertThat(get("/api/alerts/" + jam).path("state").asText()).isEqualTo("closed");

        long t = System.currentTimeMillis();
        data("latch-1", List.of(Metric.of("temperature", t, DataType.FLOAT, 20f)));
        data("latch-1", List.of(Metric.of("temperature", t + 1000, DataType.FLOAT, 25f)));
        long heating = awaitOpen(source, "heating").path("id").asLong();
        data("latch-1", List.of(Metric.of("temperature", t + 2000, DataType.FLOAT, 25.5f)));
        await().until(() -> get("/api/alerts/" + heating).path("state").asText().equals("closed"));
        assertThat(actions(heating)).containsExactly("raised", "cleared", "closed");
    }

    @Test
    void aThresholdWaitsForItsHoldTimeAndClearsOnlyPastItsDeadband() throws Exception {
        String source = birth("amps-1", "area-amps");
        data("amps-1", flt("current", 13f));
        JsonNode alert = awaitOpen(source, "overcurrent");
        long held = Duration.between(Instant.parse(alert.path("conditionSince").asText()),
                Instant.parse(alert.path("raisedAt").asText())).toMillis();
        assertThat(held).as("raised only after the 1 s hold").isGreaterThanOrEqualTo(1000);
        assertThat(alert.path("value").asText()).startsWith("13");
        long id = alert.path("id").asLong();
        data("amps-1", flt("current", 11.5f)); // inside the 1 A deadband below 12
        data("amps-1", flt("current", 12.5f));
        data("amps-1", flt("current", 11.2f));
        await().during(Duration.ofMillis(500)).until(() -> get("/api/alerts/" + id).path("active").asBoolean());
        data("amps-1", flt("current", 10.5f));
        await().until(() -> get("/api/alerts/" + id).path("state").asText().equals("closed"));
    }

    @Test
    void staleDataAndAnOfflineDeviceRaiseAndClear() throws Exception {
        String source = birth("quiet-1", "area-quiet");
        data("quiet-1", List.of(Metric.of("heartbeat", System.currentTimeMillis(), DataType.INT32, 1)));
        long stale = awaitOpen(source, "heartbeatStale").path("id").asLong();
        data("quiet-1", List.of(Metric.of("heartbeat", System.currentTimeMillis(), DataType.INT32, 2)));
        await().until(() -> get("/api/alerts/" + stale).path("state").asText().equals("closed"));

        node.deviceDeath("quiet-1");
        JsonNode offline = awaitOpen(source, "unitOffline");
        assertThat(offline.path("severity").asText()).isEqualTo("red");
        birth("quiet-1", "area-quiet");
        await().until(() -> get("/api/alerts/" + offline.path("id").asLong()).path("state").asText().equals("closed"));
        // the registry keeps the device's history for availability: born, dead, born again
        assertThat(postgres.scalar("SELECT count(*) FROM device_state_changes c JOIN devices d ON d.id = c.device_id"
                + " WHERE d.device_id = 'quiet-1'")).isEqualTo(3);
    }

    @Test
    void aDeviceDeclaredDeadBeforeItWasEverHeardIsLeftToStalenessNotRaisedAtOnce() throws Exception {
        // An agent at its start births its devices and declares dead those it has not heard from yet.
        String source = birth("unheard-1", "area-unheard");
        node.deviceDeath("unheard-1");
        await().during(Duration.ofMillis(2_000)).atMost(Duration.ofSeconds(5))
                .until(() -> alerts("all", source, "unitOffline").isEmpty());
    }

    @Test
    void aKpiRuleRaisesOnASortersNoReadRateAndClearsWhenItRecovers() throws Exception {
        postgres.execute("INSERT INTO sorters (site, sorter, layout, reject_chute) VALUES ('kpi-site', 'kpi-sorter', '{}', 0)");
        insertDecisions(0, 100, 20); // 20 % no-reads
        JsonNode alert = awaitOpen("sorter:kpi-site/kpi-sorter", "noReadRateHigh");
        assertThat(alert.path("ruleSource").asText()).isEqualTo("kpi");
        assertThat(Double.parseDouble(alert.path("value").asText())).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.001));
        insertDecisions(100, 500, 0); // 20 of 500: 4 %, past the deadband
        await().until(() -> get("/api/alerts/" + alert.path("id").asLong()).path("state").asText().equals("closed"));
    }

    // ------------------------------------------------------------------------------------------------ ISA-18.2 ideas

    @Test
    void aChatteringConditionEndsUpAsOneAlertCountingItsOccurrences() throws Exception {
        String source = birth("chatter-1", "area-chatter");
        long t = System.currentTimeMillis();
        float temperature = 20;
        data("chatter-1", List.of(Metric.of("temperature", t, DataType.FLOAT, temperature)));
        for (int i = 1; i <= 12; i++) {
            temperature += i % 2 == 1 ? 5 : 0; // rises fast, then holds: the rate alarm raises and clears
            data("chatter-1", List.of(Metric.of("temperature", t + i * 1000L, DataType.FLOAT, temperature)));
        }
        await().until(() -> alerts("all", source, "heating").stream().anyMatch(a -> a.path("chattering").asBoolean()));
        List<JsonNode> all = alerts("all", source, "heating");
        assertThat(all).as("at most chatter-count alerts, the last one chattering").hasSizeLessThanOrEqualTo(3);
        JsonNode chattering = all.stream().filter(a -> a.path("chattering").asBoolean()).findFirst().orElseThrow();
        assertThat(chattering.path("occurrences").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(chattering.path("state").asText()).as("held open while it chatters").isEqualTo("cleared");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                get("/api/alerts/" + chattering.path("id").asLong()).path("state").asText().equals("closed"));
    }

    @Test
    void aFloodInOneAreaRaisesOneFloodAlertAndHoldsTheRestBehindIt() throws Exception {
        List<String> sources = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            sources.add(birth("flood-" + i, "area-flood"));
        }
        for (int i = 1; i <= 8; i++) {
            data("flood-" + i, bool("jam", true));
            String s = sources.get(i - 1);
            awaitOpen(s, "jam");
        }
        JsonNode flood = awaitOpen("area:area-flood", "flood");
        assertThat(flood.path("severity").asText()).isEqualTo("red");
        List<JsonNode> held = new ArrayList<>();
        for (String s : sources) {
            JsonNode a = alerts("open", s, "jam").get(0);
            if (a.path("suppressedBy").asText("").equals("flood:area-flood")) {
                held.add(a);
            }
        }
        assertThat(held).as("the 7th and 8th alerts wait behind the flood alert").hasSize(2);
        // No new alerts for the window: the flood ends and the held alerts show.
        await().atMost(Duration.ofSeconds(15)).until(() ->
                get("/api/alerts/" + flood.path("id").asLong()).path("state").asText().equals("closed"));
        for (JsonNode a : held) {
            JsonNode now = get("/api/alerts/" + a.path("id").asLong());
            assertThat(now.has("suppressedBy")).isFalse();
            assertThat(actions(a.path("id").asLong())).contains("unsuppressed");
        }
    }

    @Test
    void anEmergencyStopSuppressesItsSegmentsStoppedAlertsUntilItIsReleased() throws Exception {
        String line = birth("estop-line", "area-estop");
        String segment = birth("estop-seg", "area-estop");
        long before = counters().path("suppressedByDesign").asLong();
        data("estop-line", bool("estop", true));
        awaitOpen(line, "emergencyStop");
        data("estop-seg", bool("running", false));
        await().until(() -> counters().path("suppressedByDesign").asLong() > before);
        assertThat(alerts("all", segment, "segmentStopped")).isEmpty();

        data("estop-line", bool("estop", false));
        JsonNode stopped = awaitOpen(segment, "segmentStopped");
        assertThat(stopped.path("severity").asText()).isEqualTo("yellow");
        data("estop-seg", bool("running", true));
        await().until(() -> get("/api/alerts/" + stopped.path("id").asLong()).path("state").asText().equals("closed"));
    }

    @Test
    void aRedAlertNobodyAcknowledgesIsEscalated() throws Exception {
        String source = birth("esc-1", "area-esc");
        data("esc-1", bool("jam", true));
        long id = awaitOpen(source, "jam").path("id").asLong();
        await().until(() -> get("/api/alerts/" + id).has("escalatedAt"));
        assertThat(actions(id)).containsExactly("raised", "escalated");
        assertThat(post("/api/alerts/" + id + "/resolve", "{\"comment\":\"cleared the belt\"}").statusCode()).isEqualTo(200);
        assertThat(actions(id)).containsExactly("raised", "escalated", "acknowledged", "closed");
    }

    @Test
    void shelvingNeedsAReasonAndAFutureExpiryAndEndsByItself() throws Exception {
        String source = birth("shelf-1", "area-shelf");
        data("shelf-1", bool("jam", true));
        long id = awaitOpen(source, "jam").path("id").asLong();
        assertThat(post("/api/alerts/" + id + "/shelve", "{\"forDuration\":\"1h\"}").statusCode()).isEqualTo(400);
        assertThat(post("/api/alerts/" + id + "/shelve", "{\"reason\":\"known\",\"until\":\"2020-01-01T00:00:00Z\"}")
                .statusCode()).isEqualTo(400);
        assertThat(post("/api/alerts/" + id + "/shelve", "{\"reason\":\"known\",\"forDuration\":\"30d\"}").statusCode())
                .isEqualTo(400);
        HttpResponse<String> shelved = post("/api/alerts/" + id + "/shelve", "{\"reason\":\"belt replaced at 14:00\","
                + "\"forDuration\":\"1s\"}");
        assertThat(shelved.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(shelved.body()).path("shelveReason").asText()).isEqualTo("belt replaced at 14:00");
        await().until(() -> actions(id).contains("unshelved"));
        assertThat(get("/api/alerts/" + id).has("shelvedUntil")).isFalse();

        assertThat(post("/api/alerts/999999/acknowledge", "{}").statusCode()).isEqualTo(404);
        assertThat(post("/api/alerts/" + id + "/comments", "{\"comment\":\"  \"}").statusCode()).isEqualTo(400);
        assertThat(post("/api/alerts/" + id + "/resolve", "{}").statusCode()).isEqualTo(200);
        HttpResponse<String> again = post("/api/alerts/" + id + "/acknowledge", "{}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("closed");
    }

    @Test
    void aDeviceOutOfServiceRaisesNothingUntilItIsBack() throws Exception {
        String source = birth("oos-1", "area-oos");
        assertThat(post("/api/alerts/out-of-service", "{\"source\":\"" + source + "\"}").statusCode()).isEqualTo(400);
        assertThat(post("/api/alerts/out-of-service", "{\"source\":\"alerts/gw-1/nothing\",\"reason\":\"x\"}")
                .statusCode()).isEqualTo(404);
        assertThat(post("/api/alerts/out-of-service", "{\"source\":\"" + source + "\",\"reason\":\"motor swap\"}")
                .statusCode()).isEqualTo(204);
        long before = counters().path("suppressedOutOfService").asLong();
        data("oos-1", bool("jam", true));
        await().until(() -> counters().path("suppressedOutOfService").asLong() > before);
        assertThat(alerts("all", source, "jam")).isEmpty();

        HttpResponse<String> back = http.send(request("/api/alerts/out-of-service?source="
                + URLEncoder.encode(source, StandardCharsets.UTF_8)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(back.statusCode()).isEqualTo(204);
        assertThat(awaitOpen(source, "jam").path("state").asText()).isEqualTo("active");
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: its thousands of events would queue ahead of other tests' webhook deliveries
    void aStormOfTenThousandRawConditionsIsCountedInFullWhileTheServerStaysResponsive() throws Exception {
        int devices = 50;
        int messages = 10_000;
        List<String> sources = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            sources.add(birth("storm-" + d, "area-storm"));
        }
        List<Long> healthMillis = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread prober = new Thread(() -> {
            while (probing.get()) {
                long t0 = System.nanoTime();
                try {
                    counters();
                } catch (Exception e) {
                    healthMillis.add(Long.MAX_VALUE);
                }
                healthMillis.add((System.nanoTime() - t0) / 1_000_000);
            }
        }, "test-health-prober");
        prober.start();
        long t0 = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            // each device toggles: jam, clear, jam, clear... (100 jams per device)
            data("storm-" + (i % devices), bool("jam", (i / devices) % 2 == 0));
        }
        long sentMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(sentMillis).as("10,000 raw conditions within a minute").isLessThan(60_000);
        int jamsPerDevice = messages / devices / 2;
        // A latching jam nobody acknowledged stays open: every later jam on the device comes back to it, so its
        // occurrences count every jam sent, none lost and none doubled.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (String s : sources) {
                List<JsonNode> all = alerts("all", s, "jam");
                if (all.size() != 1 || all.get(0).path("occurrences").asInt() != jamsPerDevice
                        || all.get(0).path("active").asBoolean()) {
                    return false;
                }
            }
            return true;
        });
        probing.set(false);
        prober.join();
        long[] sorted = healthMillis.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("storm: %,d raw conditions sent in %,d ms; %d health calls meanwhile, median %d ms, slowest %d ms%n",
                messages, sentMillis, sorted.length, sorted[sorted.length / 2], sorted[sorted.length - 1]);
        assertThat(sorted.length).isGreaterThan(10);
        assertThat(sorted[sorted.length - 1]).as("the API answered throughout (slowest health call, ms)").isLessThan(2_000);
        assertThat(get("/api/ingest/health").path("deadLetters").asLong(0)).isZero();
    }

    // ------------------------------------------------------------------------------------------------ feeds

    @Test
    void theStreamResumesAfterADisconnectWithEveryEventOnceAndInOrder() throws Exception {
        String source = birth("sse-1", "area-sse");
        SseClient first = new SseClient(url("/api/alerts/stream"), server.adminUser(), TestControlServers.ADMIN_PASSWORD, null);
        await().until(() -> first.status() == 200);
        data("sse-1", bool("jam", true));
        long id = awaitOpen(source, "jam").path("id").asLong();
        await().until(() -> first.events().stream().anyMatch(e -> e.data().contains("\"alertId\":" + id)));
        long lastSeen = first.events().stream().mapToLong(SseClient.Received::id).max().orElseThrow();
        first.close();

        // While the client is away: acknowledged, cleared, closed.
        post("/api/alerts/" + id + "/acknowledge", "{}");
        data("sse-1", bool("jam", false));
        await().until(() -> get("/api/alerts/" + id).path("state").asText().equals("closed"));

        try (SseClient resumed = new SseClient(url("/api/alerts/stream"), server.adminUser(),
                TestControlServers.ADMIN_PASSWORD, Long.toString(lastSeen))) {
            await().until(() -> resumed.events().stream().anyMatch(e -> e.data().contains("\"alertId\":" + id)
                    && "closed".equals(e.name())));
            List<SseClient.Received> mine = resumed.events().stream()
                    .filter(e -> e.data().contains("\"alertId\":" + id)).toList();
            assertThat(mine).extracting(SseClient.Received::name).containsExactly("acknowledged", "cleared", "closed");
            List<Long> ids = resumed.events().stream().filter(e -> e.id() >= 0).map(SseClient.Received::id).toList();
            assertThat(ids).isSorted().doesNotHaveDuplicates().allMatch(i -> i > lastSeen);
        }
    }

    @Test
    void webhooksAreRetriedWithBackoffSignedAndLoggedAndAHangingEndpointHoldsUpOnlyItself() throws Exception {
        String source = birth("hook-1", "area-hook");
        data("hook-1", bool("jam", true));
        long id = awaitOpen(source, "jam").path("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> flakyBodies.stream().anyMatch(b -> b.contains("\"alertId\":" + id)));
        String body = flakyBodies.stream().filter(b -> b.contains("\"alertId\":" + id)).findFirst().orElseThrow();
        JsonNode event = JSON.readTree(body);
        assertThat(flakyAttempts.get(event.path("id").asText()).get()).as("two 500s, then delivered").isEqualTo(3);

        JsonNode log = getArray("/api/alerts/webhooks/flaky/deliveries?limit=1000");
        List<String> outcomes = new ArrayList<>();
        for (JsonNode d : log) {
            if (d.path("eventId").asLong() == event.path("id").asLong()) {
                outcomes.add(0, d.path("outcome").asText() + "/" + d.path("httpStatus").asInt());
            }
        }
        assertThat(outcomes).containsExactly("failed/500", "failed/500", "delivered/204");

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (JsonNode w : getArray("/api/alerts/webhooks")) {
                if (w.path("name").asText().equals("hanging") && w.path("abandoned").asLong() > 0) {
                    return true;
                }
            }
            return false;
        });
        assertThat(hangingCalls.get()).isGreaterThan(0);
        assertThat(get("/api/alerts/webhooks/nothing/deliveries").path("error").asText()).contains("nothing");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static HttpServer receiver() throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        return s;
    }

    private HttpServer flakyReceiver() throws Exception {
        HttpServer s = receiver();
        s.createContext("/flaky", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String eventId = exchange.getRequestHeaders().getFirst("X-WareEdge-Event-Id");
            String signature = exchange.getRequestHeaders().getFirst(Webhooks.SIGNATURE_HEADER);
            long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
            if (!Webhooks.signature(SECRET, t, body).equals(signature)) {
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            int attempt = flakyAttempts.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet();
            // only the webhook test's device meets a flaky endpoint; the rest is delivered at once
            if (attempt <= 2 && body.contains("alerts/gw-1/hook-1")) {
                exchange.sendResponseHeaders(500, -1);
            } else {
                flakyBodies.add(body);
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        s.start();
        return s;
    }

    private HttpServer hangingReceiver() throws Exception {
        HttpServer s = receiver();
        s.createContext("/hanging", exchange -> {
            hangingCalls.incrementAndGet();
            // never answers in time: the sender's 300 ms timeout fires
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        s.start();
        return s;
    }

    private void insertDecisions(int from, int to, int noReads) throws Exception {
        StringBuilder sql = new StringBuilder("INSERT INTO sort_decisions (site, sorter, seq, pass, agent, codes, chute,"
                + " rejected, reason, plan_version, inducted_at, decided_at) VALUES ");
        for (int i = from; i < to; i++) {
            boolean noRead = i - from < noReads;
            sql.append(i == from ? "" : ",").append("('kpi-site','kpi-sorter',").append(i).append(",0,'gw',")
                    .append(noRead ? "'{}'" : "'{C" + i + "}'").append(",1,").append(noRead).append(",'")
                    .append(noRead ? "no-read" : "plan").append("',1,now(),now())");
        }
        postgres.execute(sql.toString());
    }

    private String birth(String device, String area) throws Exception {
        long now = System.currentTimeMillis();
        node.deviceBirth(device, PROFILE, "conveyor-plc", List.of(
                Metric.of("Device/Area", now, DataType.STRING, area),
                Metric.of("jam", now, DataType.BOOLEAN, false),
                Metric.of("running", now, DataType.BOOLEAN, true),
                Metric.of("current", now, DataType.FLOAT, 5f),
                Metric.of("estop", now, DataType.BOOLEAN, false)));
        String source = "alerts/gw-1/" + device;
        await().until(() -> status("/api/devices/alerts/gw-1/" + device) == 200);
        return source;
    }

    private void data(String device, List<Metric> metrics) throws Exception {
        node.deviceData(device, metrics);
    }

    private static List<Metric> bool(String name, boolean value) {
        return List.of(Metric.of(name, System.currentTimeMillis(), DataType.BOOLEAN, value));
    }

    private static List<Metric> flt(String name, float value) {
        return List.of(Metric.of(name, System.currentTimeMillis(), DataType.FLOAT, value));
    }

    private JsonNode awaitOpen(String source, String rule) {
        JsonNode[] found = new JsonNode[1];
        await().until(() -> {
            List<JsonNode> open = alerts("open", source, rule);
            found[0] = open.isEmpty() ? null : open.get(0);
            return found[0] != null;
        });
        return found[0];
    }

    private List<JsonNode> alerts(String state, String source, String rule) throws Exception {
        JsonNode list = get("/api/alerts?state=" + state + "&source=" + URLEncoder.encode(source, StandardCharsets.UTF_8)
                + "&rule=" + rule);
        List<JsonNode> out = new ArrayList<>();
        list.path("alerts").forEach(out::add);
        return out;
    }

    private List<String> actions(long id) throws Exception {
        List<String> out = new ArrayList<>();
        getArray("/api/alerts/" + id + "/history").forEach(e -> out.add(e.path("action").asText()));
        return out;
    }

    private JsonNode counters() throws Exception {
        return get("/api/alerts/health");
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private JsonNode getArray(String path) throws Exception {
        return get(path);
    }

    private int status(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) throws URISyntaxException {
        return HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((server.adminUser() + ":" + TestControlServers.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private URI url(String path) throws URISyntaxException {
        return server.url().resolve(path);
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions();
    }
}
