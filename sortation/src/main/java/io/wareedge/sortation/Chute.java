package io.wareedge.sortation;

import java.util.List;

/**
 * One chute of a sorter and the destinations it serves, in preference order for nobody: a destination served by
 * several chutes prefers them in the layout's chute order.
 */
public record Chute(int number, List<String> destinations) {
    /** Chute numbers are 1..999; 0 on the wire means "no divert, recirculate". */
    public static final int MAX_NUMBER = 999;

    public Chute {
        if (number < 1 || number > MAX_NUMBER) {
            throw new PlanException("chute number must be 1.." + MAX_NUMBER + ", got " + number);
        }
        destinations = List.copyOf(destinations == null ? List.of() : destinations);
        for (String d : destinations) {
            Codes.checkName("destination", d);
        }
    }
}
