package io.wareedge.profiles;

import java.time.Duration;

/**
 * When an alarm is raised. Exactly one form per alarm in YAML: {@code above: 30}, {@code below: 5},
 * {@code equals: true}, {@code rateAbove: 0.5}, {@code stale: 5m} or {@code offline: true}.
 */
public sealed interface AlarmCondition {

    /** Whether the condition compares the resource's value with a number (needs a numeric resource). */
    default boolean numeric() {
        return false;
    }

    /** The value is greater than {@code limit}. */
    record Above(double limit) implements AlarmCondition {
        @Override
        public boolean numeric() {
            return true;
        }
    }

    /** The value is less than {@code limit}. */
    record Below(double limit) implements AlarmCondition {
        @Override
        public boolean numeric() {
            return true;
        }
    }

    /** The value equals {@code value} (compared as normalized text, e.g. jam == "true", status == "fault"). */
    record EqualsValue(String value) implements AlarmCondition {
        public EqualsValue {
            Checks.notNull("equals value", value);
        }
    }

    /** The value rises faster than {@code perSecond} units per second. */
    record RateAbove(double perSecond) implements AlarmCondition {
        @Override
        public boolean numeric() {
            return true;
        }
    }

    /** The resource has not reported for {@code after}. */
    record Stale(Duration after) implements AlarmCondition {
        public Stale {
            if (after == null || after.isZero() || after.isNegative()) {
                throw new IllegalArgumentException("stale needs a positive duration");
            }
        }
    }

    /** The device as a whole is offline (no data for the profile's staleAfter, or its connection is gone). */
    record Offline() implements AlarmCondition {
    }
}
