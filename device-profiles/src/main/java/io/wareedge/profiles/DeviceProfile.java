package io.wareedge.profiles;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A device model: how to read it, what its values mean, which commands it accepts, which alarms it raises and how
 * a simulator imitates it. Load one with {@link ProfileLoader}; construction validates every cross-reference.
 *
 * @param staleAfter no data for this long means the device is stale/offline
 */
public record DeviceProfile(int schemaVersion, String id, String manufacturer, String model, DeviceKind kind,
                            String description, List<MqttStream> mqttStreams, List<Resource> resources,
                            List<Command> commands, List<AlarmDefinition> alarms, Duration staleAfter,
                            SimulationProfile simulation) {

    /** Schema versions this library reads. */
    public static final List<Integer> SUPPORTED_SCHEMA_VERSIONS = List.of(1);
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(60);

    public DeviceProfile {
        if (!SUPPORTED_SCHEMA_VERSIONS.contains(schemaVersion)) {
            throw new IllegalArgumentException("unsupported schemaVersion " + schemaVersion + " (supported: "
                    + SUPPORTED_SCHEMA_VERSIONS + ")");
        }
        Checks.id(id);
        manufacturer = Checks.text(manufacturer);
        model = Checks.text(model);
        Checks.notNull("kind", kind);
        description = Checks.text(description);
        mqttStreams = mqttStreams == null ? List.of() : List.copyOf(mqttStreams);
        resources = resources == null ? List.of() : List.copyOf(resources);
        commands = commands == null ? List.of() : List.copyOf(commands);
        alarms = alarms == null ? List.of() : List.copyOf(alarms);
        staleAfter = staleAfter == null ? DEFAULT_STALE_AFTER : staleAfter;
        simulation = simulation == null ? SimulationProfile.DEFAULT : simulation;
        if (staleAfter.isZero() || staleAfter.isNegative()) {
            throw new IllegalArgumentException("staleAfter must be positive");
        }
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("a profile needs at least one resource");
        }
        Checks.unique("stream", mqttStreams, MqttStream::name);
        Checks.unique("resource", resources, Resource::name);
        Checks.unique("command", commands, Command::name);
        Checks.unique("alarm", alarms, AlarmDefinition::name);
        Map<String, MqttStream> streams = byName(mqttStreams, MqttStream::name);
        for (Resource r : resources) {
            checkStream(r, streams);
        }
        Map<String, Resource> resourcesByName = byName(resources, Resource::name);
        commands.forEach(c -> c.checkAgainst(resourcesByName));
        alarms.forEach(a -> a.checkAgainst(resourcesByName));
    }

    static void checkStream(Resource r, Map<String, MqttStream> streams) {
        if (r.mqtt().isPresent() && !streams.containsKey(r.mqtt().get().stream())) {
            throw new IllegalArgumentException("resource '" + r.name() + "' references unknown stream '"
                    + r.mqtt().get().stream() + "'; streams: " + streams.keySet());
        }
    }

    static <T> Map<String, T> byName(List<T> items, java.util.function.Function<T, String> name) {
        Map<String, T> map = new LinkedHashMap<>();
        items.forEach(i -> map.put(name.apply(i), i));
        return map;
    }

    public Optional<Resource> resource(String name) {
        return resources.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public Optional<MqttStream> mqttStream(String name) {
        return mqttStreams.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<Command> command(String name) {
        return commands.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The resources read from the named MQTT stream, in declaration order. */
    public List<Resource> resourcesOf(String streamName) {
        return resources.stream()
                .filter(r -> r.mqtt().isPresent() && r.mqtt().get().stream().equals(streamName))
                .toList();
    }
}
