package io.wareedge.edge;

import io.wareedge.embedded.Closing;
import io.wareedge.edge.config.AgentConfig;
import io.wareedge.edge.config.AgentConfigLoader;
import io.wareedge.edge.driver.OpcUaDeviceDriver;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.sim.conveyor.ConveyorPlcSimulator;
import io.wareedge.sparkplug.Metric;
import io.wareedge.sparkplug.MessageType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OPC UA driver against a real OPC UA server (the Milo conveyor PLC simulator, in this JVM): values by
 * subscription up to Sparkplug, status codes as quality, a wrong node id reported per device and resource while
 * the rest runs, commands written with the server's status code back, and a PLC restart survived.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpcUaDriverIT {
    @TempDir
    static Path dir;

    private ConveyorPlcSimulator plc;
    private EmbeddedMqttBroker uplinkBroker;
    private SparkplugObserver host;
    private EdgeAgent agent;

    @BeforeAll
    void start() throws Exception {
        plc = ConveyorPlcSimulator.start(0, ConveyorPlcSimulator.Settings.defaults(1, 3));
        uplinkBroker = EmbeddedMqttBroker.start(dir.resolve("hivemq"), 0);
        host = new SparkplugObserver(uplinkBroker.url());
        Path profiles = Path.of(getClass().getResource("/test-profiles").toURI());
        AgentConfig config = AgentConfigLoader.parse("""
                site: dc-test
                agentId: gw-opcua
                dataDir: agent
                profileDirs: [%s]
                uplink:
                  url: %s
                  initialBackoff: 100ms
                  maxBackoff: 2s
                opcuaServers:
                  - name: line-1
                    endpoint: %s
                    publishingInterval: 100ms
                devices:
                  - { name: seg-1, profile: conveyor-plc-opcua, server: line-1, address: { line: "1", segment: "1" } }
                  - { name: seg-2, profile: conveyor-plc-opcua, server: line-1, address: { line: "1", segment: "2" } }
                  - { name: seg-typo, profile: conveyor-with-typo, server: line-1, address: { line: "1", segment: "3" } }
                  - { name: seg-9, profile: conveyor-plc-opcua, server: line-1, address: { line: "1", segment: "9" } }
                  - { name: quiet-line, profile: quiet-line, server: line-1, address: { line: "1" } }
                """.formatted(profiles, uplinkBroker.url(), plc.endpointUrl()), dir);
        agent = EdgeAgent.start(config);
    }

    @AfterAll
    void stop() throws Exception {
        Closing.all(agent, host, uplinkBroker, plc);
    }

    private OpcUaDeviceDriver driver() {
        return agent.opcuaDrivers().get(0);
    }

    private Object last(String device, String metric) {
        List<Metric> m = host.metrics(device, metric);
        return m.isEmpty() ? null : m.get(m.size() - 1).value();
    }

    @Test
    void valuesFlowBySubscriptionAndABadNodeIsReportedWhileTheRestRuns() {
        await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(last("seg-1", "running"))
                && last("seg-1", "speed") instanceof Double s && s > 1.0);
        assertThat(host.of(MessageType.DBIRTH)).extracting(r -> r.topic().deviceId()).contains("seg-1", "seg-2", "seg-typo");
        // the typo device: its good resources are read, the wrong node is named with device and resource
        await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(last("seg-typo", "running")));
        await().atMost(Duration.ofSeconds(20)).until(() -> host.deadLetters.stream().anyMatch(d ->
                d.contains("OPCUA_BAD_NODE_ID") && d.contains("seg-typo") && d.contains("speed")));
        assertThat(host.metrics("seg-typo", "speed")).isEmpty();
        // items move: the photo-eye counters climb
        await().atMost(Duration.ofSeconds(30)).until(() -> last("seg-1", "itemCount") instanceof Long n && n > 0);
    }

    @Test
    void aSensorDropoutArrivesAsBadQuality() {
        await().atMost(Duration.ofSeconds(30)).until(() -> last("seg-2", "motorCurrent") != null);
        plc.sensorDropout(2, Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(20)).until(() -> host.metrics("seg-2", "motorCurrent").stream()
                .anyMatch(m -> m.quality() == Metric.QUALITY_BAD));
        // and back to good afterwards
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<Metric> m = host.metrics("seg-2", "motorCurrent");
            return m.get(m.size() - 1).quality() == Metric.QUALITY_GOOD;
        });
    }

    @Test
    void commandsAreWritesWithTheServersStatusCodeBack() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> driver().isConnected());
        List<OpcUaDeviceDriver.WriteResult> set = driver().command("seg-1", "setSpeed", Map.of("speed", 2.0))
                .get(10, TimeUnit.SECONDS);
        assertThat(set).singleElement().satisfies(r -> assertThat(r.good()).as(r.status()).isTrue());
        await().atMost(Duration.ofSeconds(10)).until(() -> plc.segment(1).speedSetpoint() == 2.0);

        List<OpcUaDeviceDriver.WriteResult> refused = driver().command("seg-typo", "forceSpeed", Map.of("speed", 1.0))
                .get(10, TimeUnit.SECONDS);
        assertThat(refused).singleElement().satisfies(r -> {
            assertThat(r.good()).isFalse();
            assertThat(r.status()).startsWith("Bad_"); // Bad_UserAccessDenied: Speed is read-only
        });
    }

    @Test
    void aPlcRestartIsSurvivedAndWhatChangedMeanwhileIsRead() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> driver().isConnected() && Boolean.TRUE.equals(last("seg-1", "running")));
        assertThat(driver().command("seg-1", "stop", Map.of()).get(10, TimeUnit.SECONDS))
                .allSatisfy(r -> assertThat(r.good()).isTrue());
        await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.FALSE.equals(last("seg-1", "running")));

        // a power cycle: the PLC comes back with its defaults (segments commanded to run again)
        plc.restart(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(60)).until(() -> Boolean.TRUE.equals(last("seg-1", "running")));
        await().atMost(Duration.ofSeconds(30)).until(() -> driver().isConnected());
        assertThat(host.of(MessageType.DDEATH)).as("the devices went offline while the PLC was away")
                .extracting(r -> r.topic().deviceId()).contains("seg-1");
        // the subscription was made again: live changes flow after the restart
        long before = host.metrics("seg-1", "running").size();
        driver().command("seg-1", "stop", Map.of()).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> host.metrics("seg-1", "running").size() > before
                && Boolean.FALSE.equals(last("seg-1", "running")));
        driver().command("seg-1", "start", Map.of()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aValueOfTheWrongTypeAndACommandForAnUnknownSegmentAreReportedAndTheRestRuns() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> host.deadLetters.stream().anyMatch(d ->
                d.contains("OPCUA_BAD_TYPE") && d.contains("seg-typo") && d.contains("temperatureWhole")));
        await().atMost(Duration.ofSeconds(20)).until(() -> host.deadLetters.stream().anyMatch(d ->
                d.contains("OPCUA_BAD_NODE_ID") && d.contains("seg-9") && d.contains("running")));
        await().atMost(Duration.ofSeconds(30)).until(() -> driver().isConnected());
        List<OpcUaDeviceDriver.WriteResult> unknown = driver().command("seg-9", "stop", Map.of()).get(10, TimeUnit.SECONDS);
        assertThat(unknown).singleElement().satisfies(r -> {
            assertThat(r.good()).isFalse();
            assertThat(r.status()).isEqualTo("Bad_NodeIdUnknown");
        });
        assertThat(driver().command("seg-1", "halt", Map.of())).isCompletedExceptionally();
        // everything else still flows
        long before = host.metrics("seg-1", "motorCurrent").size();
        await().atMost(Duration.ofSeconds(20)).until(() -> host.metrics("seg-1", "motorCurrent").size() > before);
    }

    /** Whether the device's last birth or death certificate upstream is a birth. */
    private boolean born(String device) {
        boolean born = false;
        for (SparkplugObserver.Received r : host.sparkplug) {
            if (device.equals(r.topic().deviceId())) {
                if (r.topic().type() == MessageType.DBIRTH) {
                    born = true;
                } else if (r.topic().type() == MessageType.DDEATH) {
                    born = false;
                }
            }
        }
        return born;
    }

    @Test
    void aDeviceWhoseValuesNeverChangeStaysOnlineWhileThePlcPublishes() {
        await().atMost(Duration.ofSeconds(60)).until(() -> driver().isConnected() && born("quiet-line")
                && Boolean.FALSE.equals(last("quiet-line", "estop")));
        // its profile calls it stale after 2 s of silence; the subscription's publishes and keep-alives say it is there
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> born("quiet-line"));
    }
}
