package io.wareedge.server;

import io.wareedge.embedded.PostgresServer;
import io.wareedge.server.testing.ApiClient;
import io.wareedge.server.testing.TestControlServers;
import io.wareedge.server.testing.TestEdgeNode;
import io.wareedge.server.testing.TestPostgres;
import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.MessageType;
import io.wareedge.sparkplug.Metric;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Sparkplug host scenarios every broker must pass: real PostgreSQL, a real broker, the real server and a test
 * edge node over MQTT; assertions through the REST API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkplugHostScenarios {
    private static final AtomicInteger NODE_NUMBERS = new AtomicInteger();

    TestPostgres testPostgres;
    PostgresServer postgres;
    ControlServer server;
    ApiClient api;
    final List<TestEdgeNode> nodes = new ArrayList<>();

    /** Starts the broker; returns its URL. */
    abstract String startBroker(Path workDir) throws Exception;

    abstract void stopBroker();

    Map<String, Object> serverProperties() {
        return Map.of();
    }

    @BeforeAll
    void startEverything(@TempDir Path tempDir) throws Exception {
        testPostgres = TestPostgres.start();
        postgres = testPostgres.server();
        String url = startBroker(tempDir.resolve("broker"));
        server = TestControlServers.start(url, postgres, serverProperties());
        api = new ApiClient(server.url(), server.adminUser(), server.adminPassword());
        await().until(() -> Boolean.TRUE.equals(api.object("/api/ingest/health").get("connected")));
    }

    @AfterAll
    void stopEverything() {
        nodes.forEach(TestEdgeNode::close);
        if (api != null) {
            api.close();
        }
        if (server != null) {
            server.close();
        }
        stopBroker();
        if (testPostgres != null) {
            testPostgres.close();
        }
    }

    static ConditionFactory await() {
        // A device or node the server has not registered yet answers 404 until its birth is stored: keep polling.
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(HttpClientResponseException.class);
    }

    String brokerUrl;

    TestEdgeNode newNode() throws Exception {
        TestEdgeNode n = TestEdgeNode.start(brokerUrlForNodes(), "plant" + NODE_NUMBERS.incrementAndGet(), "gw");
        nodes.add(n);
        return n;
    }

    abstract String brokerUrlForNodes();

    static List<Metric> readerDefinitions() {
        long now = System.currentTimeMillis();
        return List.of(
                Metric.of("temperature", now, DataType.DOUBLE, 21.5).withProperties(Map.of(Metric.ENG_UNIT, "°C")),
                Metric.of("reads", now, DataType.INT64, 0L),
                Metric.of("enabled", now, DataType.BOOLEAN, true),
                Metric.of("lastTag", now, DataType.STRING, "none"));
    }

    TestEdgeNode nodeWithReader() throws Exception {
        TestEdgeNode n = newNode();
        n.deviceBirth("reader-1", "zebra-fx9600", "rfid-reader", readerDefinitions());
        return n;
    }

    String devicePath(TestEdgeNode n, String device) {
        return "/api/devices/" + n.group() + "/" + n.node() + "/" + device;
    }

    Map<String, Object> device(TestEdgeNode n, String device) {
        return api.object(devicePath(n, device));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metric(Map<String, Object> device, String name) {
        return ((List<Map<String, Object>>) device.get("metrics")).stream()
                .filter(m -> name.equals(m.get("name"))).findFirst().orElse(null);
    }

    long health(String counter) {
        return ((Number) api.object("/api/ingest/health").get(counter)).longValue();
    }

    @Test
    void birthsAndDataShowNodeAndDevicesOnlineWithLastValuesAndReadings() throws Exception {
        TestEdgeNode n = nodeWithReader();
        long now = System.currentTimeMillis();
        n.deviceData("reader-1", List.of(Metric.of("temperature", now, DataType.DOUBLE, 22.25),
                Metric.of("reads", now, DataType.INT64, 7L)));
        n.deviceData("reader-1", List.of(Metric.of("temperature", now + 1, DataType.DOUBLE, 23.0),
                Metric.of("lastTag", now + 1, DataType.STRING, "E2801160")));

        await().untilAsserted(() -> {
            Map<String, Object> d = device(n, "reader-1");
            assertThat(d.get("state")).isEqualTo("ONLINE");
            assertThat(d.get("profile")).isEqualTo("zebra-fx9600");
            assertThat(d.get("kind")).isEqualTo("rfid-reader");
            assertThat(metric(d, "temperature")).containsEntry("value", 23.0).containsEntry("unit", "°C")
                    .containsEntry("type", "DOUBLE").containsEntry("quality", 192);
            assertThat(((Number) metric(d, "reads").get("value")).longValue()).isEqualTo(7L);
            assertThat(metric(d, "lastTag")).containsEntry("value", "E2801160");
            assertThat(metric(d, "enabled")).containsEntry("value", true);
        });
        List<Map<String, Object>> readings = api.list(devicePath(n, "reader-1") + "/readings?metric=temperature&limit=10");
        assertThat(readings).extracting(r -> r.get("value")).containsExactly(23.0, 22.25, 21.5);

        Map<String, Object> node = api.object("/api/edge-nodes/" + n.group() + "/" + n.node());
        assertThat(node).containsEntry("online", true);
        assertThat(((Number) node.get("bdSeq")).longValue()).isEqualTo(n.bdSeq());
        assertThat(api.list("/api/edge-nodes")).anySatisfy(e -> assertThat(e).containsEntry("group", n.group())
                .containsEntry("online", true).containsEntry("devicesOnline", 1));
        assertThat(api.list("/api/devices?state=ONLINE&group=" + n.group())).hasSize(1);
    }

    @Test
    void deviceDeathAndRebirthTurnDeviceOfflineAndOnline() throws Exception {
        TestEdgeNode n = nodeWithReader();
        await().until(() -> "ONLINE".equals(device(n, "reader-1").get("state")));
        n.deviceDeath("reader-1");
        await().until(() -> "OFFLINE".equals(device(n, "reader-1").get("state")));
        assertThat(api.list("/api/devices?state=OFFLINE&group=" + n.group())).hasSize(1);
        n.deviceBirth("reader-1", "zebra-fx9600", "rfid-reader", readerDefinitions());
        await().until(() -> "ONLINE".equals(device(n, "reader-1").get("state")));
    }

    @Test
    void abruptDisconnectDeliversNdeathWillAndTakesNodeAndDevicesOffline() throws Exception {
        TestEdgeNode n = nodeWithReader();
        n.deviceBirth("sensor-1", "env-sensor", null, readerDefinitions());
        await().until(() -> "ONLINE".equals(device(n, "sensor-1").get("state")));
        n.crash();
        await().untilAsserted(() -> {
            assertThat(api.object("/api/edge-nodes/" + n.group() + "/" + n.node())).containsEntry("online", false);
            assertThat(device(n, "reader-1")).containsEntry("state", "OFFLINE");
            assertThat(device(n, "sensor-1")).containsEntry("state", "OFFLINE");
        });
        n.connect(); // next session: bdSeq + 1, NBIRTH and DBIRTHs again
        await().until(() -> "ONLINE".equals(device(n, "sensor-1").get("state")));
    }

    @Test
    void ndeathOfAnEarlierSessionIsIgnoredAndCounted() throws Exception {
        TestEdgeNode n = nodeWithReader();
        n.crash();
        n.connect();
        await().until(() -> ((Number) api.object("/api/edge-nodes/" + n.group() + "/" + n.node()).get("bdSeq")).longValue() == n.bdSeq()
                && "ONLINE".equals(device(n, "reader-1").get("state")));
        long staleBefore = health("staleDeaths");
        n.publishDeath(n.bdSeq() - 1);
        await().until(() -> health("staleDeaths") > staleBefore);
        assertThat(api.object("/api/edge-nodes/" + n.group() + "/" + n.node())).containsEntry("online", true);
        assertThat(device(n, "reader-1")).containsEntry("state", "ONLINE");
    }

    @Test
    void seqGapIsAnsweredWithRebirthRequest() throws Exception {
        TestEdgeNode n = nodeWithReader();
        long gapsBefore = health("seqGaps");
        n.skipSeq();
        n.deviceData("reader-1", List.of(Metric.of("reads", System.currentTimeMillis(), DataType.INT64, 1L)));
        await().until(() -> n.rebirthRequests() >= 1);
        assertThat(health("seqGaps")).isGreaterThan(gapsBefore);
        assertThat(health("rebirthsRequested")).isGreaterThanOrEqualTo(1);
        // After the rebirth the node's data is in sequence again.
        await().until(() -> "ONLINE".equals(device(n, "reader-1").get("state")));
    }

    @Test
    void dataFromNodeNeverBornAsksForRebirth() throws Exception {
        TestEdgeNode n = nodeWithReader();
        // Another "node" (same group) publishes data without ever being born, as after a host restart.
        String topic = n.topic(MessageType.DDATA, "reader-1").replace("/gw/", "/gw-unborn/");
        long rebirthsBefore = health("rebirthsRequested");
        long gapsBefore = health("seqGaps");
        n.publishBytes(topic, io.wareedge.sparkplug.PayloadCodec.encode(new io.wareedge.sparkplug.Payload(
                System.currentTimeMillis(), 5, List.of(Metric.of("reads", System.currentTimeMillis(), DataType.INT64, 3L)))));
        await().until(() -> health("rebirthsRequested") > rebirthsBefore && health("seqGaps") > gapsBefore);
    }

    @Test
    void replayedReadingIsStoredOnce() throws Exception {
        TestEdgeNode n = nodeWithReader();
        long t = System.currentTimeMillis();
        byte[] bytes = n.deviceData("reader-1", List.of(Metric.of("reads", t, DataType.INT64, 99L)));
        await().until(() -> metric(device(n, "reader-1"), "reads").get("value") != null
                && ((Number) metric(device(n, "reader-1"), "reads").get("value")).longValue() == 99L);
        long duplicatesBefore = health("duplicates");
        n.publishBytes(n.topic(MessageType.DDATA, "reader-1"), bytes);
        n.publishBytes(n.topic(MessageType.DDATA, "reader-1"), bytes);
        await().until(() -> health("duplicates") >= duplicatesBefore + 2);
        List<Map<String, Object>> readings = api.list(devicePath(n, "reader-1") + "/readings?metric=reads&limit=10");
        assertThat(readings).extracting(r -> ((Number) r.get("value")).longValue()).containsExactly(99L, 0L);
    }

    @Test
    void aMessageMixingAStoredReadingWithNewOnesStoresTheNewOnesAndCountsTheReplay() throws Exception {
        TestEdgeNode n = nodeWithReader();
        long t = System.currentTimeMillis();
        Metric first = Metric.of("reads", t, DataType.INT64, 1L).withProperties(Map.of(Metric.READING_ID, 1_000_000L));
        n.deviceData("reader-1", List.of(first));
        await().until(() -> Long.valueOf(1L).equals(readsValue(n)));
        long duplicatesBefore = health("duplicates");
        long storedBefore = health("readingsStored");

        // The store writes a batch without looking for stored readings first; this one has one.
        n.deviceData("reader-1", List.of(first, Metric.of("reads", t + 1, DataType.INT64, 2L), Metric.of("temperature", t + 1, DataType.DOUBLE, 19.5)));
        await().untilAsserted(() -> assertThat(health("readingsStored")).isEqualTo(storedBefore + 2));
        assertThat(health("duplicates")).isEqualTo(duplicatesBefore + 1);
        assertThat(readsValue(n)).isEqualTo(2L);

        // And the batches after it are stored as before.
        n.deviceData("reader-1", List.of(Metric.of("reads", t + 2, DataType.INT64, 3L)));
        await().until(() -> Long.valueOf(3L).equals(readsValue(n)));
        assertThat(health("duplicates")).isEqualTo(duplicatesBefore + 1);
        assertThat(api.list(devicePath(n, "reader-1") + "/readings?metric=reads&limit=10"))
                .extracting(r -> ((Number) r.get("value")).longValue()).containsExactly(3L, 2L, 1L, 0L);
    }

    @Test
    void aMetricSentLaterForAStoredTimestampIsStoredBesideTheReadingsOfThatTimestamp() throws Exception {
        // A node that numbers no readings is told from a replay by the timestamp alone; one sample
        // row holds a device's readings of one timestamp, so the later metric joins the stored row.
        TestEdgeNode n = nodeWithReader();
        long t = System.currentTimeMillis() + 1; // after the birth's readings
        n.deviceDataWithoutReadingIds("reader-1", List.of(Metric.of("reads", t, DataType.INT64, 7L)));
        await().until(() -> Long.valueOf(7L).equals(readsValue(n)));
        long duplicatesBefore = health("duplicates");
        long storedBefore = health("readingsStored");

        n.deviceDataWithoutReadingIds("reader-1", List.of(Metric.of("temperature", t, DataType.DOUBLE, 21.25)));
        await().untilAsserted(() -> assertThat(health("readingsStored")).isEqualTo(storedBefore + 1));
        assertThat(health("duplicates")).isEqualTo(duplicatesBefore);
        assertThat(metric(device(n, "reader-1"), "temperature")).containsEntry("value", 21.25);

        // Both again, with a new reading: the two stored ones are replays.
        n.deviceDataWithoutReadingIds("reader-1", List.of(Metric.of("reads", t, DataType.INT64, 7L),
                Metric.of("temperature", t, DataType.DOUBLE, 21.25), Metric.of("reads", t + 1, DataType.INT64, 8L)));
        await().untilAsserted(() -> assertThat(health("readingsStored")).isEqualTo(storedBefore + 2));
        assertThat(health("duplicates")).isEqualTo(duplicatesBefore + 2);
        assertThat(api.list(devicePath(n, "reader-1") + "/readings?limit=3"))
                .extracting(r -> r.get("metric") + "=" + r.get("value"))
                .containsExactly("reads=8", "reads=7", "temperature=21.25");
    }

    private Long readsValue(TestEdgeNode n) {
        Object value = metric(device(n, "reader-1"), "reads").get("value");
        return value == null ? null : ((Number) value).longValue();
    }

    @Test
    void aLateHistoricalReadingIsStoredButDoesNotReplaceANewerLastValue() throws Exception {
        TestEdgeNode n = nodeWithReader();
        long t = System.currentTimeMillis();
        n.deviceData("reader-1", List.of(Metric.of("temperature", t, DataType.DOUBLE, 30.5)));
        await().until(() -> Double.valueOf(30.5).equals(metric(device(n, "reader-1"), "temperature").get("value")));
        n.deviceData("reader-1", List.of(Metric.of("temperature", t - 60_000, DataType.DOUBLE, 10.0).asHistorical()));

        await().untilAsserted(() -> assertThat(api.list(devicePath(n, "reader-1") + "/readings?metric=temperature&limit=10"))
                .extracting(r -> r.get("value")).contains(10.0, 30.5));
        assertThat(metric(device(n, "reader-1"), "temperature")).containsEntry("value", 30.5);
    }
}
