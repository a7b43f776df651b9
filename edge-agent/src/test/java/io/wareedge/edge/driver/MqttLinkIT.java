package io.wareedge.edge.driver;

import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.embedded.MosquittoBroker;
import io.wareedge.sparkplug.MessageCallback;
import io.wareedge.sparkplug.TcpNoDelaySocketFactory;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The device-broker link against real brokers: Debian's Mosquitto and the embedded HiveMQ CE. */
class MqttLinkIT {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> lost = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private String broker(String kind) {
        if ("mosquitto".equals(kind)) {
            Assumptions.assumeTrue(MosquittoBroker.isInstalled() || System.getenv("CI") != null, "mosquitto not installed");
            MosquittoBroker b = MosquittoBroker.start(dir.resolve("mosquitto"));
            open.add(b);
            return b.url();
        }
        EmbeddedMqttBroker b = EmbeddedMqttBroker.start(dir.resolve("hivemq"), 0);
        open.add(b);
        return b.url();
    }

    private MqttLink link(String url, MqttLink.Listener listener) {
        MqttLink l = new MqttLink("it", url, "gw-it", Duration.ofHours(1), Duration.ofSeconds(10), 50,
                Duration.ofSeconds(5), listener, n -> { });
        open.add(l);
        return l;
    }

    private MqttLink.Listener recording(java.util.function.BiConsumer<String, byte[]> then) {
        return new MqttLink.Listener() {
            @Override
            public void message(String topic, byte[] payload, boolean duplicate) {
                received.add(topic + " " + new String(payload, StandardCharsets.UTF_8));
                then.accept(topic, payload);
            }

            @Override
            public void lost(String reason) {
                lost.add(reason);
            }

            @Override
            public void badPacket(byte[] raw, String reason) {
                throw new AssertionError("a real broker sent a bad packet: " + reason);
            }
        };
    }

    private MqttClient pahoClient(String url, String id, List<String> into, String... filters) throws Exception {
        MqttClient c = new MqttClient(url, id, new MemoryPersistence());
        c.setCallback(new MessageCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                into.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setSocketFactory(TcpNoDelaySocketFactory.INSTANCE);
        c.connect(options);
        for (String f : filters) {
            c.subscribe(f, 1);
        }
        open.add(() -> {
            if (c.isConnected()) {
                c.disconnect();
            }
            c.close();
        });
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    void answersEveryMessageInOrderWithACommandAtQos1(String kind) throws Exception {
        String url = broker(kind);
        List<String> commands = new CopyOnWriteArrayList<>();
        pahoClient(url, "sorter", commands, "sorters/s1/divert");
        MqttLink[] self = new MqttLink[1];
        self[0] = link(url, recording((topic, payload) -> assertThat(self[0].publish("sorters/s1/divert", payload, 1)).isTrue()));
        self[0].connect(List.of("sorters/s1/induction"), Duration.ofSeconds(10));
        MqttClient sorter = pahoClient(url, "sorter-pub", new ArrayList<>());
        for (int i = 0; i < 2_000; i++) {
            sorter.publish("sorters/s1/induction", ("" + i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> commands.size() == 2_000);
        assertThat(commands).containsExactlyElementsOf(IntStream.range(0, 2_000).mapToObj(i -> "sorters/s1/divert " + i).toList());
        assertThat(received).hasSize(2_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mosquitto", "hivemq"})
    void messagesPublishedWhileTheAgentWasAwayArriveWhenItComesBack(String kind) throws Exception {
        String url = broker(kind);
        MqttLink first = link(url, recording((t, p) -> { }));
        first.connect(List.of("env/+/data"), Duration.ofSeconds(10));
        first.close();
        MqttClient device = pahoClient(url, "device", new ArrayList<>());
        for (int i = 0; i < 100; i++) {
            device.publish("env/t1/data", ("" + i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        MqttLink again = link(url, recording((t, p) -> { }));
        again.connect(List.of("env/+/data"), Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 100);
        assertThat(received).containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "env/t1/data " + i).toList());
    }

    @Test
    void aBrokerRestartIsReportedAndTheNextConnectResumesTheSession() throws Exception {
        Assumptions.assumeTrue(MosquittoBroker.isInstalled() || System.getenv("CI") != null, "mosquitto not installed");
        MosquittoBroker mosquitto = MosquittoBroker.start(dir.resolve("mosquitto"));
        open.add(mosquitto);
        MqttLink l = link(mosquitto.url(), recording((t, p) -> { }));
        l.connect(List.of("env/+/data"), Duration.ofSeconds(10));
        mosquitto.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> lost.size() == 1);
        assertThat(l.isConnected()).isFalse();
        mosquitto.start();
        l.connect(List.of("env/+/data"), Duration.ofSeconds(10));
        pahoClient(mosquitto.url(), "device", new ArrayList<>()).publish("env/t2/data", "x".getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> received.contains("env/t2/data x"));
        assertThat(lost).hasSize(1);
    }
}
