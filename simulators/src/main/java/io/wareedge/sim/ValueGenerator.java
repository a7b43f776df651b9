package io.wareedge.sim;

import io.wareedge.profiles.Resource;
import io.wareedge.profiles.SimulationHints;
import io.wareedge.profiles.ValueType;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Produces plausible values for one resource from its profile's simulation hints: a typical value with noise and
 * drift for numbers, a choice among listed values, or a generator (random EPCs, counters). Kept inside the
 * resource's min/max and typed as the decoder would type it.
 *
 * <p>Not thread-safe: each simulated device owns its generators.
 */
final class ValueGenerator {
    private final Resource resource;
    private final SimulationHints hints;
    private final Random random;
    private double driftSoFar;
    private long counter;

    ValueGenerator(Resource resource, Random random) {
        this.resource = resource;
        this.hints = resource.simulate();
        this.random = random;
    }

    /** Whether the profile says how to imitate this resource. */
    static boolean isSimulated(Resource r) {
        SimulationHints h = r.simulate();
        return h.typical().isPresent() || !h.values().isEmpty() || h.generator().isPresent();
    }

    Object next(double hoursElapsedSinceLast) {
        if (hints.generator().isPresent()) {
            return generated(hints.generator().get());
        }
        List<String> values = hints.values();
        if (!values.isEmpty()) {
            String v = values.get(random.nextInt(values.size()));
            return typed(v);
        }
        driftSoFar += hints.drift().orElse(0) * hoursElapsedSinceLast;
        double v = hints.typical().orElse(0) + driftSoFar + random.nextGaussian() * hints.noise();
        if (resource.min().isPresent()) {
            v = Math.max(v, resource.min().getAsDouble());
        }
        if (resource.max().isPresent()) {
            v = Math.min(v, resource.max().getAsDouble());
        }
        return numeric(v);
    }

    private Object generated(String generator) {
        return switch (generator) {
            case "epc96" -> {
                byte[] epc = new byte[12];
                random.nextBytes(epc);
                yield HexFormat.of().withUpperCase().formatHex(epc);
            }
            case "counter", "sequence" -> numericOrText(++counter);
            case "uuid" -> new UUID(random.nextLong(), random.nextLong()).toString();
            default -> throw new IllegalArgumentException("unknown generator " + generator);
        };
    }

    private Object numericOrText(long n) {
        return resource.type() == ValueType.STRING ? Long.toString(n) : numeric(n);
    }

    private Object numeric(double v) {
        if (resource.type().isInteger()) {
            return Math.round(v);
        }
        if (resource.type() == ValueType.STRING) {
            return Double.toString(v);
        }
        if (resource.type() == ValueType.BOOLEAN) {
            return v >= 0.5;
        }
        return Math.round(v * 1000.0) / 1000.0;
    }

    private Object typed(String v) {
        return switch (resource.type()) {
            case BOOLEAN -> Boolean.parseBoolean(v);
            case STRING -> v;
            case FLOAT, DOUBLE -> Double.parseDouble(v);
            default -> Long.parseLong(v);
        };
    }
}
