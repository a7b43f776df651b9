package io.wareedge.sortation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The physical side of a sort plan: the chutes and the destinations each serves, the reject chute, how many times
 * an item may go round again, and what to do with items the plan cannot place.
 */
public record SorterLayout(List<Chute> chutes, int rejectChute, int maxRecirculations, UnresolvedAction noRead,
                           UnresolvedAction unknownCode, UnresolvedAction multiRead) {

    public SorterLayout {
        chutes = List.copyOf(chutes);
        if (chutes.isEmpty()) {
            throw new PlanException("layout needs at least one chute");
        }
        Set<Integer> numbers = new HashSet<>();
        for (Chute c : chutes) {
            if (!numbers.add(c.number())) {
                throw new PlanException("chute " + c.number() + " appears twice in the layout");
            }
        }
        if (!numbers.contains(rejectChute)) {
            throw new PlanException("reject chute " + rejectChute + " is not one of the layout's chutes " + numbers);
        }
        if (maxRecirculations < 0 || maxRecirculations > 100) {
            throw new PlanException("maxRecirculations must be 0..100, got " + maxRecirculations);
        }
        if (noRead == null || unknownCode == null || multiRead == null) {
            throw new PlanException("noRead, unknownCode and multiRead must each be reject or recirculate");
        }
    }

    public boolean hasChute(int number) {
        for (Chute c : chutes) {
            if (c.number() == number) {
                return true;
            }
        }
        return false;
    }

    /** Destination → the chutes serving it, in layout order; the reject chute serves no destination. */
    Map<String, int[]> chutesByDestination() {
        Map<String, List<Integer>> lists = new HashMap<>();
        for (Chute c : chutes) {
            if (c.number() == rejectChute) {
                continue;
            }
            for (String d : c.destinations()) {
                lists.computeIfAbsent(d, k -> new ArrayList<>()).add(c.number());
            }
        }
        Map<String, int[]> result = new HashMap<>();
        lists.forEach((d, l) -> result.put(d, l.stream().mapToInt(Integer::intValue).toArray()));
        return result;
    }
}
