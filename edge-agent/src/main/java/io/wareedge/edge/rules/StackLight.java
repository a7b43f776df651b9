package io.wareedge.edge.rules;

import io.wareedge.edge.ingest.BoundDevice;
import io.wareedge.edge.ingest.LastValue;
import io.wareedge.profiles.AlarmCondition;
import io.wareedge.profiles.AlarmDefinition;
import io.wareedge.profiles.Severity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The zone's stack light: red while any device of this agent has a red alarm of its profile active (a jam, an
 * emergency stop), yellow while any has a yellow alarm active or is offline (degraded), green when all is
 * normal; the buzzer sounds with red. Alarms are judged on the devices' latest values, with their hold times:
 * threshold, equality and offline conditions (rate-of-change, stale, deadband and latching are left to the
 * server's alarm rules).
 *
 * <p>Threading: called on ingest threads and the watchdog; the colour is decided under this object's lock and the
 * lamps are set after it is released.
 */
public final class StackLight {
    private static final Logger LOG = LoggerFactory.getLogger(StackLight.class);

    public enum Colour { GREEN, YELLOW, RED }

    /** The lamps: set exactly one colour (and the buzzer with red). */
    public interface Lamps {
        void show(Colour colour);
    }

    private final List<BoundDevice> devices;
    private final Function<String, Map<String, LastValue>> lastValues;
    private final Predicate<String> online;
    private final Lamps lamps;
    private Colour shown;
    /** Since when each alarm's condition holds (device + alarm name), for alarms with a hold time. */
    private final Map<String, Long> holdingSince = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Condition> conditions = new java.util.concurrent.ConcurrentHashMap<>();
    private String reason = "starting";

    public StackLight(List<BoundDevice> devices, Function<String, Map<String, LastValue>> lastValues,
                      Predicate<String> online, Lamps lamps) {
        this.devices = List.copyOf(devices);
        this.lastValues = lastValues;
        this.online = online;
        this.lamps = lamps;
    }

    /** One device's worst active condition. */
    private record Condition(Colour colour, String reason) {
    }

    /**
     * Re-judges one device (its readings just arrived: the ingest hot path, so only its alarms are looked at) and
     * sets the lamps when the worst colour changed.
     */
    public void evaluate(String device) {
        for (BoundDevice d : devices) {
            if (d.name().equals(device)) {
                conditions.put(d.name(), judge(d));
            }
        }
        show();
    }

    /** Re-judges every device (offline devices and hold times change without readings). */
    public void evaluate() {
        for (BoundDevice d : devices) {
            conditions.put(d.name(), judge(d));
        }
        show();
    }

    private Condition judge(BoundDevice d) {
        Colour colour = Colour.GREEN;
        String why = "all normal";
        boolean up = online.test(d.name());
        Map<String, LastValue> values = lastValues.apply(d.name());
        for (AlarmDefinition a : d.profile().alarms()) {
            if (held(d.name() + "." + a.name(), a, active(a, up, values))) {
                Colour c = a.severity() == Severity.RED ? Colour.RED : Colour.YELLOW;
                if (c.compareTo(colour) > 0) {
                    colour = c;
                    why = d.name() + ": " + a.name();
                }
            }
        }
        if (!up && colour == Colour.GREEN) {
            colour = Colour.YELLOW;
            why = d.name() + " offline";
        }
        return new Condition(colour, why);
    }

    private void show() {
        Condition worst = new Condition(Colour.GREEN, "all normal");
        for (BoundDevice d : devices) {
            Condition c = conditions.get(d.name());
            if (c != null && c.colour().compareTo(worst.colour()) > 0) {
                worst = c;
            }
        }
        synchronized (this) {
            if (worst.colour() == shown) {
                return;
            }
            shown = worst.colour();
            reason = worst.reason();
        }
        LOG.info("stack light {}: {}", worst.colour(), worst.reason());
        lamps.show(worst.colour());
    }

    /** A condition counts once it has held for the alarm's hold time ({@code for}); re-checked every second. */
    private boolean held(String key, AlarmDefinition a, boolean conditionNow) {
        if (!conditionNow) {
            holdingSince.remove(key);
            return false;
        }
        long now = System.currentTimeMillis();
        long since = holdingSince.computeIfAbsent(key, k -> now);
        return now - since >= a.forDuration().toMillis();
    }

    public synchronized Colour colour() {
        return shown;
    }

    public synchronized String reason() {
        return reason;
    }

    private static boolean active(AlarmDefinition a, boolean online, Map<String, LastValue> values) {
        if (a.condition() instanceof AlarmCondition.Offline) {
            return !online;
        }
        LastValue v = values.get(a.resource());
        if (v == null || v.value() == null) {
            return false;
        }
        Object x = v.value();
        if (a.condition() instanceof AlarmCondition.EqualsValue eq) {
            return eq.value().equalsIgnoreCase(String.valueOf(x));
        }
        if (!(x instanceof Number n)) {
            return false;
        }
        if (a.condition() instanceof AlarmCondition.Above above) {
            return n.doubleValue() > above.limit();
        }
        if (a.condition() instanceof AlarmCondition.Below below) {
            return n.doubleValue() < below.limit();
        }
        return false;
    }
}
