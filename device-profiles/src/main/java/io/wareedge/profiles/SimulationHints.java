package io.wareedge.profiles;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How a simulator imitates one resource.
 *
 * @param typical   the usual value (in the resource unit)
 * @param noise     standard deviation of the random noise around it
 * @param drift     change per hour (sensor drift)
 * @param values    choices for strings, booleans and enums (labels)
 * @param generator a named generator: {@code epc96} (random 96-bit EPC hex), {@code counter} (increasing),
 *                  {@code sequence} (increasing per message), {@code uuid}
 */
public record SimulationHints(OptionalDouble typical, double noise, OptionalDouble drift, List<String> values,
                              Optional<String> generator) {
    public static final SimulationHints NONE =
            new SimulationHints(OptionalDouble.empty(), 0, OptionalDouble.empty(), List.of(), Optional.empty());
    /** Generators simulators know. */
    public static final List<String> GENERATORS = List.of("epc96", "counter", "sequence", "uuid");

    public SimulationHints {
        typical = typical == null ? OptionalDouble.empty() : typical;
        drift = drift == null ? OptionalDouble.empty() : drift;
        values = values == null ? List.of() : List.copyOf(values);
        generator = generator == null ? Optional.empty() : generator;
        if (noise < 0 || Double.isNaN(noise)) {
            throw new IllegalArgumentException("simulate noise must be >= 0, got " + noise);
        }
        generator.ifPresent(g -> {
            if (!GENERATORS.contains(g)) {
                throw new IllegalArgumentException("unknown generator '" + g + "'; known: " + GENERATORS);
            }
        });
    }
}
