package io.wareedge.sim.faults;

import io.wareedge.sim.conveyor.ConveyorPlcSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The injector against a real conveyor PLC simulator (a Milo OPC UA server on a free loopback port). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectorTest {

    private ConveyorPlcSimulator plc;
    private FaultInjector injector;

    @BeforeAll
    void startPlc() {
        plc = ConveyorPlcSimulator.start(0, ConveyorPlcSimulator.Settings.defaults(1, 3));
    }

    @AfterAll
    void stopPlc() {
        plc.close();
    }

    @BeforeEach
    void newInjector() {
        injector = new FaultInjector()
                .addConveyorSegments(plc, Map.of("conveyor-1", 1, "conveyor-2", 2, "conveyor-3", 3))
                .addConveyorLine(plc, "line-1");
        // every test starts from a line running at its setpoint
        await().atMost(Duration.ofSeconds(10)).until(() -> plc.segment(1).running() && plc.segment(3).running());
    }

    @AfterEach
    void closeInjector() {
        injector.close();
    }

    @Test
    void aJamIsOnAtOnceAndClearsItselfWhenItsDurationEnds() {
        Fault fault = injector.inject("conveyor-2", FaultKind.JAM, Duration.ofMillis(1500));

        assertThat(fault.device()).isEqualTo("conveyor-2");
        assertThat(fault.kind()).isEqualTo(FaultKind.JAM);
        assertThat(fault.active()).isTrue();
        assertThat(Duration.between(fault.startedAt(), fault.clearsAt())).isEqualTo(Duration.ofMillis(1500));
        assertThat(plc.segment(2).jam()).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> !plc.segment(2).running());
        assertThat(injector.active()).extracting(Fault::id).containsExactly(fault.id());

        await().atMost(Duration.ofSeconds(5)).until(() -> !plc.segment(2).jam());
        assertThat(injector.active()).isEmpty();
        assertThat(injector.recent()).hasSize(1);
        Fault ended = injector.recent().get(0);
        assertThat(ended.id()).isEqualTo(fault.id());
        assertThat(ended.ending()).isEqualTo(Fault.Ending.EXPIRED);
        assertThat(ended.clearedAt()).isAfterOrEqualTo(fault.clearsAt());
        assertThat(injector.injectedPerKind()).containsEntry(FaultKind.JAM, 1L).containsEntry(FaultKind.SILENT, 0L);
        await().atMost(Duration.ofSeconds(5)).until(() -> plc.segment(2).running());
    }

    @Test
    void anEmergencyStopHaltsEverySegmentUntilItIsCleared() {
        Fault fault = injector.inject("line-1", FaultKind.EMERGENCY_STOP, Duration.ofMinutes(10));

        await().atMost(Duration.ofSeconds(5)).until(() ->
                !plc.segment(1).running() && !plc.segment(2).running() && !plc.segment(3).running());

        assertThat(injector.clear(fault.id())).hasValueSatisfying(f ->
                assertThat(f.ending()).isEqualTo(Fault.Ending.CLEARED_ON_REQUEST));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                plc.segment(1).running() && plc.segment(2).running() && plc.segment(3).running());
        assertThat(injector.clear(fault.id())).as("cleared once only").isEmpty();
    }

    @Test
    void overcurrentRaisesTheMotorCurrentOverTheProfilesLimitWhileItLasts() {
        Fault fault = injector.inject("conveyor-1", FaultKind.OVERCURRENT, Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> plc.segment(1).current() > 12);

        injector.clear(fault.id());
        await().atMost(Duration.ofSeconds(5)).until(() -> plc.segment(1).current() < 6);
    }

    @Test
    void closingClearsWhatIsActive() {
        injector.inject("conveyor-3", FaultKind.JAM, Duration.ofMinutes(5));
        assertThat(plc.segment(3).jam()).isTrue();

        injector.close();

        assertThat(plc.segment(3).jam()).isFalse();
        assertThat(injector.recent()).extracting(Fault::ending).containsExactly(Fault.Ending.INJECTOR_CLOSED);
        assertThatThrownBy(() -> injector.inject("conveyor-3", FaultKind.JAM, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void refusesWhatItCannotDoWithAClearMessage() {
        assertThatThrownBy(() -> injector.inject("conveyor-9", FaultKind.JAM, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown device 'conveyor-9'").hasMessageContaining("conveyor-2");
        assertThatThrownBy(() -> injector.inject("conveyor-2", FaultKind.EMERGENCY_STOP, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'emergency-stop' does not fit device 'conveyor-2'")
                .hasMessageContaining("jam, overcurrent, sensor-dropout");
        assertThatThrownBy(() -> injector.inject("line-1", FaultKind.JAM, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("emergency-stop");
        assertThatThrownBy(() -> injector.inject("conveyor-2", FaultKind.JAM, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive, got 0s");
        assertThatThrownBy(() -> injector.inject("conveyor-2", FaultKind.JAM, Duration.ofSeconds(-3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive, got -3s");
        assertThatThrownBy(() -> injector.inject("conveyor-2", FaultKind.JAM, Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1h, got 2h");
        assertThatThrownBy(() -> FaultKind.parse("fire"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown fault kind 'fire'")
                .hasMessageContaining("high-temperature");
        assertThat(plc.segment(2).jam()).isFalse();
        assertThat(injector.active()).isEmpty();
        assertThat(injector.injectedPerKind().values()).containsOnly(0L);
    }

    @Test
    void aSecondFaultOfTheSameKindOnTheSameDeviceIsRefusedSoOneEndingNeverUndoesAnother() {
        injector.inject("conveyor-2", FaultKind.JAM, Duration.ofMinutes(1));

        assertThatThrownBy(() -> injector.inject("conveyor-2", FaultKind.JAM, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("active jam fault already");
        assertThat(injector.inject("conveyor-2", FaultKind.OVERCURRENT, Duration.ofMinutes(1)).kind())
                .isEqualTo(FaultKind.OVERCURRENT);
        assertThat(injector.inject("conveyor-1", FaultKind.JAM, Duration.ofMinutes(1)).device())
                .isEqualTo("conveyor-1");
    }

    @Test
    void knowsWhichKindsFitWhichDevice() {
        assertThat(injector.kindsByDevice()).containsOnlyKeys("conveyor-1", "conveyor-2", "conveyor-3", "line-1");
        assertThat(injector.kindsByDevice().get("conveyor-2"))
                .containsExactlyInAnyOrder(FaultKind.JAM, FaultKind.OVERCURRENT, FaultKind.SENSOR_DROPOUT);
        assertThat(injector.kindsByDevice().get("line-1")).containsExactly(FaultKind.EMERGENCY_STOP);
        assertThatThrownBy(() -> injector.addConveyorLine(plc, "conveyor-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered already");
    }

    @Test
    void keepsTheLastThousandFaultsAndCountsEveryOne() {
        List<Runnable> endings = new ArrayList<>();
        try (FaultInjector counting = new FaultInjector()) {
            counting.add(new RecordingTarget("door-1", endings));
            for (int i = 0; i < FaultInjector.HISTORY_LIMIT + 25; i++) {
                Fault f = counting.inject("door-1", FaultKind.SILENT, Duration.ofMinutes(1));
                counting.clear(f.id());
            }
            assertThat(counting.recent()).hasSize(FaultInjector.HISTORY_LIMIT);
            assertThat(counting.recent().get(0).id()).isEqualTo(FaultInjector.HISTORY_LIMIT + 25);
            assertThat(counting.recent().get(FaultInjector.HISTORY_LIMIT - 1).id()).isEqualTo(26);
            assertThat(counting.injectedPerKind()).containsEntry(FaultKind.SILENT, FaultInjector.HISTORY_LIMIT + 25L);
            assertThat(endings).hasSize(FaultInjector.HISTORY_LIMIT + 25);
        }
    }

    /** A device that only records that its faults ended. */
    private record RecordingTarget(String device, List<Runnable> endings) implements FaultTarget {
        @Override
        public Set<FaultKind> kinds() {
            return EnumSet.of(FaultKind.SILENT);
        }

        @Override
        public Runnable start(FaultKind kind, Duration duration) {
            Runnable[] self = new Runnable[1];
            self[0] = () -> endings.add(self[0]);
            return self[0];
        }
    }
}
