package io.wareedge.sim.faults;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What can go wrong with a simulated device, and what the device does meanwhile. */
public enum FaultKind {
    /** A conveyor segment's jam flag is set; the segment stops (the conveyor profile's jam alarm). */
    JAM("jam"),
    /** A conveyor segment's motor draws {@link FaultInjector#OVERCURRENT_AMPS} more (the motorOvercurrent alarm). */
    OVERCURRENT("overcurrent"),
    /** A conveyor segment's motor current and temperature read Bad_SensorFailure. */
    SENSOR_DROPOUT("sensor-dropout"),
    /** A conveyor line's emergency stop is pressed; every segment of the line stops (the emergencyStop alarm). */
    EMERGENCY_STOP("emergency-stop"),
    /** An MQTT sensor reports a temperature above its profile's high-temperature alarm limit. */
    HIGH_TEMPERATURE("high-temperature"),
    /** An MQTT device publishes nothing, so it goes stale and then offline. */
    SILENT("silent");

    private final String wireName;

    FaultKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the HTTP API and in logs, e.g. {@code emergency-stop}. */
    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException naming the known kinds when {@code name} is none of them */
    public static FaultKind parse(String name) {
        for (FaultKind k : values()) {
            if (k.wireName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown fault kind '" + name + "'; known: "
                + Arrays.stream(values()).map(FaultKind::wireName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
