package io.wareedge.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ShippedProfilesTest {
    private static final Path PROFILE_DIR = Path.of("profiles");

    @Test
    void indexListsExactlyTheProfileFilesOfTheDirectory() throws IOException {
        try (Stream<Path> files = Files.list(PROFILE_DIR)) {
            assertThat(ProfileLoader.bundledFileNames()).containsExactlyInAnyOrderElementsOf(
                    files.map(f -> f.getFileName().toString()).filter(ProfileLoader::isProfileFile).toList());
        }
    }

    @Test
    void everyShippedProfileLoadsFromClasspathAndDirectory() {
        ProfileCatalog bundled = ProfileLoader.loadBundled();
        assertThat(bundled.all()).extracting(DeviceProfile::id).containsExactly("conveyor-line-opcua", "conveyor-plc-opcua",
                "generic-sorter", "impinj-r700", "impinj-speedway-connect", "stack-light-gpio", "zebra-fx9600",
                "zigbee2mqtt-temp-humidity");
        assertThat(ProfileLoader.loadDirectory(PROFILE_DIR).ids()).isEqualTo(bundled.ids());
    }

    @Test
    void everyShippedResourceHasSimulationHintsOrIsDerived() {
        for (DeviceProfile p : ProfileLoader.loadBundled().all()) {
            for (Resource r : p.resources()) {
                boolean derived = r.mqtt().map(a -> a.reduce() == ArrayReduce.COUNT).orElse(false)
                        || r.name().equals("lastSeen") || r.name().equals("faultText");
                if (!derived) {
                    SimulationHints h = r.simulate();
                    assertThat(h.typical().isPresent() || !h.values().isEmpty() || h.generator().isPresent())
                            .as(p.id() + "." + r.name()).isTrue();
                }
            }
        }
    }

    @Test
    void catalogRequireNamesKnownIds() {
        assertThatThrownBy(() -> ProfileLoader.loadBundled().require("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope").hasMessageContaining("zebra-fx9600");
        assertThat(ProfileLoader.loadBundled().find("nope")).isEmpty();
    }

    @Test
    void conveyorProfileHasOpcUaAddressesCommandsAndAlarms() {
        DeviceProfile p = ProfileLoader.loadBundled().require("conveyor-plc-opcua");
        assertThat(p.kind()).isEqualTo(DeviceKind.CONVEYOR_PLC);
        assertThat(p.mqttStreams()).isEmpty();
        OpcUaAddress speed = p.resource("speed").orElseThrow().opcua().orElseThrow();
        assertThat(speed.nodeId(Map.of("line", "1", "segment", "4"))).isEqualTo("ns=2;s=Line1.Seg4.Speed");
        assertThat(speed.samplingInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(p.resource("itemCount").orElseThrow().type()).isEqualTo(ValueType.UINT32);
        OpcUaWrite write = p.command("setSpeed").orElseThrow().opcua().orElseThrow().writes().get(0);
        assertThat(write.parameter()).contains("speed");
        assertThat(p.command("start").orElseThrow().opcua().orElseThrow().writes().get(0).constant())
                .contains(Boolean.TRUE);
        AlarmDefinition jam = p.alarms().stream().filter(a -> a.name().equals("jam")).findFirst().orElseThrow();
        assertThat(jam.condition()).isEqualTo(new AlarmCondition.EqualsValue("true"));
        assertThat(jam.raisedBy(true)).isTrue();
        AlarmDefinition current = p.alarms().stream().filter(a -> a.name().equals("motorOvercurrent"))
                .findFirst().orElseThrow();
        assertThat(current.forDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(current.severity()).isEqualTo(Severity.RED);
        assertThat(current.raisedBy(12.5)).isTrue();
        assertThat(current.clearedBy(11.5)).isFalse();
        assertThat(current.clearedBy(10.9)).isTrue();
        assertThat(p.command("setSpeed").orElseThrow().validateArguments(Map.of("speed", "1.5")))
                .containsEntry("speed", 1.5);
        assertThatThrownBy(() -> p.command("setSpeed").orElseThrow().validateArguments(Map.of("speed", 9)))
                .hasMessageContaining("out of range");
    }

    @Test
    void stackLightProfileHasGpioOutputsAndDebouncedEmergencyStop() {
        DeviceProfile p = ProfileLoader.loadBundled().require("stack-light-gpio");
        GpioAddress estop = p.resource("emergencyStop").orElseThrow().gpio().orElseThrow();
        assertThat(estop).isEqualTo(new GpioAddress(24, Direction.INPUT, Pull.UP, Duration.ofMillis(20), true));
        assertThat(p.resource("red").orElseThrow().gpio().orElseThrow().direction()).isEqualTo(Direction.OUTPUT);
        assertThat(p.commands()).extracting(Command::name)
                .containsExactly("setRed", "setYellow", "setGreen", "setBuzzer");
        assertThat(p.command("setRed").orElseThrow().gpio()).contains(new GpioCommandTarget("red", "on"));
    }

    @Test
    void sorterProfileHasDivertCommandAndFaultAlarm() {
        DeviceProfile p = ProfileLoader.loadBundled().require("generic-sorter");
        MqttCommandTarget divert = p.command("divert").orElseThrow().mqtt().orElseThrow();
        assertThat(divert.topic().expand(Map.of("device", "s1"))).isEqualTo("sorters/s1/divert");
        assertThat(divert.qos()).isEqualTo(1);
        AlarmDefinition fault = p.alarms().get(0);
        assertThat(fault.condition()).isEqualTo(new AlarmCondition.EqualsValue("fault"));
        assertThat(fault.severity()).isEqualTo(Severity.RED);
        assertThat(p.staleAfter()).isEqualTo(Duration.ofSeconds(15));
    }
}
