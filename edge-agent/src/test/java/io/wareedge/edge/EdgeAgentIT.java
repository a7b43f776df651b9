package io.wareedge.edge;

import io.wareedge.embedded.Closing;
import io.wareedge.edge.config.AgentConfig;
import io.wareedge.edge.config.AgentConfigLoader;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.embedded.MosquittoBroker;
import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.MessageType;
import io.wareedge.sparkplug.Metric;
import io.wareedge.sparkplug.NodeControl;
import io.wareedge.sparkplug.Payload;
import io.wareedge.sparkplug.PayloadCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent between two real brokers: devices publish to Debian's Mosquitto (the gateway's local broker), the
 * agent speaks Sparkplug B to the embedded HiveMQ (the site broker), and a test host observes the uplink.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeAgentIT {

    @TempDir
    static Path dir;

    private MosquittoBroker deviceBroker;
    private EmbeddedMqttBroker uplinkBroker;
    private SparkplugObserver host;
    private EdgeAgent agent;
    private org.eclipse.paho.mqttv5.client.MqttClient devices;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(MosquittoBroker.isInstalled() || System.getenv("CI") != null, "mosquitto not installed");
        deviceBroker = MosquittoBroker.start(dir.resolve("mosquitto"));
        uplinkBroker = EmbeddedMqttBroker.start(dir.resolve("hivemq"), 0);
        host = new SparkplugObserver(uplinkBroker.url());
        devices = new org.eclipse.paho.mqttv5.client.MqttClient(deviceBroker.url(), "devices-" + System.nanoTime(),
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        devices.connect();
        host.announceHost("test-host");
        Path profiles = Path.of(getClass().getResource("/test-profiles").toURI());
        AgentConfig config = AgentConfigLoader.parse("""
                site: test-site
                agentId: gw-1
                dataDir: agent
                profileDirs: [%s]
                uplink:
                  url: %s
                  primaryHostId: test-host
                  initialBackoff: 50ms
                  maxBackoff: 500ms
                  dataWindow: 2s
                deviceBrokers:
                  - name: local
                    url: %s
                devices:
                  - name: sensor-a
                    profile: numbered-sensor
                    address: { device: a }
                  - name: sensor-b
                    profile: numbered-sensor
                    address: { device: b }
                  - name: sensor-c
                    profile: numbered-sensor
                    address: { device: c }
                """.formatted(profiles, uplinkBroker.url(), deviceBroker.url()), dir);
        agent = EdgeAgent.start(config);
        await().atMost(Duration.ofSeconds(30)).until(() -> !host.of(MessageType.NBIRTH).isEmpty());
    }

    @AfterAll
    void stop() throws Exception {
        Closing.all(agent, devices == null ? null : devices::disconnect, host, uplinkBroker, deviceBroker);
    }

    private void publishToDevices(String topic, byte[] payload) throws Exception {
        org.eclipse.paho.mqttv5.common.MqttMessage m = new org.eclipse.paho.mqttv5.common.MqttMessage(payload);
        m.setQos(1);
        devices.publish(topic, m);
    }

    private void device(String device, long n, double t) throws Exception {
        publishToDevices("test/" + device + "/samples",
                ("{\"n\":" + n + ",\"t\":" + t + ",\"ts\":" + System.currentTimeMillis() + "}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void birthCarriesBdSeqAndRebirthControlAndEveryDeviceGetsABirth() {
        Payload nbirth = host.of(MessageType.NBIRTH).get(0).payload();
        assertThat(nbirth.seq()).isZero();
        assertThat(nbirth.metric(NodeControl.BD_SEQ).type()).isEqualTo(DataType.INT64);
        assertThat(nbirth.metric(NodeControl.REBIRTH).value()).isEqualTo(false);
        assertThat(host.of(MessageType.DBIRTH)).extracting(r -> r.topic().deviceId()).contains("sensor-a", "sensor-b");
        Metric temperature = host.of(MessageType.DBIRTH).get(0).payload().metric("temperature");
        assertThat(temperature.type()).isEqualTo(DataType.DOUBLE);
        assertThat(temperature.properties()).containsEntry(Metric.ENG_UNIT, "degC");
    }

    @Test
    void readingsArriveTypedWithAReadingIdAndTheDeviceComesOnline() throws Exception {
        device("a", 1, 21.5);
        await().atMost(Duration.ofSeconds(10)).until(() -> !host.metrics("sensor-a", "temperature").isEmpty());
        Metric t = host.metrics("sensor-a", "temperature").get(0);
        assertThat(t.value()).isEqualTo(21.5);
        assertThat(t.readingId()).isPositive();
        assertThat(host.metrics("sensor-a", "n").get(0).value()).isEqualTo(1L);
    }

    @Test
    void samplesWithinTheDataWindowGoOutAsOneDdataInTheirOrder() throws Exception {
        device("c", 1, 20.0); // the device's first data also brings its state change, which is sent at once
        await().atMost(Duration.ofSeconds(10)).until(() -> !host.metrics("sensor-c", "n").isEmpty());
        for (int i = 2; i <= 11; i++) {
            device("c", i, 20.0);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> host.metrics("sensor-c", "n").stream().anyMatch(m -> m.value().equals(11L)));
        List<Payload> carrying = host.of(MessageType.DDATA).stream()
                .filter(r -> r.topic().deviceId().equals("sensor-c"))
                .map(SparkplugObserver.Received::payload)
                .filter(p -> p.metrics().stream().anyMatch(m -> m.name().equals("n") && (Long) m.value() > 1))
                .toList();
        assertThat(carrying).hasSize(1);
        assertThat(carrying.get(0).metrics().stream().filter(m -> m.name().equals("n")).map(m -> (Long) m.value()))
                .containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    }

    @Test
    void badInputIsDeadLetteredWithItsBytesAndGoodDataNextToItStillFlows() throws Exception {
        publishToDevices("test/b/samples", "{\"n\": 5, \"t\": ".getBytes(StandardCharsets.UTF_8));
        publishToDevices("test/b/samples", "{\"n\": 6, \"t\": 999, \"ts\": 1763933452011}".getBytes(StandardCharsets.UTF_8));
        device("b", 7, 20.0);
        await().atMost(Duration.ofSeconds(10)).until(() -> host.deadLetters.size() >= 2
                && host.metrics("sensor-b", "n").stream().anyMatch(m -> m.value().equals(7L)));
        assertThat(host.deadLetters).anySatisfy(d -> assertThat(d).contains("\"kind\":\"NOT_JSON\"").contains("\"payloadBase64\""));
        assertThat(host.deadLetters).anySatisfy(d -> assertThat(d).contains("\"kind\":\"OUT_OF_RANGE\""));
        assertThat(agent.counters().deadLettersByKind()).containsKeys("NOT_JSON", "OUT_OF_RANGE");
    }

    @Test
    void anNcmdRebirthGetsFreshBirthsWithSeqStartingAgain() throws Exception {
        int births = host.of(MessageType.NBIRTH).size();
        host.publish("spBv1.0/test-site/NCMD/gw-1", PayloadCodec.encode(new Payload(System.currentTimeMillis(), -1,
                List.of(Metric.of(NodeControl.REBIRTH, System.currentTimeMillis(), DataType.BOOLEAN, true)))));
        await().atMost(Duration.ofSeconds(10)).until(() -> host.of(MessageType.NBIRTH).size() > births);
        assertThat(host.of(MessageType.NBIRTH).get(births).payload().seq()).isZero();
    }

    @Test
    void whileTheUplinkBrokerIsDownReadingsQueueOnDiskAndArriveOnceInOrderAfterwards() throws Exception {
        device("a", 1000, 1.0);
        await().atMost(Duration.ofSeconds(10)).until(() -> host.metrics("sensor-a", "n").stream().anyMatch(m -> m.value().equals(1000L)));
        uplinkBroker.stop();
        for (int i = 1001; i <= 1100; i++) {
            device("a", i, 1.0);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.outboxStats().pending() >= 100);
        uplinkBroker.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> host.metrics("sensor-a", "n").stream()
                .filter(m -> (Long) m.value() > 1000).map(Metric::readingId).distinct().count() == 100);
        List<Long> ns = host.metrics("sensor-a", "n").stream().filter(m -> (Long) m.value() > 1000)
                .map(m -> (Long) m.value()).distinct().toList();
        assertThat(ns).hasSize(100).isSorted();
        Set<Long> ids = new HashSet<>();
        host.metrics("sensor-a", "n").stream().filter(m -> (Long) m.value() > 1000).forEach(m -> ids.add(m.readingId()));
        assertThat(ids).hasSize(100);
        assertThat(host.metrics("sensor-a", "n").stream().filter(m -> (Long) m.value() > 1000)).allMatch(Metric::historical);
    }
}
