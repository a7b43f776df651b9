package io.wareedge.profiles;

/**
 * Normalizes a raw value that arrives already typed (an OPC UA variant, a GPIO level) the way a JSON field is
 * normalized: coerced to the resource's type, scaled and offset into its unit, checked against its range and the
 * type's range, mapped through its enum labels.
 */
public final class ResourceValues {
    private ResourceValues() {
    }

    /** A normalized value (Boolean, Long, Double or String), or the reason there is none. */
    public record Normalized(Object value, ProblemKind problem, String detail) {
        public boolean ok() {
            return problem == null;
        }
    }

    public static Normalized normalize(Resource resource, Object raw) {
        if (raw == null) {
            return new Normalized(null, ProblemKind.BAD_TYPE, resource.name() + " has no value");
        }
        ValueType type = resource.type();
        if (!resource.enumLabels().isEmpty()) {
            String key = raw instanceof Number n && !(raw instanceof Double || raw instanceof Float)
                    ? Long.toString(n.longValue()) : raw.toString();
            String label = resource.enumLabels().get(key);
            return label == null
                    ? new Normalized(null, ProblemKind.UNKNOWN_ENUM, "'" + key + "' is not one of " + resource.enumLabels().keySet())
                    : new Normalized(label, null, null);
        }
        if (!type.isNumeric()) {
            Object v = ValueConversion.coerce(type, raw instanceof Number n && type == ValueType.BOOLEAN
                    ? (Object) (n.doubleValue() != 0) : raw);
            return v == null ? new Normalized(null, ProblemKind.BAD_TYPE, "'" + raw + "' is not a " + type.yamlName())
                    : new Normalized(v, null, null);
        }
        double x;
        if (raw instanceof Float f) {
            x = Double.parseDouble(f.toString()); // 1.2f is 1.2, not 1.2000000476837158
        } else if (raw instanceof Number n) {
            x = n.doubleValue();
        } else if (raw instanceof Boolean b) {
            x = b ? 1 : 0;
        } else {
            try {
                x = Double.parseDouble(raw.toString().trim());
            } catch (NumberFormatException e) {
                return new Normalized(null, ProblemKind.BAD_TYPE, "'" + raw + "' is not a number");
            }
        }
        if (!Double.isFinite(x)) {
            return new Normalized(null, ProblemKind.BAD_TYPE, "'" + raw + "' is not a finite number");
        }
        double value = x * resource.scale() + resource.offset();
        double min = Math.max(type.isInteger() ? type.minInteger() : Double.NEGATIVE_INFINITY,
                resource.min().orElse(Double.NEGATIVE_INFINITY));
        double max = Math.min(type.isInteger() ? type.maxInteger() : Double.POSITIVE_INFINITY,
                resource.max().orElse(Double.POSITIVE_INFINITY));
        if (value < min || value > max) {
            return new Normalized(null, ProblemKind.OUT_OF_RANGE, resource.name() + " = " + value + " is outside "
                    + min + ".." + max);
        }
        if (type.isInteger()) {
            if (value != Math.rint(value)) {
                return new Normalized(null, ProblemKind.BAD_TYPE, resource.name() + " = " + value + " is not whole");
            }
            return new Normalized((long) value, null, null);
        }
        return new Normalized(value, null, null);
    }
}
