package io.wareedge.profiles;

import java.util.Locale;

/** Coercion of loosely typed values (YAML constants, command arguments) to normalized resource values. */
final class ValueConversion {
    private ValueConversion() {
    }

    /** The normalized value (Boolean, Long, Double, String) or null when {@code value} does not fit {@code type}. */
    static Object coerce(ValueType type, Object value) {
        if (value == null) {
            return null;
        }
        switch (type) {
            case STRING:
                return value.toString();
            case BOOLEAN:
                if (value instanceof Boolean b) {
                    return b;
                }
                return parseBoolean(value.toString());
            case FLOAT:
            case DOUBLE:
                if (value instanceof Number n) {
                    return n.doubleValue();
                }
                try {
                    double d = Double.parseDouble(value.toString().trim());
                    return Double.isFinite(d) ? d : null;
                } catch (NumberFormatException e) {
                    return null;
                }
            default:
                if (value instanceof Long || value instanceof Integer || value instanceof Short
                        || value instanceof Byte) {
                    return ((Number) value).longValue();
                }
                double d;
                if (value instanceof Number n) {
                    d = n.doubleValue();
                } else {
                    String text = value.toString().trim();
                    try {
                        return Long.parseLong(text);
                    } catch (NumberFormatException e) {
                        try {
                            d = Double.parseDouble(text);
                        } catch (NumberFormatException e2) {
                            return null;
                        }
                    }
                }
                return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? (long) d : null;
        }
    }

    /** true/false, 1/0, on/off in any case; null otherwise. */
    static Boolean parseBoolean(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "on" -> Boolean.TRUE;
            case "false", "0", "off" -> Boolean.FALSE;
            default -> null;
        };
    }
}
