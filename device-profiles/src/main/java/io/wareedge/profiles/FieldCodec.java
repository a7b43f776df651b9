package io.wareedge.profiles;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A resource's MQTT field, precompiled: pointer, the affine map raw → value (scale, offset and unit conversion
 * folded into one multiplication and one addition), enum labels and range. Decoding reports problems instead of
 * throwing; encoding is the exact inverse.
 */
final class FieldCodec {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    final Resource resource;
    final String name;
    final JsonPointer pointer;
    private final ValueType type;
    private final ArrayReduce reduce;
    private final TextEncoding encoding;
    /** value = raw * factor + add, except that raw / divisor is used when 1/factor is a whole number (exact). */
    private final double factor;
    private final double divisor;
    private final double add;
    private final boolean identity;
    private final double min;
    private final double max;
    private final Map<String, String> labels;

    FieldCodec(Resource resource) {
        this.resource = resource;
        this.name = resource.name();
        MqttAddress address = resource.mqtt().orElseThrow();
        this.pointer = JsonPointer.compile(address.pointer());
        this.type = resource.type();
        this.reduce = address.reduce();
        this.encoding = address.encoding();
        Unit from = address.sourceUnit();
        Unit to = resource.unit();
        double unitFactor = from.factorTo(to);
        this.factor = resource.scale() * unitFactor;
        this.add = resource.offset() * unitFactor + from.offsetTo(to);
        double reciprocal = 1 / factor;
        // Dividing by 100 is exact where multiplying by 0.01 is not (-5412 * 0.01 = -54.120000000000005).
        this.divisor = Math.abs(factor) < 1 && Math.abs(reciprocal - Math.rint(reciprocal)) < 1e-9
                ? Math.rint(reciprocal) : 0;
        this.identity = factor == 1 && add == 0;
        double typeMin = type.isInteger() ? type.minInteger() : Double.NEGATIVE_INFINITY;
        double typeMax = type.isInteger() ? type.maxInteger() : Double.POSITIVE_INFINITY;
        this.min = Math.max(typeMin, resource.min().orElse(Double.NEGATIVE_INFINITY));
        this.max = Math.min(typeMax, resource.max().orElse(Double.POSITIVE_INFINITY));
        this.labels = resource.enumLabels();
    }

    boolean required() {
        return resource.required();
    }

    /** The normalized value of a present, non-null node, or null after adding a problem. */
    Object decode(JsonNode node, List<DecodeProblem> problems) {
        // The usual nodes by their exact class first: the JIT then calls them directly (and inlines), where the
        // generic code below makes a handful of megamorphic JsonNode calls per field. Same results either way.
        if (reduce != ArrayReduce.COUNT) {
            if (type == ValueType.STRING) {
                if (node instanceof TextNode text) {
                    return decodeText(text.textValue(), problems);
                }
            } else if (type != ValueType.BOOLEAN) {
                if (node instanceof IntNode number) {
                    return decodeWhole(number.intValue(), problems);
                } else if (node instanceof LongNode number) {
                    return decodeWhole(number.longValue(), problems);
                } else if (node instanceof DoubleNode number) {
                    return decodeReal(number.doubleValue(), problems);
                }
            }
        }
        if (reduce == ArrayReduce.COUNT) {
            if (!node.isArray()) {
                return problem(problems, ProblemKind.BAD_TYPE, "expected an array to count, got " + node);
            }
            return checkRange(node.size(), problems);
        }
        return switch (type) {
            case STRING -> decodeString(node, problems);
            case BOOLEAN -> decodeBoolean(node, problems);
            default -> decodeNumber(node, problems);
        };
    }

    private Object decodeString(JsonNode node, List<DecodeProblem> problems) {
        if (reduce == ArrayReduce.JOIN && node.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode element : node) {
                if (!element.isValueNode()) {
                    return problem(problems, ProblemKind.BAD_TYPE, "array elements must be values, got " + node);
                }
                sb.append(sb.length() == 0 ? "" : ",").append(element.asText());
            }
            return sb.toString();
        }
        if (!node.isValueNode()) {
            return problem(problems, ProblemKind.BAD_TYPE, "expected a string, got " + abbreviate(node));
        }
        return decodeText(node.asText(), problems);
    }

    private Object decodeText(String text, List<DecodeProblem> problems) {
        if (encoding == TextEncoding.HEX) {
            if (isUpperHex(text)) {
                // Most readers already send upper case: nothing to check further or to copy.
            } else if (!isHex(text)) {
                return problem(problems, ProblemKind.BAD_TYPE, "'" + abbreviate(text) + "' is not hex");
            } else {
                text = text.toUpperCase(Locale.ROOT);
            }
        } else if (encoding == TextEncoding.BASE64) {
            try {
                text = HEX.formatHex(Base64.getDecoder().decode(text));
            } catch (IllegalArgumentException e) {
                return problem(problems, ProblemKind.BAD_TYPE, "'" + abbreviate(text) + "' is not base64");
            }
        }
        if (!labels.isEmpty()) {
            String label = labels.get(text);
            if (label == null) {
                return problem(problems, ProblemKind.UNKNOWN_ENUM, "'" + abbreviate(text) + "' is not one of "
                        + labels.keySet());
            }
            return label;
        }
        return text;
    }

    private Object decodeBoolean(JsonNode node, List<DecodeProblem> problems) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        Boolean b = node.isValueNode() && !node.isFloatingPointNumber() ? ValueConversion.parseBoolean(node.asText())
                : null;
        if (b == null) {
            return problem(problems, ProblemKind.BAD_TYPE, "expected a boolean, got " + abbreviate(node));
        }
        return b;
    }

    private Object decodeNumber(JsonNode node, List<DecodeProblem> problems) {
        double raw;
        if (node.isNumber()) {
            if (identity && type.isInteger() && node.isIntegralNumber()) {
                if (!node.canConvertToLong()) {
                    return problem(problems, ProblemKind.OUT_OF_RANGE, node + " does not fit " + type.yamlName());
                }
                // Keep 64-bit integers (epoch micros, counters) exact rather than going through double.
                return checkRange(node.longValue(), problems);
            }
            raw = node.doubleValue();
        } else if (node.isTextual()) {
            String text = node.textValue().trim();
            try {
                if (identity && type.isInteger()) {
                    return checkRange(Long.parseLong(text), problems);
                }
            } catch (NumberFormatException e) {
                // maybe a decimal; tried below
            }
            try {
                raw = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                return problem(problems, ProblemKind.BAD_TYPE, "'" + abbreviate(text) + "' is not a number ("
                        + type.yamlName() + ")");
            }
        } else {
            return problem(problems, ProblemKind.BAD_TYPE, "expected a number (" + type.yamlName() + "), got "
                    + abbreviate(node));
        }
        return decodeReal(raw, problems);
    }

    /** A JSON integer (IntNode, LongNode): as decodeNumber treats them. */
    private Object decodeWhole(long raw, List<DecodeProblem> problems) {
        if (identity && type.isInteger()) {
            return checkRange(raw, problems);
        }
        return decodeReal(raw, problems);
    }

    private Object decodeReal(double raw, List<DecodeProblem> problems) {
        if (!Double.isFinite(raw)) {
            return problem(problems, ProblemKind.BAD_TYPE, "'" + raw + "' is not a finite number");
        }
        double value = toValue(raw);
        if (type.isInteger()) {
            if (identity && value != Math.rint(value)) {
                return problem(problems, ProblemKind.BAD_TYPE, raw + " is not a whole number (" + type.yamlName()
                        + ")");
            }
            if (value < min || value > max) {
                return outOfRange(value, problems);
            }
            return Math.round(value);
        }
        if (value < min || value > max) {
            return outOfRange(value, problems);
        }
        return value;
    }

    private Object checkRange(long value, List<DecodeProblem> problems) {
        if (value < min || value > max) {
            return outOfRange(value, problems);
        }
        return value;
    }

    private Object outOfRange(double value, List<DecodeProblem> problems) {
        return problem(problems, ProblemKind.OUT_OF_RANGE, formatNumber(value) + " is outside ["
                + formatNumber(min) + ", " + formatNumber(max) + "]" + unitSuffix());
    }

    private String unitSuffix() {
        return resource.unit() == Unit.NONE ? "" : " " + resource.unit().symbol();
    }

    double toValue(double raw) {
        return (divisor != 0 ? raw / divisor : raw * factor) + add;
    }

    double toRaw(double value) {
        return divisor != 0 ? (value - add) * divisor : (value - add) / factor;
    }

    /**
     * The JSON for a normalized value (inverse of decode), or null when the field is derived (an array count).
     *
     * @throws IllegalArgumentException when the value does not fit the resource
     */
    JsonNode encode(Object value) {
        if (reduce == ArrayReduce.COUNT) {
            return null;
        }
        Object normalized = ValueConversion.coerce(type, value);
        if (normalized == null) {
            throw new IllegalArgumentException("resource '" + name + "' is " + type.yamlName() + ", got '" + value
                    + "'");
        }
        switch (type) {
            case BOOLEAN:
                return Json.NODES.booleanNode((Boolean) normalized);
            case STRING:
                return encodeString((String) normalized);
            default:
                if (identity && normalized instanceof Long l) {
                    return Json.NODES.numberNode(l);
                }
                double raw = toRaw(((Number) normalized).doubleValue());
                double rounded = Math.rint(raw);
                // Devices send integers as integers (-5400 cdBm, 3000 mV); keep that shape.
                if (type.isInteger() || (Math.abs(raw - rounded) < 1e-9 * Math.max(1, Math.abs(raw))
                        && Math.abs(raw) < 9e15)) {
                    return Json.NODES.numberNode((long) rounded);
                }
                return Json.NODES.numberNode(raw);
        }
    }

    private JsonNode encodeString(String value) {
        if (reduce == ArrayReduce.JOIN) {
            ArrayNode array = Json.NODES.arrayNode();
            if (!value.isEmpty()) {
                for (String part : value.split(",", -1)) {
                    array.add(part);
                }
            }
            return array;
        }
        String raw = value;
        if (!labels.isEmpty()) {
            if (!labels.containsValue(value)) {
                throw new IllegalArgumentException("resource '" + name + "': '" + value + "' is not one of "
                        + labels.values());
            }
            raw = resource.rawForLabel(value);
        }
        if (encoding == TextEncoding.BASE64) {
            if (!isHex(raw) || raw.length() % 2 != 0) {
                throw new IllegalArgumentException("resource '" + name + "': '" + raw + "' is not hex bytes");
            }
            raw = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(raw.toLowerCase(Locale.ROOT)));
        }
        return Json.NODES.textNode(raw);
    }

    private Object problem(List<DecodeProblem> problems, ProblemKind kind, String detail) {
        problems.add(new DecodeProblem(kind, name, "resource '" + name + "' at " + pointer + ": " + detail));
        return null;
    }

    /** Non-empty and only 0-9 and A-F: hex that upper-casing leaves as it is. */
    private static boolean isUpperHex(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'A' || c > 'F')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // ASCII first (every EPC); Character.digit also accepts other scripts' digits, as it always did.
            boolean asciiHex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!asciiHex && Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    static String formatNumber(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
