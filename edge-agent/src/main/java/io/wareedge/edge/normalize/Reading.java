package io.wareedge.edge.normalize;

import java.util.Objects;

/**
 * One normalized value of one resource: typed (Boolean, Long, Double or String), scaled and in the unit its
 * profile declares.
 */
public record Reading(String metric, Object value, Quality quality) {
    public Reading {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(quality, "quality");
        if (value != null && !(value instanceof Boolean || value instanceof Long || value instanceof Double
                || value instanceof String)) {
            throw new IllegalArgumentException("reading " + metric + " has unsupported value type " + value.getClass().getName());
        }
    }
}
