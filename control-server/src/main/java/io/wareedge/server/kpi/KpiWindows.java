package io.wareedge.server.kpi;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The time windows of a KPI report: calendar minutes or hours, or the site's shifts (in its time zone; a shift may
 * run past midnight). A window that the range cuts is reported whole, so a shift's figures never depend on where a
 * query happened to start.
 */
public final class KpiWindows {
    /** The most windows one report may ask for (a week of minutes). */
    public static final int MAX_WINDOWS = 10_080;

    /** One window: its label (a shift's name, or the bucket) and its bounds. */
    public record Window(String label, Instant start, Instant end) {
    }

    /** A shift: starts at {@code start} local time and ends at {@code end} (the next day when end <= start). */
    public record Shift(String name, LocalTime start, LocalTime end) {
    }

    private KpiWindows() {
    }

    public static List<Window> of(String bucket, Instant from, Instant to, List<Shift> shifts, ZoneId zone) {
        List<Window> out = new ArrayList<>();
        switch (bucket) {
            case "minute", "hour" -> {
                ChronoUnit unit = bucket.equals("minute") ? ChronoUnit.MINUTES : ChronoUnit.HOURS;
                for (Instant t = from.truncatedTo(unit); t.isBefore(to); t = t.plus(1, unit)) {
                    out.add(new Window(bucket, t, t.plus(1, unit)));
                    check(out);
                }
            }
            case "shift" -> {
                LocalDate day = from.atZone(zone).toLocalDate().minusDays(1);
                LocalDate last = to.atZone(zone).toLocalDate();
                for (; !day.isAfter(last); day = day.plusDays(1)) {
                    for (Shift s : shifts) {
                        ZonedDateTime start = day.atTime(s.start()).atZone(zone);
                        ZonedDateTime end = (s.end().isAfter(s.start()) ? day : day.plusDays(1)).atTime(s.end()).atZone(zone);
                        if (end.toInstant().isAfter(from) && start.toInstant().isBefore(to)) {
                            out.add(new Window(s.name(), start.toInstant(), end.toInstant()));
                            check(out);
                        }
                    }
                }
                out.sort((a, b) -> a.start().compareTo(b.start()));
            }
            default -> throw new IllegalArgumentException("bucket must be minute, hour or shift, got '" + bucket + "'");
        }
        return out;
    }

    private static void check(List<Window> windows) {
        if (windows.size() > MAX_WINDOWS) {
            throw new IllegalArgumentException("the range holds more than " + MAX_WINDOWS
                    + " windows; ask for a shorter range or a longer bucket");
        }
    }

    static double hours(Window w) {
        return Duration.between(w.start(), w.end()).toMillis() / 3_600_000.0;
    }
}
