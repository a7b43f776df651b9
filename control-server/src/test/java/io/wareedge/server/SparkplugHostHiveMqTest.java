package io.wareedge.server;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.server.config.InvalidConfigurationException;
import io.wareedge.server.testing.TestControlServers;
import io.wareedge.server.testing.TestEdgeNode;
import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.MessageType;
import io.wareedge.sparkplug.Metric;
import org.eclipse.tahu.protobuf.SparkplugBProto;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The host scenarios on embedded HiveMQ CE, plus dead letters, authentication, configuration checks and throughput. */
class SparkplugHostHiveMqTest extends SparkplugHostScenarios {
    private static final Logger LOG = LoggerFactory.getLogger(SparkplugHostHiveMqTest.class);
    private static final int MAX_PAYLOAD = 64 * 1024;

    private EmbeddedMqttBroker broker;

    @Override
    String startBroker(Path workDir) {
        broker = EmbeddedMqttBroker.start(workDir, 0);
        return broker.url();
    }

    @Override
    String brokerUrlForNodes() {
        return broker.url();
    }

    @Override
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    Map<String, Object> serverProperties() {
        return Map.of("wareedge.ingest.max-payload-bytes", MAX_PAYLOAD);
    }

    @Test
    @SuppressWarnings("unchecked")
    void badInputIsDeadLetteredWithRawBytesAndGoodInputKeepsFlowing() throws Exception {
        TestEdgeNode n = nodeWithReader();
        String ddata = n.topic(MessageType.DDATA, "reader-1");
        byte[] notProtobuf = "{\"temperature\": 20}".getBytes(StandardCharsets.UTF_8);
        byte[] oversized = new byte[MAX_PAYLOAD + 1];
        Arrays.fill(oversized, (byte) 'x');
        byte[] typeMismatch = SparkplugBProto.Payload.newBuilder().setTimestamp(1).setSeq(200)
                .addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("temperature")
                        .setDatatype(DataType.DOUBLE.code()).setStringValue("warm")).build().toByteArray();
        byte[] unknownType = SparkplugBProto.Payload.newBuilder().setTimestamp(1).setSeq(0)
                .addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("table").setDatatype(16)).build().toByteArray();
        byte[] deviceBytes = {0x01, 0x02, (byte) 0xff};
        byte[] agentDeadLetter = ("{\"id\":123,\"device\":\"reader-1\",\"topic\":\"fx9600/fx-01/data\",\"kind\":\"NOT_JSON\","
                + "\"detail\":\"unexpected character\",\"receivedAt\":1763933452011,\"payloadBase64\":\""
                + Base64.getEncoder().encodeToString(deviceBytes) + "\"}").getBytes(StandardCharsets.UTF_8);
        String agentTopic = "wareedge/" + n.group() + "/" + n.node() + "/deadletter";

        n.publishBytes(ddata, notProtobuf);
        n.publishBytes("spBv1.0/" + n.group() + "/NOPE/" + n.node(), notProtobuf);
        n.publishBytes(ddata, oversized);
        n.publishBytes(ddata, typeMismatch);
        n.publishBytes("spBv1.0/" + n.group() + "/DDATA/gw-foreign/table-1", unknownType);
        n.publishBytes(agentTopic, agentDeadLetter);
        n.publishBytes(agentTopic, agentDeadLetter); // re-forwarded after an outage: stored once
        n.publishBytes(agentTopic, "not json".getBytes(StandardCharsets.UTF_8));
        n.deviceData("reader-1", List.of(Metric.of("reads", System.currentTimeMillis(), DataType.INT64, 4242L)));

        await().untilAsserted(() -> assertThat(((Number) metric(device(n, "reader-1"), "reads").get("value")).longValue())
                .isEqualTo(4242L));
        Map<String, Object> health = api.object("/api/ingest/health");
        Map<String, Object> rejects = (Map<String, Object>) health.get("rejectsByKind");
        assertThat(rejects).containsKeys("NOT_SPARKPLUG_PAYLOAD", "NOT_SPARKPLUG_TOPIC", "OVERSIZED",
                "METRIC_TYPE_MISMATCH", "UNSUPPORTED_METRIC_TYPE", "agent:NOT_JSON", "BAD_AGENT_DEAD_LETTER");

        List<Map<String, Object>> letters = api.list("/api/dead-letters?limit=100");
        assertThat(letter(letters, "NOT_SPARKPLUG_PAYLOAD", ddata)).containsEntry("payloadText", "{\"temperature\": 20}")
                .containsEntry("payloadBase64", Base64.getEncoder().encodeToString(notProtobuf))
                .containsEntry("source", "server");
        assertThat(letter(letters, "NOT_SPARKPLUG_TOPIC", null)).containsEntry("payloadBase64", Base64.getEncoder().encodeToString(notProtobuf));
        assertThat(letter(letters, "OVERSIZED", ddata).get("payloadBytes")).isEqualTo(MAX_PAYLOAD);
        assertThat(letter(letters, "METRIC_TYPE_MISMATCH", ddata))
                .containsEntry("payloadBase64", Base64.getEncoder().encodeToString(typeMismatch));
        assertThat(letter(letters, "UNSUPPORTED_METRIC_TYPE", null))
                .containsEntry("payloadBase64", Base64.getEncoder().encodeToString(unknownType));
        assertThat(letters.stream().filter(l -> "NOT_JSON".equals(l.get("kind")))).singleElement().satisfies(l -> {
            assertThat(l).containsEntry("source", n.group() + "/" + n.node()).containsEntry("device", "reader-1")
                    .containsEntry("topic", "fx9600/fx-01/data")
                    .containsEntry("payloadBase64", Base64.getEncoder().encodeToString(deviceBytes));
            assertThat(((Number) l.get("sourceId")).longValue()).isEqualTo(123L);
        });
        assertThat(letter(letters, "BAD_AGENT_DEAD_LETTER", agentTopic)).containsEntry("payloadText", "not json");
    }

    private static Map<String, Object> letter(List<Map<String, Object>> letters, String kind, String topic) {
        return letters.stream().filter(l -> kind.equals(l.get("kind")) && (topic == null || topic.equals(l.get("topic"))))
                .findFirst().orElseThrow(() -> new AssertionError("no dead letter of kind " + kind + " in " + letters));
    }

    @Test
    void apiNeedsCredentialsHealthAndOpenApiAreAnonymous() {
        var client = api.raw();
        assertThat(api.status(HttpRequest.GET("/api/edge-nodes"))).isEqualTo(401);
        assertThat(api.status(HttpRequest.GET("/api/edge-nodes").basicAuth("admin", "wrong"))).isEqualTo(401);
        assertThat(api.status(HttpRequest.GET("/api/edge-nodes").basicAuth(server.adminUser(), server.adminPassword()))).isEqualTo(200);

        Map<String, Object> token = client.retrieve(HttpRequest.POST("/login",
                        Map.of("username", server.adminUser(), "password", server.adminPassword())),
                Argument.mapOf(String.class, Object.class));
        String bearer = (String) token.get("access_token");
        assertThat(bearer).isNotBlank();
        assertThat(api.status(HttpRequest.GET("/api/ingest/health").bearerAuth(bearer))).isEqualTo(200);
        assertThat(api.status(HttpRequest.POST("/login", Map.of("username", "admin", "password", "nope")))).isEqualTo(401);

        assertThat(api.status(HttpRequest.GET("/health"))).isEqualTo(200);
        assertThat(api.status(HttpRequest.GET("/swagger/wareedge-control-server-0.1.yml"))).isEqualTo(200);
        assertThat(client.retrieve(HttpRequest.GET("/swagger/wareedge-control-server-0.1.yml"), String.class))
                .contains("/api/devices/{group}/{node}/{device}/readings");
    }

    @Test
    void badConfigurationFailsFastWithKeyRuleAndValue() {
        assertThatThrownBy(() -> TestControlServers.start(broker.url(), postgres,
                Map.of("wareedge.ingest.batch-size", 0, "wareedge.mqtt.host-id", "cfg-test")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("wareedge.ingest.batch-size").hasMessageContaining("at least 1").hasMessageContaining("0");
        assertThatThrownBy(() -> TestControlServers.start(broker.url(), postgres,
                Map.of("wareedge.mqtt.url", "http://broker:1883", "wareedge.mqtt.host-id", "cfg-test")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("wareedge.mqtt.url").hasMessageContaining("http://broker:1883");
        assertThatThrownBy(() -> TestControlServers.start(broker.url(), postgres,
                Map.of("wareedge.registry.stale-after", "-5s", "wareedge.mqtt.host-id", "cfg-test")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("wareedge.registry.stale-after");
        // readings go a whole day at a time: a shorter retention cannot be kept
        assertThatThrownBy(() -> TestControlServers.start(broker.url(), postgres,
                Map.of("wareedge.ingest.readings-retention", "12h", "wareedge.mqtt.host-id", "cfg-test")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("wareedge.ingest.readings-retention").hasMessageContaining("at least 1d")
                .hasMessageContaining("PT12H");
    }

    @Test
    void ingestThroughput() throws Exception {
        TestEdgeNode n = newNode();
        int metricsPerMessage = 100;
        int messages = 300;
        List<Metric> defs = new ArrayList<>();
        long t0 = System.currentTimeMillis();
        for (int i = 0; i < metricsPerMessage; i++) {
            defs.add(Metric.of("m" + i, t0, DataType.DOUBLE, 0.0));
        }
        n.deviceBirth("bulk", "bulk-profile", null, defs);
        await().until(() -> device(n, "bulk").get("state").equals("ONLINE"));
        long storedBefore = health("readingsStored");
        long start = System.nanoTime();
        for (int m = 0; m < messages; m++) {
            List<Metric> values = new ArrayList<>(metricsPerMessage);
            for (int i = 0; i < metricsPerMessage; i++) {
                values.add(Metric.of("m" + i, t0 + 1 + m, DataType.DOUBLE, m + i / 100.0));
            }
            n.deviceData("bulk", values);
        }
        long total = (long) messages * metricsPerMessage;
        await().until(() -> health("readingsStored") >= storedBefore + total);
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info("ingest throughput: {} readings in {} messages stored in {} s = {} readings/s (publisher waits for each PUBACK)",
                total, messages, String.format("%.2f", seconds), String.format("%.0f", total / seconds));
    }
}
