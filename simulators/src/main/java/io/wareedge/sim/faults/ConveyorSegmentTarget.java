package io.wareedge.sim.faults;

import io.wareedge.sim.conveyor.ConveyorPlcSimulator;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** A conveyor segment on a simulated PLC: it jams, draws too much current, or loses its motor sensors. */
final class ConveyorSegmentTarget implements FaultTarget {
    private static final Set<FaultKind> KINDS = EnumSet.of(FaultKind.JAM, FaultKind.OVERCURRENT, FaultKind.SENSOR_DROPOUT);

    private final String device;
    private final ConveyorPlcSimulator plc;
    private final int segment;

    ConveyorSegmentTarget(String device, ConveyorPlcSimulator plc, int segment) {
        this.device = device;
        this.plc = plc;
        this.segment = segment;
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public Set<FaultKind> kinds() {
        return KINDS;
    }

    @Override
    public Runnable start(FaultKind kind, Duration duration) {
        return switch (kind) {
            case JAM -> {
                plc.jam(segment, true);
                yield () -> plc.jam(segment, false);
            }
            case OVERCURRENT -> {
                plc.overcurrent(segment, FaultInjector.OVERCURRENT_AMPS);
                yield () -> plc.overcurrent(segment, 0);
            }
            case SENSOR_DROPOUT -> {
                plc.sensorDropout(segment, duration);
                yield () -> plc.sensorDropout(segment, Duration.ZERO);
            }
            default -> throw new IllegalArgumentException(kind + " does not fit conveyor segment " + device);
        };
    }
}
