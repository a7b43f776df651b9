package io.wareedge.sim;

import io.wareedge.profiles.DeviceProfile;
import io.wareedge.profiles.JsonPayloadEncoder;
import io.wareedge.profiles.MqttStream;
import io.wareedge.profiles.Resource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * One simulated device: for each MQTT stream of its profile that has simulated resources, it produces messages
 * shaped exactly as the profile describes (the profile's own encoder writes them), on the topic its address gives.
 *
 * <p>Not thread-safe: owned by the simulator's publishing thread (name, profile, address and simulated resources
 * are immutable and may be read from anywhere).
 */
public final class SimulatedDevice {

    /** A message ready to publish. */
    public record Message(String topic, byte[] payload, boolean malformed) {
    }

    private final String name;
    private final DeviceProfile profile;
    private final Map<String, String> address;
    private final Random random;
    private final List<StreamSimulation> streams = new ArrayList<>();
    private final Set<String> simulatedResources;
    private final Map<String, Object> overrides = new HashMap<>();
    private int malformedKind;

    private record StreamSimulation(MqttStream stream, String topic, JsonPayloadEncoder encoder,
                                    Map<String, ValueGenerator> generators) {
    }

    public SimulatedDevice(String name, DeviceProfile profile, Map<String, String> address, long seed) {
        this.name = name;
        this.profile = profile;
        this.address = Map.copyOf(address);
        this.random = new Random(seed);
        for (MqttStream stream : profile.mqttStreams()) {
            Map<String, ValueGenerator> generators = new LinkedHashMap<>();
            for (Resource r : profile.resources()) {
                if (r.mqtt().isPresent() && r.mqtt().get().stream().equals(stream.name()) && ValueGenerator.isSimulated(r)) {
                    generators.put(r.name(), new ValueGenerator(r, random));
                }
            }
            if (!generators.isEmpty()) {
                streams.add(new StreamSimulation(stream, stream.topic().expand(address),
                        JsonPayloadEncoder.forStream(profile, stream.name()), generators));
            }
        }
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("profile " + profile.id() + " has no simulated MQTT resources");
        }
        Set<String> simulated = new LinkedHashSet<>();
        streams.forEach(s -> simulated.addAll(s.generators().keySet()));
        this.simulatedResources = Set.copyOf(simulated);
    }

    public String name() {
        return name;
    }

    public DeviceProfile profile() {
        return profile;
    }

    public Map<String, String> address() {
        return address;
    }

    /** The resources this device publishes simulated values for (immutable, safe to read from any thread). */
    public Set<String> simulatedResources() {
        return simulatedResources;
    }

    /**
     * From now on every message carries {@code value} for {@code resource} in place of the simulated value, until
     * {@link #clearOverride}. The value goes through the profile's encoder as it is, so it must have the type the
     * decoder expects (a {@code Double} for a float resource).
     */
    public void override(String resource, Object value) {
        if (!simulatedResources.contains(resource)) {
            throw new IllegalArgumentException("device " + name + " publishes no simulated resource '" + resource
                    + "'; it publishes " + simulatedResources);
        }
        overrides.put(resource, Objects.requireNonNull(value, "value"));
    }

    /** Back to simulated values for {@code resource}; nothing happens when it was not overridden. */
    public void clearOverride(String resource) {
        overrides.remove(resource);
    }

    /** The interval between messages at time factor 1, from the profile. */
    public Duration interval() {
        return profile.simulation().interval();
    }

    /** The messages for one tick: one per simulated stream, each with the profile's records per message. */
    public List<Message> tick(Instant now, double hoursSinceLastTick) {
        List<Message> out = new ArrayList<>(streams.size());
        int perMessage = Math.max(1, profile.simulation().recordsPerMessage());
        for (StreamSimulation s : streams) {
            List<Map<String, Object>> records = new ArrayList<>(perMessage);
            List<Instant> timestamps = new ArrayList<>(perMessage);
            for (int i = 0; i < perMessage; i++) {
                Map<String, Object> values = new LinkedHashMap<>();
                s.generators().forEach((resource, g) -> {
                    // advance the generator also while overridden, so the other resources and the value after the
                    // override are what they would have been without it
                    Object simulated = g.next(hoursSinceLastTick);
                    values.put(resource, overrides.getOrDefault(resource, simulated));
                });
                records.add(values);
                timestamps.add(now);
            }
            out.add(new Message(s.topic(), s.encoder().encode(records, timestamps), false));
        }
        return out;
    }

    /**
     * A malformed message on this device's topic, cycling through the kinds of bad input a field device really
     * sends: cut-off JSON, JSON of the wrong shape, a value out of range, a value of the wrong type.
     */
    public Message malformed(Instant now) {
        StreamSimulation s = streams.get(0);
        int kind = malformedKind++ % 4;
        byte[] payload = switch (kind) {
            case 0 -> "{\"temperature\": 21.".getBytes(StandardCharsets.UTF_8);
            case 1 -> "[1, 2, 3]".getBytes(StandardCharsets.UTF_8);
            case 2 -> withValue(s, now, true);
            default -> withValue(s, now, false);
        };
        return new Message(s.topic(), payload, true);
    }

    private byte[] withValue(StreamSimulation s, Instant now, boolean outOfRange) {
        Map<String, Object> values = new LinkedHashMap<>();
        s.generators().forEach((resource, g) -> values.put(resource, g.next(0)));
        String text = new String(s.encoder().encode(List.of(values), List.of(now)), StandardCharsets.UTF_8);
        for (Resource r : profile.resources()) {
            if (!s.generators().containsKey(r.name()) || !r.type().isNumeric()) {
                continue;
            }
            String pointer = r.mqtt().get().pointer();
            String field = pointer.substring(pointer.lastIndexOf('/') + 1);
            String replacement = outOfRange
                    ? (r.max().isPresent() ? String.valueOf(r.max().getAsDouble() * 10 + 1000) : null)
                    : "\"not-a-number\"";
            if (replacement != null) {
                return text.replaceFirst("(\"" + java.util.regex.Pattern.quote(field) + "\"\\s*:\\s*)[-0-9.eE]+",
                        "$1" + java.util.regex.Matcher.quoteReplacement(replacement)).getBytes(StandardCharsets.UTF_8);
            }
        }
        return "not json at all".getBytes(StandardCharsets.UTF_8);
    }
}
