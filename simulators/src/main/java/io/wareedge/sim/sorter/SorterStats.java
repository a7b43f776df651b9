package io.wareedge.sim.sorter;

import java.util.Map;

/**
 * What the simulated sorter did, counted exactly: a test compares these with what the control server counted.
 *
 * @param inducted        induction messages published (every pass)
 * @param items           distinct items put on the sorter (first passes)
 * @param diverted        results "diverted", by chute
 * @param takenOff        items taken off by hand after {@code maxPasses} passes (no further message)
 * @param commandsIgnored divert commands for a pass that already had one (the first one counts)
 * @param commandsLate    divert commands that arrived after the item passed its deadline
 */
public record SorterStats(long inducted, long items, long noReads, long multiReads, long malformed,
                          long results, Map<Integer, Long> diverted, long recirculated, long missed, long chuteFull,
                          long jams, long takenOff, long commands, long commandsIgnored, long commandsLate, int onSorter) {

    public long divertedTotal() {
        return diverted.values().stream().mapToLong(Long::longValue).sum();
    }
}
