package io.wareedge.edge.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A local interlock, declared in the agent's configuration: when a device's resource meets a condition for at
 * least {@code holdFor}, run commands on devices. It runs in the agent, so it keeps working with the uplink down.
 */
public record Interlock(String name, Condition when, Duration holdFor, List<Action> then) {

    public Interlock {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(when, "when");
        holdFor = holdFor == null ? Duration.ZERO : holdFor;
        then = List.copyOf(then);
        if (then.isEmpty()) {
            throw new IllegalArgumentException("an interlock needs at least one action");
        }
    }

    /**
     * What must hold: exactly one of {@code equals}, {@code above}, {@code below}.
     *
     * @param equals a value compared with the reading (true/false, a number, a text)
     */
    public record Condition(String device, String resource, Object equals, Double above, Double below) {
        public Condition {
            int given = (equals != null ? 1 : 0) + (above != null ? 1 : 0) + (below != null ? 1 : 0);
            if (given != 1) {
                throw new IllegalArgumentException("a condition needs exactly one of equals, above, below");
            }
        }

        /** Whether a (normalized) reading value meets the condition; a missing value never does. */
        public boolean test(Object value) {
            if (value == null) {
                return false;
            }
            if (equals != null) {
                if (equals instanceof Number n && value instanceof Number v) {
                    return n.doubleValue() == v.doubleValue();
                }
                if (equals instanceof Boolean b && value instanceof Boolean v) {
                    return b.equals(v);
                }
                return equals.toString().equals(value.toString());
            }
            if (!(value instanceof Number v)) {
                return false;
            }
            return above != null ? v.doubleValue() > above : v.doubleValue() < below;
        }

        String describe() {
            return device + "." + resource + (equals != null ? " = " + equals : above != null ? " > " + above : " < " + below);
        }
    }

    /** A command of a device's profile, with its parameters. */
    public record Action(String device, String command, Map<String, Object> parameters) {
        public Action {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }
    }
}
