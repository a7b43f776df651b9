package io.wareedge.server;

import io.micronaut.http.HttpRequest;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.server.security.PasswordHashes;
import io.wareedge.server.testing.ApiClient;
import io.wareedge.server.testing.TestEdgeNode;
import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.Metric;
import io.wareedge.sparkplug.SparkplugTopic;
import io.wareedge.sparkplug.StatePayload;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.wareedge.server.SparkplugHostScenarios.await;
import static io.wareedge.server.SparkplugHostScenarios.metric;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-command path: embedded PostgreSQL in the data directory, users from configuration, and a server restart
 * that loses nothing the edge published while it was down (persistent MQTT session, STATE retained).
 */
class ControlServerLifecycleTest {

    @Test
    void embeddedDatabaseConfiguredUsersAndRestartWithoutLoss(@TempDir Path brokerDir) throws Exception {
        Path dataDir = Files.createTempDirectory("wareedge-server-data");
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(brokerDir, 0)) {
            Map<String, Object> props = new HashMap<>();
            props.put("micronaut.server.port", -1);
            props.put("wareedge.mqtt.url", broker.url());
            props.put("wareedge.mqtt.host-id", "lifecycle-host");
            props.put("wareedge.data-dir", dataDir.toString());
            props.put("wareedge.users", List.of(Map.of("username", "alice", "password-hash", PasswordHashes.hash("wonderland"))));

            ControlServer server = ControlServer.start(props);
            TestEdgeNode node = null;
            try {
                assertThat(server.adminPassword()).isNull();
                try (ApiClient alice = new ApiClient(server.url(), "alice", "wonderland")) {
                    assertThat(alice.status(HttpRequest.GET("/api/edge-nodes").basicAuth("alice", "wonderland"))).isEqualTo(200);
                    assertThat(alice.status(HttpRequest.GET("/api/edge-nodes").basicAuth("admin", "admin"))).isEqualTo(401);
                    await().until(() -> Boolean.TRUE.equals(alice.object("/api/ingest/health").get("connected")));
                    assertThat(retainedState(broker.url(), "lifecycle-host").online()).isTrue();

                    node = TestEdgeNode.start(broker.url(), "site", "gw1");
                    node.deviceBirth("scale-1", "scale", "scale", List.of(Metric.of("weight", 1, DataType.DOUBLE, 0.0)));
                    TestEdgeNode n = node;
                    await().until(() -> "ONLINE".equals(alice.object("/api/devices/site/gw1/scale-1").get("state")));

                    server.close();
                    assertThat(retainedState(broker.url(), "lifecycle-host").online()).isFalse();
                    // Published while the host is away: the broker keeps it for the host's session.
                    n.deviceData("scale-1", List.of(Metric.of("weight", System.currentTimeMillis(), DataType.DOUBLE, 12.5)));
                }
                server = ControlServer.start(props);
                try (ApiClient alice = new ApiClient(server.url(), "alice", "wonderland")) {
                    await().untilAsserted(() -> assertThat(metric(alice.object("/api/devices/site/gw1/scale-1"), "weight"))
                            .containsEntry("value", 12.5));
                    // The restarted host never saw this node's birth: it asks for one, and the node answers.
                    TestEdgeNode n = node;
                    await().until(() -> n.rebirthRequests() >= 1);
                    await().until(() -> "ONLINE".equals(alice.object("/api/devices/site/gw1/scale-1").get("state")));
                }
            } finally {
                if (node != null) {
                    node.close();
                }
                server.close();
            }
        }
    }

    private static StatePayload retainedState(String brokerUrl, String hostId) throws Exception {
        AtomicReference<StatePayload> state = new AtomicReference<>();
        MqttClient c = new MqttClient(brokerUrl, "state-reader-" + System.nanoTime(), new MemoryPersistence());
        // Paho v5 1.2.5's subscribe(topic, qos, listener) recurses forever: use the client callback instead.
        c.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
                state.set(StatePayload.parse(m.getPayload()));
            }

            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) {
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int code, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
            }
        });
        c.connect();
        try {
            c.subscribe(SparkplugTopic.state(hostId).toString(), 1);
            await().until(() -> state.get() != null);
            return state.get();
        } finally {
            c.disconnect();
            c.close();
        }
    }
}
