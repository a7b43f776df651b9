package io.wareedge.edge;

import io.wareedge.embedded.Closing;
import com.fasterxml.jackson.databind.JsonNode;
import io.wareedge.edge.config.AgentConfigLoader;
import io.wareedge.edge.config.ConfigException;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.sim.conveyor.ConveyorPlcSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Local interlocks declared in the agent's configuration, against the conveyor PLC simulator: a jam on segment 2
 * stops segment 1 within 200 ms of the agent seeing it, the emergency stop stops the whole line, a segment over
 * its current limit for the hold time is stopped; each firing goes upstream as an event naming its rule. The
 * uplink broker is stopped first: interlocks do not need it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InterlocksIT {
    @TempDir
    static Path dir;

    private ConveyorPlcSimulator plc;
    private EmbeddedMqttBroker uplinkBroker;
    private SparkplugObserver host;
    private EdgeAgent agent;

    private static final String CONFIG = """
            site: dc-test
            agentId: gw-rules
            dataDir: agent
            uplink: { url: %s, initialBackoff: 100ms, maxBackoff: 1s }
            opcuaServers:
              - { name: line-1, endpoint: %s, publishingInterval: 50ms }
            devices:
              - { name: seg-1, profile: conveyor-plc-opcua, server: line-1, address: { line: "1", segment: "1" } }
              - { name: seg-2, profile: conveyor-plc-opcua, server: line-1, address: { line: "1", segment: "2" } }
              - { name: seg-3, profile: conveyor-plc-opcua, server: line-1, address: { line: "1", segment: "3" } }
              - { name: line-1, profile: conveyor-line-opcua, server: line-1, address: { line: "1" } }
            interlocks:
              - name: jam-on-2-stops-1
                when: { device: seg-2, resource: jam, equals: true }
                then: { device: seg-1, command: stop }
              - name: estop-stops-line
                when: { device: line-1, resource: estop, equals: true }
                then:
                  - { device: seg-1, command: stop }
                  - { device: seg-2, command: stop }
                  - { device: seg-3, command: stop }
              - name: overcurrent-stops-3
                when: { device: seg-3, resource: motorCurrent, above: 10 }
                for: 1s
                then: { device: seg-3, command: stop }
            """;

    @BeforeAll
    void start() throws Exception {
        plc = ConveyorPlcSimulator.start(0, ConveyorPlcSimulator.Settings.defaults(1, 3));
        uplinkBroker = EmbeddedMqttBroker.start(dir.resolve("hivemq"), 0);
        host = new SparkplugObserver(uplinkBroker.url());
        agent = EdgeAgent.start(AgentConfigLoader.parse(CONFIG.formatted(uplinkBroker.url(), plc.endpointUrl()), dir));
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.opcuaDrivers().get(0).isConnected()
                && plc.segment(1).running() && plc.segment(3).running());
    }

    @AfterAll
    void stop() throws Exception {
        Closing.all(agent, host, uplinkBroker, plc);
    }

    private Optional<JsonNode> event(String rule) {
        return host.interlockEvents.stream().filter(e -> rule.equals(e.path("rule").asText())).findFirst();
    }

    private void restartAll() {
        for (int s = 1; s <= 3; s++) {
            agent.opcuaDrivers().get(0).command("seg-" + s, "start", java.util.Map.of()).join();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> plc.segment(1).running() && plc.segment(2).running()
                && plc.segment(3).running());
    }

    @Test
    void aJamStopsTheUpstreamSegmentFastAndTheFiringGoesUpstream() {
        restartAll();
        long t0 = System.nanoTime();
        plc.jam(2, true);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> !plc.segment(1).runCommand());
        long reactionMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(plc.segment(3).runCommand()).as("downstream keeps running").isTrue();
        JsonNode e = await().atMost(Duration.ofSeconds(20)).until(() -> event("jam-on-2-stops-1"), Optional::isPresent).get();
        assertThat(e.path("device").asText()).isEqualTo("seg-2");
        assertThat(e.path("actions").get(0).path("result").asText()).isEqualTo("Good");
        assertThat(e.path("actionMillis").asLong()).as("rule fired → PLC acknowledged the write").isLessThan(200);
        // from the jam on the PLC to the stop on the PLC: sampling (100 ms) + publishing (50 ms) + the rule
        assertThat(reactionMillis).as("jam injected → segment 1 stopped").isLessThan(1_000);
        plc.jam(2, false);
    }

    @Test
    void theEmergencyStopStopsTheWholeLineAlsoWithTheUplinkDown() throws Exception {
        restartAll();
        long before = host.interlockEvents.size();
        int port = java.net.URI.create(uplinkBroker.url()).getPort();
        uplinkBroker.close(); // the control plane is gone; the line must still stop
        plc.emergencyStop(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> !plc.segment(1).runCommand() && !plc.segment(2).runCommand()
                && !plc.segment(3).runCommand());
        plc.emergencyStop(false);
        uplinkBroker = EmbeddedMqttBroker.start(dir.resolve("hivemq"), port);
        JsonNode e = await().atMost(Duration.ofSeconds(60)).until(() -> event("estop-stops-line"), Optional::isPresent).get();
        assertThat(e.path("actions")).hasSize(3);
        assertThat(host.interlockEvents.size()).isGreaterThan((int) before);
    }

    @Test
    void aSegmentOverItsCurrentLimitForTheHoldTimeIsStopped() {
        restartAll();
        plc.overcurrent(3, 9);
        await().atMost(Duration.ofSeconds(10)).until(() -> !plc.segment(3).runCommand());
        JsonNode e = await().atMost(Duration.ofSeconds(20)).until(() -> event("overcurrent-stops-3"), Optional::isPresent).get();
        assertThat(e.path("firedAt").asLong() - e.path("heldSince").asLong()).isGreaterThanOrEqualTo(1_000);
        plc.overcurrent(3, 0);
    }

    @Test
    void aRuleOnAnUnknownResourceOrCommandIsRefusedAtStart() {
        String bad = CONFIG.replace("resource: jam", "resource: jammed").formatted(uplinkBroker.url(), plc.endpointUrl());
        assertThatThrownBy(() -> EdgeAgent.start(AgentConfigLoader.parse(bad, dir.resolve("bad"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("interlocks[0].when.resource");
        String badCommand = CONFIG.replace("then: { device: seg-1, command: stop }", "then: { device: seg-1, command: halt }")
                .formatted(uplinkBroker.url(), plc.endpointUrl());
        assertThatThrownBy(() -> EdgeAgent.start(AgentConfigLoader.parse(badCommand, dir.resolve("bad2"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("halt");
    }
}
