package io.wareedge.sim;

import io.wareedge.profiles.DecodeResult;
import io.wareedge.profiles.DeviceProfile;
import io.wareedge.profiles.JsonPayloadDecoder;
import io.wareedge.profiles.ProfileLoader;
import io.wareedge.profiles.TopicTemplate;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedDeviceTest {

    private static Map<String, String> addressFor(DeviceProfile p) {
        Map<String, String> vars = new HashMap<>();
        p.mqttStreams().forEach(s -> s.topic().variables().forEach(v -> vars.put(v, "sim-1")));
        return vars;
    }

    private static List<DeviceProfile> simulatedMqttProfiles() {
        return ProfileLoader.loadBundled().all().stream()
                .filter(p -> !p.mqttStreams().isEmpty())
                .filter(p -> p.resources().stream().anyMatch(r -> r.mqtt().isPresent() && ValueGenerator.isSimulated(r)))
                .toList();
    }

    @Test
    void everyShippedMqttProfileIsSimulatedExactlyAsItsDecoderExpects() {
        List<DeviceProfile> profiles = simulatedMqttProfiles();
        assertThat(profiles).extracting(DeviceProfile::id)
                .contains("zebra-fx9600", "impinj-speedway-connect", "impinj-r700", "zigbee2mqtt-temp-humidity");
        for (DeviceProfile p : profiles) {
            SimulatedDevice device = new SimulatedDevice("d", p, addressFor(p), 7);
            for (int tick = 0; tick < 50; tick++) {
                for (SimulatedDevice.Message m : device.tick(Instant.now(), 1.0 / 3600)) {
                    String stream = p.mqttStreams().stream()
                            .filter(s -> s.topic().match(m.topic()).isPresent()).findFirst().orElseThrow().name();
                    DecodeResult result = JsonPayloadDecoder.forStream(p, stream).decode(m.payload(), Instant.now());
                    assertThat(result.problems()).as(p.id() + " " + new String(m.payload())).isEmpty();
                    assertThat(result.records()).as(p.id()).hasSize(Math.max(1, p.simulation().recordsPerMessage()));
                }
            }
        }
    }

    @Test
    void malformedMessagesAreRejectedByTheDecoderEveryTime() {
        DeviceProfile p = ProfileLoader.loadBundled().require("zigbee2mqtt-temp-humidity");
        SimulatedDevice device = new SimulatedDevice("d", p, addressFor(p), 7);
        String stream = p.mqttStreams().get(0).name();
        for (int i = 0; i < 8; i++) {
            SimulatedDevice.Message m = device.malformed(Instant.now());
            assertThat(m.malformed()).isTrue();
            DecodeResult result = JsonPayloadDecoder.forStream(p, stream).decode(m.payload(), Instant.now());
            assertThat(result.problems()).as(new String(m.payload())).isNotEmpty();
        }
    }

    @Test
    void topicsFollowTheDeviceAddress() {
        DeviceProfile p = ProfileLoader.loadBundled().require("zebra-fx9600");
        SimulatedDevice device = new SimulatedDevice("d", p, Map.of("device", "fx-7"), 1);
        TopicTemplate t = p.mqttStreams().get(0).topic();
        assertThat(device.tick(Instant.now(), 0).get(0).topic()).isEqualTo(t.expand(Map.of("device", "fx-7")));
    }
}
