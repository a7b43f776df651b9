package io.wareedge.profiles;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * An alarm a device model can raise.
 *
 * @param resource    the watched resource; null only for {@link AlarmCondition.Offline}
 * @param forDuration how long the condition must hold before the alarm is raised (YAML {@code for})
 * @param deadband    hysteresis for clearing: an Above alarm clears below {@code limit - deadband}, a Below alarm
 *                    above {@code limit + deadband}
 * @param latch       whether the alarm stays active until acknowledged even after the condition cleared
 */
public record AlarmDefinition(String name, String resource, AlarmCondition condition, Duration forDuration,
                              Severity severity, OptionalDouble deadband, boolean latch, String message) {
    public AlarmDefinition {
        Checks.name("alarm", name);
        Checks.notNull("alarm condition", condition);
        Checks.notNull("alarm severity", severity);
        forDuration = forDuration == null ? Duration.ZERO : forDuration;
        deadband = deadband == null ? OptionalDouble.empty() : deadband;
        message = Checks.text(message);
        if (forDuration.isNegative()) {
            throw new InvalidField("for", "alarm '" + name + "': for must not be negative");
        }
        if (resource == null && !(condition instanceof AlarmCondition.Offline)) {
            throw new IllegalArgumentException("alarm '" + name + "' needs a resource");
        }
        if (resource != null && condition instanceof AlarmCondition.Offline) {
            throw new InvalidField("resource", "alarm '" + name + "': offline is about the whole device; remove"
                    + " resource '" + resource + "' (use stale for one resource)");
        }
        if (deadband.isPresent()) {
            if (!(deadband.getAsDouble() >= 0)) {
                throw new InvalidField("deadband", "alarm '" + name + "': deadband must be >= 0, got "
                        + deadband.getAsDouble());
            }
            if (!(condition instanceof AlarmCondition.Above || condition instanceof AlarmCondition.Below)) {
                throw new InvalidField("deadband", "alarm '" + name + "': deadband applies to above/below only");
            }
        }
    }

    /** The watched resource name; empty for an offline alarm. */
    public Optional<String> resourceName() {
        return Optional.ofNullable(resource);
    }

    /** Whether a normalized value meets the raise condition (value conditions only; false for the others). */
    public boolean raisedBy(Object value) {
        if (value == null) {
            return false;
        }
        if (condition instanceof AlarmCondition.Above above && value instanceof Number n) {
            return n.doubleValue() > above.limit();
        }
        if (condition instanceof AlarmCondition.Below below && value instanceof Number n) {
            return n.doubleValue() < below.limit();
        }
        if (condition instanceof AlarmCondition.EqualsValue eq) {
            return equalsAsText(value, eq.value());
        }
        return false;
    }

    /** Whether a normalized value clears the condition, honouring the deadband (value conditions only). */
    public boolean clearedBy(Object value) {
        if (value == null) {
            return false;
        }
        double band = deadband.orElse(0);
        if (condition instanceof AlarmCondition.Above above && value instanceof Number n) {
            return n.doubleValue() <= above.limit() - band;
        }
        if (condition instanceof AlarmCondition.Below below && value instanceof Number n) {
            return n.doubleValue() >= below.limit() + band;
        }
        if (condition instanceof AlarmCondition.EqualsValue eq) {
            return !equalsAsText(value, eq.value());
        }
        return false;
    }

    private static boolean equalsAsText(Object value, String expected) {
        if (value instanceof Double d && d == Math.rint(d)) {
            return expected.equals(Long.toString(d.longValue())) || expected.equals(d.toString());
        }
        return expected.equals(value.toString());
    }

    /** Checks the reference to the resource and that the condition fits its type. */
    void checkAgainst(Map<String, Resource> resources) {
        if (resource == null) {
            return;
        }
        Resource r = resources.get(resource);
        if (r == null) {
            throw new InvalidField("resource", "alarm '" + name + "' watches unknown resource '" + resource
                    + "'; known: " + resources.keySet());
        }
        if (condition.numeric() && !r.type().isNumeric()) {
            throw new IllegalArgumentException("alarm '" + name + "': a numeric condition needs a numeric resource,"
                    + " but '" + resource + "' is " + r.type().yamlName());
        }
        if (condition instanceof AlarmCondition.EqualsValue eq) {
            if (!r.enumLabels().isEmpty() && !r.enumLabels().containsValue(eq.value())) {
                throw new IllegalArgumentException("alarm '" + name + "': '" + eq.value() + "' is not a label of '"
                        + resource + "'; labels: " + r.enumLabels().values());
            }
            if (r.type() != ValueType.STRING && ValueConversion.coerce(r.type(), eq.value()) == null) {
                throw new IllegalArgumentException("alarm '" + name + "': '" + eq.value() + "' is not a "
                        + r.type().yamlName() + " value of '" + resource + "'");
            }
        }
    }
}
