package io.wareedge.profiles;

/**
 * Judges one alarm of one device over time: the edge's stack light and the control server's alert rules use the
 * same judgement, so both show the same state for the same readings.
 *
 * <p>A condition must hold for the alarm's {@code for} before the alarm is active; an active threshold alarm clears
 * only past its deadband; a rate alarm compares consecutive readings; a stale alarm is due when the resource has not
 * reported for its period; an offline alarm follows the device's connection. Readings older than the last one seen
 * are ignored (a replay after an outage must not re-raise or clear anything). Time is given by the caller in epoch
 * milliseconds (reading timestamps and the caller's clock), so tests and replays need no real clock.
 *
 * <p>Not thread-safe: one owner (the server's alert thread, or the stack light under its lock).
 */
public final class AlarmTracker {

    /** What a call changed. */
    public enum Transition { NONE, RAISED, CLEARED }

    private final AlarmDefinition alarm;
    private final long holdMillis;
    private boolean active;
    /** Since when the raw condition holds (epoch ms), or -1. */
    private long conditionSince = -1;
    /** The reading that first met the condition in this episode, for the record. */
    private Object conditionValue;
    private long lastReadingAt = Long.MIN_VALUE;
    private double lastNumber = Double.NaN;
    private long lastChangeAt = -1;

    public AlarmTracker(AlarmDefinition alarm) {
        this.alarm = alarm;
        this.holdMillis = alarm.forDuration().toMillis();
    }

    public AlarmDefinition alarm() {
        return alarm;
    }

    public boolean active() {
        return active;
    }

    /** When the condition of the current (or pending) episode began, epoch ms; -1 when it does not hold. */
    public long conditionSince() {
        return conditionSince;
    }

    /** The value that began the current episode (null for offline and stale alarms). */
    public Object conditionValue() {
        return conditionValue;
    }

    /** When the last transition happened (epoch ms), -1 before the first. */
    public long lastChangeAt() {
        return lastChangeAt;
    }

    /**
     * A reading of the watched resource arrived.
     *
     * @param at the reading's timestamp, epoch ms
     */
    public Transition onReading(Object value, long at) {
        if (at < lastReadingAt) {
            return Transition.NONE;
        }
        // The same reading judged again (the stack light re-reads last values every second) is not news.
        boolean fresh = at > lastReadingAt;
        long previousAt = lastReadingAt;
        double previousNumber = lastNumber;
        lastReadingAt = at;
        lastNumber = value instanceof Number n ? n.doubleValue() : Double.NaN;
        AlarmCondition c = alarm.condition();
        if (c instanceof AlarmCondition.Stale) {
            if (!fresh) {
                return Transition.NONE;
            }
            return active ? change(false, at) : settle(false, at, null);
        }
        if (c instanceof AlarmCondition.Offline) {
            return Transition.NONE;
        }
        boolean holds;
        if (c instanceof AlarmCondition.RateAbove rate) {
            if (!(value instanceof Number) || Double.isNaN(previousNumber) || at <= previousAt) {
                return Transition.NONE;
            }
            double perSecond = (lastNumber - previousNumber) * 1000.0 / (at - previousAt);
            holds = perSecond > rate.perSecond();
        } else {
            // Inside the deadband an active alarm stays active and a normal one stays normal.
            holds = active ? !alarm.clearedBy(value) : alarm.raisedBy(value);
        }
        return settle(holds, at, value);
    }

    /** The device's connection changed (offline alarms only; the others ignore it). */
    public Transition onOnline(boolean online, long at) {
        if (!(alarm.condition() instanceof AlarmCondition.Offline)) {
            return Transition.NONE;
        }
        return settle(!online, at, null);
    }

    /**
     * Time passed without readings: completes hold times and judges staleness. Call it regularly (the server every
     * 100 ms, the stack light every second).
     */
    public Transition tick(long now) {
        if (alarm.condition() instanceof AlarmCondition.Stale stale) {
            if (lastReadingAt == Long.MIN_VALUE) {
                return Transition.NONE; // never reported: offline alarms cover a device that never came
            }
            long staleSince = lastReadingAt + stale.after().toMillis();
            if (now >= staleSince && conditionSince < 0 && !active) {
                conditionSince = staleSince;
                conditionValue = null;
            }
        }
        if (!active && conditionSince >= 0 && now - conditionSince >= holdMillis) {
            return change(true, Math.max(now, conditionSince));
        }
        return Transition.NONE;
    }

    /**
     * Takes up an episode judged before a restart: the alarm is active since {@code since}, so the next reading
     * that does not meet the condition clears it instead of being ignored.
     */
    public void restoreActive(long since) {
        active = true;
        conditionSince = since;
        lastChangeAt = since;
    }

    /** Forgets an active state without a transition (the device's profile or session changed). */
    public void reset() {
        active = false;
        conditionSince = -1;
        conditionValue = null;
    }

    private Transition settle(boolean holds, long at, Object value) {
        if (!holds) {
            conditionSince = -1;
            conditionValue = null;
            return active ? change(false, at) : Transition.NONE;
        }
        if (conditionSince < 0) {
            conditionSince = at;
            conditionValue = value;
        }
        if (!active && at - conditionSince >= holdMillis) {
            return change(true, at);
        }
        return Transition.NONE;
    }

    private Transition change(boolean raise, long at) {
        active = raise;
        lastChangeAt = at;
        if (!raise) {
            conditionSince = -1;
            conditionValue = null;
        }
        return raise ? Transition.RAISED : Transition.CLEARED;
    }
}
