package io.wareedge.edge;

import io.wareedge.edge.config.AgentConfigLoader;
import io.wareedge.edge.driver.OpcUaDeviceDriver;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.sim.conveyor.ConveyorPlcSimulator;
import io.wareedge.sparkplug.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Basic256Sha256 with certificates, Sign and SignAndEncrypt: the agent trusts the PLC's certificate from its trust
 * list, the PLC trusts the agent's certificate once its administrator adds it, and values then flow on both.
 */
class OpcUaSecurityIT {
    @TempDir
    Path dir;

    @Test
    void signAndSignAndEncryptWorkOnceBothSidesTrustEachOther() throws Exception {
        try (ConveyorPlcSimulator plc = ConveyorPlcSimulator.start(0, ConveyorPlcSimulator.Settings.defaults(7, 2));
             EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dir.resolve("hivemq"), 0);
             SparkplugObserver host = new SparkplugObserver(broker.url())) {
            Path trusted = dir.resolve("agent/opcua/pki/trusted/certs");
            Files.createDirectories(trusted);
            Files.write(trusted.resolve("plc-line-7.der"), plc.certificate().getEncoded());
            var config = AgentConfigLoader.parse("""
                    site: dc-test
                    agentId: gw-secure
                    dataDir: agent
                    uplink: { url: %s, initialBackoff: 100ms, maxBackoff: 1s }
                    opcuaServers:
                      - { name: plc-sign, endpoint: %s, security: basic256sha256-sign }
                      - { name: plc-encrypt, endpoint: %s, security: basic256sha256-sign-and-encrypt }
                    devices:
                      - { name: signed-seg, profile: conveyor-plc-opcua, server: plc-sign, address: { line: "7", segment: "1" } }
                      - { name: sealed-seg, profile: conveyor-plc-opcua, server: plc-encrypt, address: { line: "7", segment: "2" } }
                    """.formatted(broker.url(), plc.endpointUrl(), plc.endpointUrl()), dir);
            try (EdgeAgent agent = EdgeAgent.start(config)) {
                List<OpcUaDeviceDriver> drivers = agent.opcuaDrivers();
                // the agent made its certificate; the PLC refuses it until its administrator trusts it
                await().atMost(Duration.ofSeconds(30)).until(() -> drivers.get(0).certificate().isPresent());
                assertThat(Files.exists(dir.resolve("agent/opcua/client.der"))).isTrue();
                assertThat(drivers).noneMatch(OpcUaDeviceDriver::isConnected);
                plc.trust(drivers.get(0).certificate().orElseThrow());

                await().atMost(Duration.ofSeconds(60)).until(() -> drivers.stream().allMatch(OpcUaDeviceDriver::isConnected));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    List<Metric> a = host.metrics("signed-seg", "running");
                    List<Metric> b = host.metrics("sealed-seg", "running");
                    return !a.isEmpty() && !b.isEmpty() && Boolean.TRUE.equals(b.get(b.size() - 1).value());
                });
                assertThat(drivers.get(1).certificate()).as("one identity per agent").contains(drivers.get(0).certificate().orElseThrow());
            }
        }
    }
}
