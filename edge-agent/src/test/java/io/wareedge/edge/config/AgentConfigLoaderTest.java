package io.wareedge.edge.config;

import io.wareedge.edge.outbox.OutboxFullPolicy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConfigLoaderTest {

    private static final String GOOD = """
            site: dc-north
            agentId: gw-1
            uplink:
              url: tcp://127.0.0.1:1883
            outbox:
              maxSize: 64MiB
              fsyncEvery: 1s
              whenFull: reject-new
            deviceBrokers:
              - name: floor
                url: tcp://127.0.0.1:1884
            devices:
              - name: reader-1
                profile: zebra-fx9600
                address: { device: fx-1 }
            """;

    private static AgentConfig parse(String yaml) {
        return AgentConfigLoader.parse(yaml, Path.of("/srv/agent"));
    }

    @Test
    void readsAGoodConfigurationWithDefaults() {
        AgentConfig c = parse(GOOD);
        assertThat(c.site()).isEqualTo("dc-north");
        assertThat(c.dataDir()).isEqualTo(Path.of("/srv/agent/var/agent-gw-1"));
        assertThat(c.uplink().dataQos()).isEqualTo(1);
        assertThat(c.uplink().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.outbox().maxBytes()).isEqualTo(64L << 20);
        assertThat(c.outbox().fullPolicy()).isEqualTo(OutboxFullPolicy.REJECT_NEW);
        assertThat(c.outbox().directory()).isEqualTo(Path.of("/srv/agent/var/agent-gw-1/outbox"));
        assertThat(c.devices().get(0).broker()).isEqualTo("floor");
        assertThat(c.devices().get(0).address()).containsEntry("device", "fx-1");
    }

    @Test
    void aDataWindowLongerThanFiveSecondsIsRefused() {
        assertThat(parse(GOOD).uplink().dataWindow()).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> parse(GOOD.replace("  url: tcp://127.0.0.1:1883", "  url: tcp://127.0.0.1:1883\n  dataWindow: 10s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("uplink.dataWindow: must be at most 5s")
                .hasMessageContaining("10s");
    }

    @Test
    void unknownKeyNamesItsPathAndTheAllowedKeys() {
        assertThatThrownBy(() -> parse(GOOD.replace("  url: tcp://127.0.0.1:1883", "  url: tcp://127.0.0.1:1883\n  keepalive: 5s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("uplink.keepalive: unknown key")
                .hasMessageContaining("keepAlive");
    }

    @Test
    void durationWithoutUnitIsRefusedWithKeyRuleAndValue() {
        assertThatThrownBy(() -> parse(GOOD.replace("fsyncEvery: 1s", "fsyncEvery: 200")))
                .hasMessageStartingWith("outbox.fsyncEvery: must be a duration with its unit")
                .hasMessageContaining("(got 200)");
    }

    @Test
    void sizeWithoutUnitIsRefused() {
        assertThatThrownBy(() -> parse(GOOD.replace("maxSize: 64MiB", "maxSize: 64")))
                .hasMessageStartingWith("outbox.maxSize: must be a size with its unit");
    }

    @Test
    void badBrokerUrlIsRefused() {
        assertThatThrownBy(() -> parse(GOOD.replace("url: tcp://127.0.0.1:1884", "url: localhost")))
                .hasMessageStartingWith("deviceBrokers[0].url: must be an MQTT URL");
        assertThatThrownBy(() -> parse(GOOD.replace("url: tcp://127.0.0.1:1884", "url: ws://127.0.0.1:8080")))
                .hasMessageStartingWith("deviceBrokers[0].url: a device broker is reached over tcp:// or ssl://");
    }

    @Test
    void deviceOnAnUnknownBrokerIsRefused() {
        assertThatThrownBy(() -> parse(GOOD.replace("address: { device: fx-1 }", "broker: roof\n    address: { device: fx-1 }")))
                .hasMessageStartingWith("devices[0].broker: must name one of deviceBrokers");
    }

    @Test
    void duplicateDeviceNamesAreRefused() {
        assertThatThrownBy(() -> parse(GOOD + """
                  - name: reader-1
                    profile: zebra-fx9600
                """))
                .hasMessageStartingWith("devices[1].name: must be unique");
    }

    @Test
    void idsThatCannotBeTopicLevelsAreRefused() {
        assertThatThrownBy(() -> parse(GOOD.replace("agentId: gw-1", "agentId: gw/1")))
                .hasMessageStartingWith("agentId: must be letters, digits");
    }

    @Test
    void missingRequiredKeyIsNamed() {
        assertThatThrownBy(() -> parse(GOOD.replace("site: dc-north\n", "")))
                .hasMessageStartingWith("site: is required");
    }

    @Test
    void qosOutOfRangeIsRefused() {
        assertThatThrownBy(() -> parse(GOOD.replace("  url: tcp://127.0.0.1:1883", "  url: tcp://127.0.0.1:1883\n  dataQos: 2")))
                .hasMessageStartingWith("uplink.dataQos: must be between 0 and 1");
    }

    private static final String EDGE_IO = (GOOD + """
            opcuaServers:
              - { name: plc, endpoint: "opc.tcp://10.0.0.5:4840", security: basic256sha256-sign }
            interlocks:
              - name: jam-stops-1
                when: { device: seg-2, resource: jam, equals: true }
                for: 2s
                then: { device: seg-1, command: stop }
            stackLight: { device: light }
            """).replace("devices:\n", "devices:\n  - { name: seg-1, profile: conveyor-plc-opcua, server: plc, address: { line: \"1\", segment: \"1\" } }\n"
            + "  - { name: seg-2, profile: conveyor-plc-opcua, server: plc, address: { line: \"1\", segment: \"2\" } }\n"
            + "  - { name: light, profile: stack-light-gpio, gpio: true }\n");

    @Test
    void readsOpcUaServersGpioDevicesInterlocksAndTheStackLight() {
        AgentConfig c = parse(EDGE_IO);
        assertThat(c.opcuaServers()).singleElement().satisfies(s -> {
            assertThat(s.security()).isEqualTo(OpcUaSecurity.BASIC256SHA256_SIGN);
            assertThat(s.publishingInterval()).isEqualTo(Duration.ofMillis(100));
        });
        assertThat(c.devices()).filteredOn(AgentConfig.Device::isOpcUa).hasSize(2);
        assertThat(c.devices()).filteredOn(AgentConfig.Device::isGpio).singleElement()
                .satisfies(d -> assertThat(d.broker()).isNull());
        assertThat(c.interlocks()).singleElement().satisfies(r -> {
            assertThat(r.holdFor()).isEqualTo(Duration.ofSeconds(2));
            assertThat(r.when().test(true)).isTrue();
            assertThat(r.when().test(false)).isFalse();
            assertThat(r.then()).singleElement().satisfies(a -> assertThat(a.command()).isEqualTo("stop"));
        });
        assertThat(c.stackLight().device()).isEqualTo("light");
    }

    @Test
    void edgeIoMistakesNameTheirKey() {
        assertThatThrownBy(() -> parse(EDGE_IO.replace("server: plc, address: { line: \"1\", segment: \"1\" }",
                "server: plx, address: { line: \"1\", segment: \"1\" }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("devices[0].server");
        assertThatThrownBy(() -> parse(EDGE_IO.replace("opc.tcp://10.0.0.5:4840", "http://10.0.0.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("opcuaServers[0].endpoint");
        assertThatThrownBy(() -> parse(EDGE_IO.replace("security: basic256sha256-sign", "security: aes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("opcuaServers[0].security");
        assertThatThrownBy(() -> parse(EDGE_IO.replace("gpio: true", "gpio: yes please")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("gpio");
        assertThatThrownBy(() -> parse(EDGE_IO.replace("equals: true }", "equals: true, above: 3 }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("interlocks[0].when")
                .hasMessageContaining("exactly one of equals, above, below");
        assertThatThrownBy(() -> parse(EDGE_IO.replace("{ device: seg-1, command: stop }", "{ device: seg-9, command: stop }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("interlocks[0].then.device");
        assertThatThrownBy(() -> parse(EDGE_IO.replace("stackLight: { device: light }", "stackLight: { device: lamp }")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("stackLight.device");
    }
}
