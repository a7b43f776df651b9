package io.wareedge.server.kpi;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import io.wareedge.server.config.InvalidConfigurationException;
import io.wareedge.server.config.PickingSettings;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * KPI reports with the site's shifts ({@code wareedge.kpi.shifts}, in {@code wareedge.kpi.time-zone}) and the
 * order cycle target of picking.
 */
public final class Kpis {
    private final KpiReports reports;
    private final List<KpiWindows.Shift> shifts;
    private final ZoneId zone;
    private final PickingSettings picking;

    Kpis(KpiReports reports, List<KpiWindows.Shift> shifts, ZoneId zone, PickingSettings picking) {
        this.reports = reports;
        this.shifts = List.copyOf(shifts);
        this.zone = zone;
        this.picking = picking;
    }

    public KpiReports.Table report(String kind, String site, String bucket, Instant from, Instant to)
            throws SQLException {
        if (!KpiReports.KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind must be one of " + KpiReports.KINDS + ", got '" + kind + "'");
        }
        return reports.report(kind, site, bucket, KpiWindows.of(bucket, from, to, shifts, zone), picking.cycleTarget());
    }

    public List<KpiWindows.Shift> shifts() {
        return shifts;
    }

    @Factory
    static class Beans {
        @Singleton
        Kpis kpis(Environment env, DataSource dataSource, PickingSettings picking) {
            String zoneText = env.getProperty("wareedge.kpi.time-zone", String.class).orElse("UTC");
            ZoneId zone;
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                throw new InvalidConfigurationException("wareedge.kpi.time-zone", "must be a time zone like Europe/Berlin",
                        zoneText);
            }
            @SuppressWarnings("rawtypes")
            List<Map> raw = env.getProperty("wareedge.kpi.shifts", Argument.listOf(Map.class)).orElse(List.of());
            List<KpiWindows.Shift> shifts = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                Map<?, ?> m = raw.get(i);
                String key = "wareedge.kpi.shifts[" + i + "]";
                Object name = m.get("name");
                if (name == null || name.toString().isBlank()) {
                    throw new InvalidConfigurationException(key + ".name", "is required", name);
                }
                shifts.add(new KpiWindows.Shift(name.toString(), time(key + ".start", m.get("start")),
                        time(key + ".end", m.get("end"))));
            }
            if (shifts.isEmpty()) {
                throw new InvalidConfigurationException("wareedge.kpi.shifts", "needs at least one shift", raw);
            }
            return new Kpis(new KpiReports(dataSource), shifts, zone, picking);
        }

        private static LocalTime time(String key, Object value) {
            try {
                return LocalTime.parse(String.valueOf(value));
            } catch (DateTimeParseException e) {
                throw new InvalidConfigurationException(key, "must be a time of day like 06:00", value);
            }
        }
    }
}
