package io.wareedge.profiles;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in profiles: a number followed by a unit, e.g. {@code 250ms}, {@code 30s}, {@code 5m},
 * {@code 1h}. A unit is mandatory because a bare number is ambiguous (seconds? milliseconds?).
 */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s|m|min|h|d)");
    private static final Pattern BARE_NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

    private Durations() {
    }

    /**
     * Parses {@code <number><unit>} with unit us, ms, s, m (minutes), min, h or d.
     *
     * @throws IllegalArgumentException for a bare number, a negative value or an unknown unit
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("duration is missing");
        }
        String trimmed = text.trim();
        if (BARE_NUMBER.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("duration '" + trimmed + "' has no unit; write e.g. '" + trimmed
                    + "s' or '" + trimmed + "ms' (units: us, ms, s, m, min, h, d)");
        }
        Matcher m = FORM.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + trimmed
                    + "' is not a duration; write a non-negative number with a unit, e.g. 250ms, 30s, 5m, 1h");
        }
        BigDecimal amount = new BigDecimal(m.group(1));
        long nanosPerUnit = switch (m.group(2)) {
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m", "min" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
        };
        return Duration.ofNanos(amount.multiply(BigDecimal.valueOf(nanosPerUnit)).longValueExact());
    }

    /** Shortest exact text for a duration in the form {@link #parse} accepts, e.g. {@code 1500ms}, {@code 2m}. */
    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        if (nanos % 3_600_000_000_000L == 0) {
            return nanos / 3_600_000_000_000L + "h";
        }
        if (nanos % 60_000_000_000L == 0) {
            return nanos / 60_000_000_000L + "m";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        return nanos / 1_000L + "us";
    }
}
