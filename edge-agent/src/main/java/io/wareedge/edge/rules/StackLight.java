package io.wareedge.edge.rules;

import io.wareedge.edge.ingest.BoundDevice;
import io.wareedge.edge.ingest.LastValue;
import io.wareedge.profiles.AlarmCondition;
import io.wareedge.profiles.AlarmDefinition;
import io.wareedge.profiles.AlarmTracker;
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
 * normal; the buzzer sounds with red. Alarms are judged on the devices' latest values by the same
 * {@link AlarmTracker} the control server's alert rules use (hold times, deadbands, rate of change, staleness,
 * offline), so the lamp and the alert board agree. Latching, acknowledgement and shelving are people's business
 * and live on the server: the lamp shows conditions, not alerts.
 *
 * <p>Threading: called on ingest threads and the watchdog; trackers and the colour are judged under this
 * object's lock (never held while calling out), and the lamps are set after it is released.
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
    /** Each device's alarm trackers, in profile order; guarded by this. */
    private final Map<String, List<AlarmTracker>> trackers = new java.util.HashMap<>();
    private final Map<String, Condition> conditions = new java.util.concurrent.ConcurrentHashMap<>();
    private String reason = "starting";

    public StackLight(List<BoundDevice> devices, Function<String, Map<String, LastValue>> lastValues,
                      Predicate<String> online, Lamps lamps) {
        this.devices = List.copyOf(devices);
        this.lastValues = lastValues;
        this.online = online;
        this.lamps = lamps;
        for (BoundDevice d : this.devices) {
            trackers.put(d.name(), d.profile().alarms().stream().map(AlarmTracker::new).toList());
        }
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
        boolean up = online.test(d.name());
        Map<String, LastValue> values = lastValues.apply(d.name());
        long now = System.currentTimeMillis();
        Colour colour = Colour.GREEN;
        String why = "all normal";
        synchronized (this) {
            for (AlarmTracker t : trackers.get(d.name())) {
                AlarmDefinition a = t.alarm();
                if (a.condition() instanceof AlarmCondition.Offline) {
                    t.onOnline(up, now);
                } else {
                    LastValue v = values.get(a.resource());
                    if (v != null && v.value() != null) {
                        t.onReading(v.value(), v.timestampMillis());
                    }
                }
                t.tick(now);
                if (t.active()) {
                    Colour c = a.severity() == Severity.RED ? Colour.RED : Colour.YELLOW;
                    if (c.compareTo(colour) > 0) {
                        colour = c;
                        why = d.name() + ": " + a.name();
                    }
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

    public synchronized Colour colour() {
        return shown;
    }

    public synchronized String reason() {
        return reason;
    }
}
