package io.wareedge.sim.faults;

import io.wareedge.sim.conveyor.ConveyorPlcSimulator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FaultScheduleTest {

    @Test
    void injectsMixedShortFaultsEveryIntervalAndStopsWhenAsked() {
        try (ConveyorPlcSimulator plc = ConveyorPlcSimulator.start(0, ConveyorPlcSimulator.Settings.defaults(1, 3));
             FaultInjector injector = new FaultInjector()
                     .addConveyorSegments(plc, Map.of("conveyor-1", 1, "conveyor-2", 2, "conveyor-3", 3))
                     .addConveyorLine(plc, "line-1");
             FaultSchedule schedule = new FaultSchedule(injector, new FaultSchedule.Settings(
                     Duration.ofMillis(150), Duration.ofMillis(200), Duration.ofMillis(600), 7))) {
            schedule.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> schedule.injected() >= 8 && injector.recent().size() >= 4);
            schedule.stop();

            long total = injector.injectedPerKind().values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).isEqualTo(schedule.injected());
            assertThat(injector.injectedPerKind().entrySet().stream().filter(e -> e.getValue() > 0).count())
                    .as("mixed kinds: %s", injector.injectedPerKind()).isGreaterThanOrEqualTo(2);
            assertThat(injector.recent()).allSatisfy(f -> {
                assertThat(f.duration()).isBetween(Duration.ofMillis(200), Duration.ofMillis(600));
                assertThat(f.ending()).isEqualTo(Fault.Ending.EXPIRED);
            });
            assertThat(injector.recent().stream().map(f -> f.device() + "/" + f.kind()).collect(Collectors.toSet()))
                    .allSatisfy(pair -> assertThat(injector.kindsByDevice().get(pair.split("/")[0]))
                            .extracting(FaultKind::wireName).contains(pair.split("/")[1]));

            long afterStop = schedule.injected();
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                    .until(() -> schedule.injected() == afterStop);
            await().atMost(Duration.ofSeconds(5)).until(() -> injector.active().isEmpty());
        }
    }

    @Test
    void theSameSeedPicksTheSameFaults() {
        assertThat(picks(42)).isEqualTo(picks(42)).isNotEqualTo(picks(43));
    }

    private static List<String> picks(long seed) {
        List<Runnable> ignored = new ArrayList<>();
        try (FaultInjector injector = new FaultInjector()) {
            for (String device : List.of("door-1", "door-2", "door-3")) {
                injector.add(new FaultTarget() {
                    @Override
                    public String device() {
                        return device;
                    }

                    @Override
                    public Set<FaultKind> kinds() {
                        return EnumSet.of(FaultKind.SILENT, FaultKind.HIGH_TEMPERATURE);
                    }

                    @Override
                    public Runnable start(FaultKind kind, Duration duration) {
                        return () -> ignored.add(null);
                    }
                });
            }
            FaultSchedule schedule = new FaultSchedule(injector, new FaultSchedule.Settings(
                    Duration.ofMinutes(1), Duration.ofSeconds(20), Duration.ofSeconds(90), seed));
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Fault f = schedule.injectOne().orElseThrow();
                out.add(f.device() + " " + f.kind() + " " + f.duration());
            }
            assertThat(schedule.injectOne()).as("every device has every kind active").isEmpty();
            return out;
        }
    }

    @Test
    void settingsAreCheckedWithTheKeyAndTheValue() {
        assertThatThrownBy(() -> new FaultSchedule.Settings(Duration.ZERO, Duration.ofSeconds(20), Duration.ofSeconds(90), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("interval must be a positive duration, got 0s");
        assertThatThrownBy(() -> new FaultSchedule.Settings(Duration.ofMinutes(3), Duration.ofSeconds(90), Duration.ofSeconds(20), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("longestFault must be >= shortestFault (90s), got 20s");
        assertThatThrownBy(() -> new FaultSchedule.Settings(Duration.ofMinutes(3), Duration.ofSeconds(20), Duration.ofHours(3), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longestFault must be at most 1h, got 3h");
    }
}
