package io.wareedge.sparkplug;

import java.util.Map;
import java.util.Objects;

/**
 * One metric of a Sparkplug payload.
 *
 * <p>Values are held as Java {@code Long} (all integer types and DateTime), {@code Double} (Float and Double),
 * {@code Boolean}, {@code String} (String, Text, UUID) or {@code byte[]}; {@code null} when the metric is null.
 * Properties are flat scalars (Long, Double, Boolean, String).
 *
 * @param alias 0 when the metric carries no alias
 * @param timestamp epoch milliseconds, 0 when absent
 */
public record Metric(String name, long alias, long timestamp, DataType type, Object value, boolean historical,
                     Map<String, Object> properties) {

    /** Property carrying reading quality, as Sparkplug 3.0 defines it: 192 good, 0 bad, 500 stale. */
    public static final String QUALITY = "Quality";
    /** Property carrying the engineering unit (the Ignition convention). */
    public static final String ENG_UNIT = "engUnit";
    /**
     * Property carrying the identity of a reading, unique per edge node for its life: receivers use it to make a
     * replayed reading change nothing.
     */
    public static final String READING_ID = "readingId";

    public static final int QUALITY_GOOD = 192;
    public static final int QUALITY_BAD = 0;
    public static final int QUALITY_STALE = 500;

    public Metric {
        Objects.requireNonNull(type, "type");
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    public static Metric of(String name, long timestamp, DataType type, Object value) {
        return new Metric(name, 0, timestamp, type, value, false, Map.of());
    }

    public Metric withProperties(Map<String, Object> props) {
        return new Metric(name, alias, timestamp, type, value, historical, props);
    }

    public Metric asHistorical() {
        return new Metric(name, alias, timestamp, type, value, true, properties);
    }

    /** The reading id property, or -1 when absent. */
    public long readingId() {
        Object id = properties.get(READING_ID);
        return id instanceof Long l ? l : -1L;
    }

    /** The quality property, or {@link #QUALITY_GOOD} when absent (the spec's default). */
    public int quality() {
        Object q = properties.get(QUALITY);
        return q instanceof Long l ? l.intValue() : QUALITY_GOOD;
    }
}
