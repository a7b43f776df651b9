package io.wareedge.edge;

import io.wareedge.embedded.Closing;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.wareedge.edge.config.AgentConfigLoader;
import io.wareedge.edge.driver.GpioDeviceDriver;
import io.wareedge.edge.rules.StackLight;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.sim.conveyor.ConveyorPlcSimulator;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GPIO through Pi4J's mock platform: the wired e-stop input stops the conveyor line (interlock) and the stack
 * light shows the zone's worst condition — green when normal, red with the buzzer for a jam, the e-stop or an
 * unreachable PLC, yellow for a yellow (degraded) alarm.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GpioStackLightIT {
    @TempDir
    static Path dir;

    private ConveyorPlcSimulator plc;
    private EmbeddedMqttBroker uplinkBroker;
    private EdgeAgent agent;

    @BeforeAll
    void start() {
        plc = ConveyorPlcSimulator.start(0, ConveyorPlcSimulator.Settings.defaults(1, 2));
        uplinkBroker = EmbeddedMqttBroker.start(dir.resolve("hivemq"), 0);
        agent = EdgeAgent.start(AgentConfigLoader.parse("""
                site: dc-test
                agentId: gw-gpio
                dataDir: agent
                profileDirs: [%s]
                uplink: { url: %s, initialBackoff: 100ms, maxBackoff: 1s }
                opcuaServers:
                  - { name: line-1, endpoint: %s, publishingInterval: 50ms }
                devices:
                  - { name: seg-1, profile: conveyor-plc-opcua, server: line-1, address: { line: "1", segment: "1" } }
                  - { name: seg-2, profile: conveyor-plc-opcua, server: line-1, address: { line: "1", segment: "2" } }
                  - { name: seg-2-watch, profile: conveyor-current-watch, server: line-1, address: { line: "1", segment: "2" } }
                  - { name: stack-light-1, profile: stack-light-gpio, gpio: true }
                stackLight: { device: stack-light-1 }
                interlocks:
                  - name: wired-estop-stops-line
                    when: { device: stack-light-1, resource: emergencyStop, equals: true }
                    then:
                      - { device: seg-1, command: stop }
                      - { device: seg-2, command: stop }
                """.formatted(profiles(), uplinkBroker.url(), plc.endpointUrl()), dir));
        // the mock platform starts every input low; with its pull-up a released e-stop contact reads high
        ((MockDigitalInput) gpio().input("stack-light-1", "emergencyStop")).mockState(DigitalState.HIGH);
    }

    @AfterAll
    void stop() throws Exception {
        Closing.all(agent, uplinkBroker, plc);
    }

    private static Path profiles() {
        try {
            return Path.of(GpioStackLightIT.class.getResource("/test-profiles").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private GpioDeviceDriver gpio() {
        return agent.gpio().orElseThrow();
    }

    private void awaitLight(StackLight.Colour colour) {
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.stackLight().orElseThrow().colour() == colour
                    && gpio().state("stack-light-1", "red") == (colour == StackLight.Colour.RED)
                    && gpio().state("stack-light-1", "yellow") == (colour == StackLight.Colour.YELLOW)
                    && gpio().state("stack-light-1", "green") == (colour == StackLight.Colour.GREEN)
                    && gpio().state("stack-light-1", "buzzer") == (colour == StackLight.Colour.RED));
        } catch (ConditionTimeoutException e) {
            // this failed once under a loaded machine without a trace of why: show where every thread was
            System.err.println("stack light still " + agent.stackLight().orElseThrow().colour() + " ("
                    + agent.stackLight().orElseThrow().reason() + "), expected " + colour + "; threads:");
            Thread.getAllStackTraces().forEach((t, stack) -> {
                System.err.println("\"" + t.getName() + "\" " + t.getState());
                for (StackTraceElement f : stack) {
                    System.err.println("    at " + f);
                }
            });
            throw e;
        }
    }

    private void startLine() {
        agent.command("seg-1", "start", Map.of()).join();
        agent.command("seg-2", "start", Map.of()).join();
    }

    @Test
    void greenWhenNormalRedForAJamAndTheWiredEmergencyStopStopsTheLine() {
        awaitLight(StackLight.Colour.GREEN);

        plc.jam(2, true);
        awaitLight(StackLight.Colour.RED);
        assertThat(agent.stackLight().orElseThrow().reason()).contains("seg-2").contains("jam");
        plc.jam(2, false);
        awaitLight(StackLight.Colour.GREEN);

        startLine();
        await().atMost(Duration.ofSeconds(10)).until(() -> plc.segment(1).running() && plc.segment(2).running());
        MockDigitalInput estop = (MockDigitalInput) gpio().input("stack-light-1", "emergencyStop");
        estop.mockState(DigitalState.LOW); // active low: the contact closes to ground while pressed
        await().atMost(Duration.ofSeconds(10)).until(() -> !plc.segment(1).runCommand() && !plc.segment(2).runCommand());
        awaitLight(StackLight.Colour.RED);
        assertThat(agent.stackLight().orElseThrow().reason()).contains("emergencyStop");
        estop.mockState(DigitalState.HIGH);
        awaitLight(StackLight.Colour.GREEN);
        startLine();
    }

    @Test
    void yellowWhileDegradedAndRedWhileThePlcIsAway() {
        awaitLight(StackLight.Colour.GREEN);
        plc.overcurrent(2, 5); // above the watch's yellow limit, below the conveyor's red one
        awaitLight(StackLight.Colour.YELLOW);
        assertThat(agent.stackLight().orElseThrow().reason()).contains("currentHigh");
        plc.overcurrent(2, 0);
        awaitLight(StackLight.Colour.GREEN);

        // the conveyor profile calls an unreachable PLC red
        Thread restart = new Thread(() -> plc.restart(Duration.ofSeconds(3)));
        restart.start();
        awaitLight(StackLight.Colour.RED);
        assertThat(agent.stackLight().orElseThrow().reason()).contains("plcOffline");
        awaitLight(StackLight.Colour.GREEN);
    }
}
