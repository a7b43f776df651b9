package io.wareedge.edge.sortation;

import io.wareedge.edge.config.ConfigException;
import io.wareedge.edge.ingest.BoundDevice;
import io.wareedge.profiles.Command;
import io.wareedge.profiles.DeviceKind;
import io.wareedge.profiles.DeviceProfile;
import io.wareedge.profiles.MqttCommandTarget;
import io.wareedge.profiles.MqttStream;

import java.util.List;

/**
 * How a sorter's profile maps onto the sorter protocol (docs/sorter-protocol.md): the streams, resources and
 * command the agent looks for by name. Checked when the agent starts, so a site's own sorter profile that misses
 * one fails then, naming it.
 */
public record SorterBinding(BoundDevice device, String divertTopic, int divertQos) {

    static final String INDUCTION = "induction";
    static final String RESULT = "result";
    static final String CHUTE = "chute";
    static final String DIVERT = "divert";
    static final String CHUTE_VARIABLE = "chute";

    public static boolean isSorter(BoundDevice device) {
        return device.profile().kind() == DeviceKind.SORTER;
    }

    /** Checks the device's profile against the protocol; {@code key} locates the device in the configuration. */
    public static SorterBinding of(BoundDevice device, String key) {
        DeviceProfile p = device.profile();
        requireStream(p, key, INDUCTION, List.of("seq", "codes"));
        requireStream(p, key, RESULT, List.of("resultSeq", "resultChute", "outcome"));
        MqttStream chute = requireStream(p, key, CHUTE, List.of("chuteState"));
        if (!chute.topic().variables().contains(CHUTE_VARIABLE)) {
            throw problem(key, p, "stream 'chute' must carry the chute number as topic variable {chute}");
        }
        Command divert = p.command(DIVERT).orElseThrow(() -> problem(key, p, "needs a command 'divert'"));
        for (String param : List.of("seq", "pass", "chute", "reason")) {
            if (divert.parameter(param).isEmpty()) {
                throw problem(key, p, "command 'divert' needs a parameter '" + param + "'");
            }
        }
        MqttCommandTarget target = divert.mqtt().orElseThrow(() -> problem(key, p, "command 'divert' must go over mqtt"));
        String topic = target.topic().expand(device.config().address());
        return new SorterBinding(device, topic, target.qos());
    }

    private static MqttStream requireStream(DeviceProfile p, String key, String stream, List<String> resources) {
        MqttStream s = p.mqttStream(stream).orElseThrow(() -> problem(key, p, "needs an mqtt stream '" + stream + "'"));
        for (String r : resources) {
            boolean onStream = p.resourcesOf(stream).stream().anyMatch(res -> res.name().equals(r));
            if (!onStream) {
                throw problem(key, p, "stream '" + stream + "' needs a resource '" + r + "'");
            }
        }
        return s;
    }

    private static ConfigException problem(String key, DeviceProfile p, String rule) {
        return new ConfigException(key + ".profile", "a sorter profile (see docs/sorter-protocol.md) " + rule, p.id());
    }

    public String name() {
        return device.name();
    }

    static boolean handles(String stream) {
        return INDUCTION.equals(stream) || RESULT.equals(stream) || CHUTE.equals(stream);
    }
}
