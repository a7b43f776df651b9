package io.wareedge.profiles;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalDouble;

import static io.wareedge.profiles.AlarmTracker.Transition.CLEARED;
import static io.wareedge.profiles.AlarmTracker.Transition.NONE;
import static io.wareedge.profiles.AlarmTracker.Transition.RAISED;
import static org.assertj.core.api.Assertions.assertThat;

class AlarmTrackerTest {

    private static AlarmTracker tracker(String resource, AlarmCondition condition, Duration hold, Double deadband) {
        return new AlarmTracker(new AlarmDefinition("a", resource, condition, hold, Severity.RED,
                deadband == null ? OptionalDouble.empty() : OptionalDouble.of(deadband), true, "m"));
    }

    @Test
    void thresholdRaisesAfterItsHoldTimeAndClearsOnlyPastTheDeadband() {
        AlarmTracker t = tracker("current", new AlarmCondition.Above(12), Duration.ofSeconds(5), 1.0);
        assertThat(t.onReading(13.0, 1_000)).isEqualTo(NONE);
        assertThat(t.tick(5_999)).isEqualTo(NONE);
        assertThat(t.tick(6_000)).isEqualTo(RAISED);
        assertThat(t.conditionSince()).isEqualTo(1_000);
        assertThat(t.conditionValue()).isEqualTo(13.0);
        assertThat(t.onReading(11.5, 7_000)).as("inside the deadband").isEqualTo(NONE);
        assertThat(t.onReading(12.5, 7_500)).isEqualTo(NONE);
        assertThat(t.onReading(11.0, 8_000)).isEqualTo(CLEARED);
        assertThat(t.active()).isFalse();
    }

    @Test
    void aConditionThatStopsBeforeItsHoldTimeRaisesNothing() {
        AlarmTracker t = tracker("current", new AlarmCondition.Above(12), Duration.ofSeconds(5), null);
        t.onReading(13.0, 0);
        assertThat(t.onReading(10.0, 4_000)).isEqualTo(NONE);
        assertThat(t.tick(10_000)).isEqualTo(NONE);
        t.onReading(13.0, 11_000);
        assertThat(t.tick(15_000)).isEqualTo(NONE);
        assertThat(t.onReading(13.5, 16_000)).isEqualTo(RAISED);
    }

    @Test
    void equalityWithoutHoldRaisesOnTheFirstReading() {
        AlarmTracker t = tracker("jam", new AlarmCondition.EqualsValue("true"), Duration.ZERO, null);
        assertThat(t.onReading(false, 1)).isEqualTo(NONE);
        assertThat(t.onReading(true, 2)).isEqualTo(RAISED);
        assertThat(t.onReading(true, 3)).isEqualTo(NONE);
        assertThat(t.onReading(false, 4)).isEqualTo(CLEARED);
    }

    @Test
    void readingsOlderThanTheLastOneAreIgnored() {
        AlarmTracker t = tracker("jam", new AlarmCondition.EqualsValue("true"), Duration.ZERO, null);
        t.onReading(true, 10);
        assertThat(t.onReading(false, 5)).as("a replayed old reading").isEqualTo(NONE);
        assertThat(t.active()).isTrue();
    }

    @Test
    void rateOfChangeComparesConsecutiveReadings() {
        AlarmTracker t = tracker("temperature", new AlarmCondition.RateAbove(0.5), Duration.ZERO, null);
        assertThat(t.onReading(20.0, 0)).isEqualTo(NONE);
        assertThat(t.onReading(20.4, 1_000)).isEqualTo(NONE);
        assertThat(t.onReading(21.4, 2_000)).isEqualTo(RAISED);
        assertThat(t.onReading(21.6, 3_000)).isEqualTo(CLEARED);
    }

    @Test
    void staleIsDueWhenTheResourceStopsReportingAndClearsOnTheNextReading() {
        AlarmTracker t = tracker("temperature", new AlarmCondition.Stale(Duration.ofSeconds(10)), Duration.ZERO, null);
        assertThat(t.tick(100_000)).as("never reported").isEqualTo(NONE);
        t.onReading(20.0, 1_000);
        assertThat(t.tick(10_999)).isEqualTo(NONE);
        assertThat(t.tick(11_000)).isEqualTo(RAISED);
        assertThat(t.conditionSince()).isEqualTo(11_000);
        assertThat(t.onReading(20.0, 1_000)).as("the same reading judged again").isEqualTo(NONE);
        assertThat(t.active()).isTrue();
        assertThat(t.onReading(20.1, 12_000)).isEqualTo(CLEARED);
        assertThat(t.tick(15_000)).isEqualTo(NONE);
    }

    @Test
    void offlineFollowsTheConnectionWithItsHoldTime() {
        AlarmTracker t = tracker(null, new AlarmCondition.Offline(), Duration.ofSeconds(30), null);
        assertThat(t.onOnline(false, 0)).isEqualTo(NONE);
        assertThat(t.tick(29_999)).isEqualTo(NONE);
        assertThat(t.tick(30_000)).isEqualTo(RAISED);
        assertThat(t.onOnline(true, 31_000)).isEqualTo(CLEARED);
        assertThat(t.onReading(1.0, 32_000)).isEqualTo(NONE);
    }
}
