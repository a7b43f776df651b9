package io.wareedge.sim.faults;

import io.wareedge.profiles.AlarmCondition;
import io.wareedge.profiles.Resource;
import io.wareedge.sim.DeviceSimulator;

import java.time.Duration;
import java.util.EnumSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A device of a {@link DeviceSimulator}: any of them can fall silent; one whose profile raises an alarm above some
 * temperature can also report a temperature above that limit.
 */
final class MqttDeviceTarget implements FaultTarget {
    static final String TEMPERATURE = "temperature";

    private final String device;
    private final DeviceSimulator simulator;
    private final Set<FaultKind> kinds;
    private final OptionalDouble highTemperature;
    private final io.wareedge.profiles.DeviceProfile profile;

    MqttDeviceTarget(DeviceSimulator simulator, DeviceSimulator.DeviceSummary summary) {
        this.device = summary.name();
        this.simulator = simulator;
        this.profile = summary.profile();
        this.highTemperature = summary.simulatedResources().contains(TEMPERATURE)
                ? highTemperature(summary) : OptionalDouble.empty();
        this.kinds = highTemperature.isPresent()
                ? EnumSet.of(FaultKind.SILENT, FaultKind.HIGH_TEMPERATURE) : EnumSet.of(FaultKind.SILENT);
    }

    /**
     * A temperature that raises the profile's highest "above" alarm on temperature, within the resource's range;
     * empty when the profile has no such alarm (then a high temperature would show nothing).
     */
    private static OptionalDouble highTemperature(DeviceSimulator.DeviceSummary summary) {
        OptionalDouble limit = summary.profile().alarms().stream()
                .filter(a -> TEMPERATURE.equals(a.resource()) && a.condition() instanceof AlarmCondition.Above)
                .mapToDouble(a -> ((AlarmCondition.Above) a.condition()).limit())
                .max();
        if (limit.isEmpty()) {
            return limit;
        }
        double value = limit.getAsDouble() + FaultInjector.HIGH_TEMPERATURE_MARGIN;
        OptionalDouble max = summary.profile().resource(TEMPERATURE).map(Resource::max).orElse(OptionalDouble.empty());
        if (max.isPresent()) {
            value = Math.min(value, max.getAsDouble());
        }
        return value > limit.getAsDouble() ? OptionalDouble.of(value) : OptionalDouble.empty();
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public Set<FaultKind> kinds() {
        return kinds;
    }

    /**
     * Silence: the profile's staleAfter plus the offline alarm's hold. High temperature: the hold of the alarm above
     * the temperature the fault reports.
     */
    @Override
    public Duration noticedAfter(FaultKind kind) {
        if (kind == FaultKind.SILENT) {
            Duration hold = profile.alarms().stream().filter(a -> a.condition() instanceof AlarmCondition.Offline)
                    .map(io.wareedge.profiles.AlarmDefinition::forDuration).max(Duration::compareTo).orElse(Duration.ZERO);
            return profile.staleAfter().plus(hold);
        }
        if (kind == FaultKind.HIGH_TEMPERATURE && highTemperature.isPresent()) {
            double reported = highTemperature.getAsDouble();
            return profile.alarms().stream()
                    .filter(a -> TEMPERATURE.equals(a.resource()) && a.condition() instanceof AlarmCondition.Above above
                            && reported > above.limit())
                    .map(io.wareedge.profiles.AlarmDefinition::forDuration).min(Duration::compareTo).orElse(Duration.ZERO);
        }
        return Duration.ZERO;
    }

    @Override
    public Runnable start(FaultKind kind, Duration duration) {
        if (kind == FaultKind.SILENT) {
            simulator.setSilent(device, true);
            return () -> simulator.setSilent(device, false);
        }
        if (kind == FaultKind.HIGH_TEMPERATURE && highTemperature.isPresent()) {
            simulator.overrideValue(device, TEMPERATURE, highTemperature.getAsDouble());
            return () -> simulator.clearOverride(device, TEMPERATURE);
        }
        throw new IllegalArgumentException(kind + " does not fit simulated device " + device);
    }

    /** For tests and logs: the temperature a high-temperature fault reports. */
    OptionalDouble highTemperature() {
        return highTemperature;
    }
}
