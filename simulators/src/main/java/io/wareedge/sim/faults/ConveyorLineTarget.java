package io.wareedge.sim.faults;

import io.wareedge.sim.conveyor.ConveyorPlcSimulator;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/** A whole conveyor line on a simulated PLC: its emergency stop. */
final class ConveyorLineTarget implements FaultTarget {
    private static final Set<FaultKind> KINDS = EnumSet.of(FaultKind.EMERGENCY_STOP);

    private final String device;
    private final ConveyorPlcSimulator plc;

    ConveyorLineTarget(String device, ConveyorPlcSimulator plc) {
        this.device = device;
        this.plc = plc;
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
        if (kind != FaultKind.EMERGENCY_STOP) {
            throw new IllegalArgumentException(kind + " does not fit conveyor line " + device);
        }
        plc.emergencyStop(true);
        return () -> plc.emergencyStop(false);
    }
}
