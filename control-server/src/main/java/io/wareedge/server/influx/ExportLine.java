package io.wareedge.server.influx;

import org.influxdb.dto.Point;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One point waiting in the export's buffer, turned into InfluxDB line protocol by a writer thread.
 *
 * <p>Telemetry is written by hand rather than through the client's {@link Point}: {@code Point.lineProtocol} formats
 * every floating-point field with a {@code java.text.NumberFormat}, several times the cost of the rest of the line.
 */
sealed interface ExportLine {

    /** Appends the line (no newline); false when there is nothing to write (every field null or not finite). */
    boolean appendTo(StringBuilder line);

    /** A point built with the client (KPIs, a benchmark's load). */
    record ClientPoint(Point point) implements ExportLine {
        @Override
        public boolean appendTo(StringBuilder line) {
            line.append(point.lineProtocol(TimeUnit.MILLISECONDS));
            return true;
        }
    }

    /**
     * One device's readings at one instant. {@code seriesKey} is the line's measurement and tags, escaped (see
     * {@link #seriesKey}): a device's points share it, so it is built once per device, not per point.
     */
    record Telemetry(String seriesKey, List<String> fieldNames, List<Object> values, long timeMillis)
            implements ExportLine {

        Telemetry(String measurement, String site, String agent, String device, String area,
                  List<String> fieldNames, List<Object> values, long timeMillis) {
            this(ExportLine.seriesKey(measurement, site, agent, device, area), fieldNames, values, timeMillis);
        }

        @Override
        public boolean appendTo(StringBuilder line) {
            int start = line.length();
            line.append(seriesKey);
            char separator = ' ';
            for (int i = 0; i < fieldNames.size(); i++) {
                Object v = values.get(i);
                if (v == null || v instanceof Double d && !Double.isFinite(d) || v instanceof Float f && !Float.isFinite(f)) {
                    continue;
                }
                line.append(separator);
                separator = ',';
                escape(line, fieldNames.get(i), true);
                line.append('=');
                if (v instanceof Boolean b) {
                    line.append(b.booleanValue());
                } else if (v instanceof Number n) {
                    line.append(n.doubleValue());
                } else {
                    line.append('"');
                    String s = v.toString();
                    for (int k = 0; k < s.length(); k++) {
                        char c = s.charAt(k);
                        if (c == '"' || c == '\\') {
                            line.append('\\');
                        }
                        line.append(c);
                    }
                    line.append('"');
                }
            }
            if (separator == ' ') {
                line.setLength(start);
                return false;
            }
            line.append(' ').append(timeMillis);
            return true;
        }
    }

    /**
     * The measurement and tags of a line, escaped. Tags are written in key order (agent, area, device, site), as
     * InfluxDB prefers; a null or empty tag value is left out.
     */
    static String seriesKey(String measurement, String site, String agent, String device, String area) {
        StringBuilder key = new StringBuilder(64);
        escape(key, measurement, false);
        tag(key, "agent", agent);
        tag(key, "area", area);
        tag(key, "device", device);
        tag(key, "site", site);
        return key.toString();
    }

    private static void tag(StringBuilder line, String key, String value) {
        if (value != null && !value.isEmpty()) {
            line.append(',').append(key).append('=');
            escape(line, value, true);
        }
    }

    /** Commas and spaces are escaped everywhere, '=' in keys and tag values; a newline would end the line. */
    private static void escape(StringBuilder line, String s, boolean equalsToo) {
        int i = 0;
        while (i < s.length()) { // most names need no escaping: they are appended whole
            char c = s.charAt(i);
            if (c == ',' || c == ' ' || c == '=' || c == '\n') {
                break;
            }
            i++;
        }
        line.append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == ' ' || equalsToo && c == '=') {
                line.append('\\');
            } else if (c == '\n') {
                line.append("\\n");
                continue;
            }
            line.append(c);
        }
    }
}
