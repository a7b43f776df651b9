package io.wareedge.sortation;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a sorter needs to decide on its own: the layout and which destination each known code goes to.
 * Immutable; a newer plan has a higher version. The control server owns plans; an edge agent holds a replica.
 */
public final class SortPlan {
    private final String sorter;
    private final long version;
    private final SorterLayout layout;
    private final Map<String, String> destinationByCode;
    private final Map<String, int[]> chutesByDestination;

    public SortPlan(String sorter, long version, SorterLayout layout, Map<String, String> destinationByCode) {
        Codes.checkName("sorter", sorter);
        if (version < 0) {
            throw new PlanException("plan version must be >= 0, got " + version);
        }
        if (layout == null) {
            throw new PlanException("plan needs a layout");
        }
        Map<String, String> codes = new HashMap<>(Math.max(16, destinationByCode.size() * 4 / 3 + 1));
        destinationByCode.forEach((code, destination) -> {
            Codes.checkCode(code);
            Codes.checkName("destination of code " + code, destination);
            codes.put(code, destination);
        });
        this.sorter = sorter;
        this.version = version;
        this.layout = layout;
        this.destinationByCode = java.util.Collections.unmodifiableMap(codes);
        this.chutesByDestination = layout.chutesByDestination();
    }

    public String sorter() {
        return sorter;
    }

    public long version() {
        return version;
    }

    public SorterLayout layout() {
        return layout;
    }

    public Map<String, String> destinationByCode() {
        return destinationByCode;
    }

    public Optional<String> destinationOf(String code) {
        return Optional.ofNullable(destinationByCode.get(code));
    }

    /** The chutes serving a destination in preference order; empty when this sorter does not serve it. */
    public int[] chutesFor(String destination) {
        int[] chutes = chutesByDestination.get(destination);
        return chutes == null ? new int[0] : chutes.clone();
    }

    int[] chutesForUnsafe(String destination) {
        return chutesByDestination.get(destination);
    }

    /** Whether an item diverted into {@code chute} reached a chute of {@code destination}. */
    public boolean serves(int chute, String destination) {
        int[] chutes = chutesByDestination.get(destination);
        if (chutes != null) {
            for (int c : chutes) {
                if (c == chute) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "SortPlan[" + sorter + " v" + version + ", " + layout.chutes().size() + " chutes, "
                + destinationByCode.size() + " codes]";
    }
}
