package io.wareedge.sim.sorter;

import java.time.Duration;

/**
 * How the simulated sorter is built and behaves. Validated on construction: a bad value fails naming the setting,
 * the rule and the value.
 *
 * @param chutes          number of chutes, 1..999; chute {@code rejectChute} is one of them
 * @param firstChuteTravel time from the scanner to chute 1: the deadline for the divert command
 * @param chuteSpacing    time from one chute to the next
 * @param loopTime        time for an item that stays on the sorter to come round to the scanner again
 * @param inductionRate   items per second entering the sorter
 * @param chuteCapacity   items a chute holds before it is full
 * @param emptyAfter      how long an operator takes to empty a full chute
 * @param maxPasses       an item still on the sorter after this many passes is taken off by hand (jam outcome)
 */
public record SorterSettings(String sorter, int chutes, int rejectChute, Duration firstChuteTravel,
                             Duration chuteSpacing, Duration loopTime, double inductionRate, int chuteCapacity,
                             Duration emptyAfter, double noReadShare, double multiReadShare, double malformedShare,
                             double doubleReadShare, double missedDivertShare, double jamShare, int maxPasses,
                             long seed) {

    public SorterSettings {
        require(sorter != null && !sorter.isBlank() && !sorter.contains("/") && !sorter.contains("+")
                && !sorter.contains("#"), "sorter", "must be a name without / + #", sorter);
        require(chutes >= 1 && chutes <= 999, "chutes", "must be 1..999", chutes);
        require(rejectChute >= 1 && rejectChute <= chutes, "rejectChute", "must be one of the chutes 1.." + chutes, rejectChute);
        positive("firstChuteTravel", firstChuteTravel);
        require(chuteSpacing != null && !chuteSpacing.isNegative(), "chuteSpacing", "must be >= 0", chuteSpacing);
        positive("loopTime", loopTime);
        require(loopTime.compareTo(travel(firstChuteTravel, chuteSpacing, chutes)) > 0, "loopTime",
                "must be longer than the travel to the last chute", loopTime);
        require(inductionRate > 0 && inductionRate <= 50_000, "inductionRate", "must be 0 < rate <= 50000 items/s", inductionRate);
        require(chuteCapacity >= 1, "chuteCapacity", "must be >= 1", chuteCapacity);
        positive("emptyAfter", emptyAfter);
        share("noReadShare", noReadShare);
        share("multiReadShare", multiReadShare);
        share("malformedShare", malformedShare);
        share("doubleReadShare", doubleReadShare);
        share("missedDivertShare", missedDivertShare);
        share("jamShare", jamShare);
        require(noReadShare + multiReadShare + malformedShare + doubleReadShare <= 1, "noReadShare+multiReadShare+malformedShare+doubleReadShare",
                "must be <= 1", noReadShare + multiReadShare + malformedShare + doubleReadShare);
        require(maxPasses >= 1 && maxPasses <= 255, "maxPasses", "must be 1..255", maxPasses);
    }

    /** A fast, clean sorter: 12 chutes (12 = reject), 1 s to the first chute, 50 ms apart, 100 items/s. */
    public static SorterSettings defaults(String sorter) {
        return new SorterSettings(sorter, 12, 12, Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofSeconds(3),
                100, 50, Duration.ofSeconds(20), 0.02, 0.01, 0, 0.01, 0.005, 0, 5, 42);
    }

    public SorterSettings withRate(double rate) {
        return new SorterSettings(sorter, chutes, rejectChute, firstChuteTravel, chuteSpacing, loopTime, rate,
                chuteCapacity, emptyAfter, noReadShare, multiReadShare, malformedShare, doubleReadShare,
                missedDivertShare, jamShare, maxPasses, seed);
    }

    public SorterSettings withShares(double noRead, double multiRead, double malformed, double doubleRead,
                                     double missedDivert, double jam) {
        return new SorterSettings(sorter, chutes, rejectChute, firstChuteTravel, chuteSpacing, loopTime, inductionRate,
                chuteCapacity, emptyAfter, noRead, multiRead, malformed, doubleRead, missedDivert, jam, maxPasses, seed);
    }

    public SorterSettings withChutes(int count, int reject, int capacity, Duration empty) {
        return new SorterSettings(sorter, count, reject, firstChuteTravel, chuteSpacing, loopTime, inductionRate,
                capacity, empty, noReadShare, multiReadShare, malformedShare, doubleReadShare, missedDivertShare,
                jamShare, maxPasses, seed);
    }

    public SorterSettings withTiming(Duration firstChute, Duration spacing, Duration loop) {
        return new SorterSettings(sorter, chutes, rejectChute, firstChute, spacing, loop, inductionRate, chuteCapacity,
                emptyAfter, noReadShare, multiReadShare, malformedShare, doubleReadShare, missedDivertShare, jamShare,
                maxPasses, seed);
    }

    /** Time from the scanner to a chute (1-based). */
    public Duration travelTo(int chute) {
        return travel(firstChuteTravel, chuteSpacing, chute);
    }

    private static Duration travel(Duration first, Duration spacing, int chute) {
        return first.plus(spacing.multipliedBy(chute - 1L));
    }

    private static void positive(String key, Duration d) {
        require(d != null && !d.isNegative() && !d.isZero(), key, "must be a positive duration", d);
    }

    private static void share(String key, double v) {
        require(v >= 0 && v <= 1, key, "must be 0..1", v);
    }

    private static void require(boolean ok, String key, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("sorter simulator " + key + ": " + rule + " (got " + value + ")");
        }
    }
}
