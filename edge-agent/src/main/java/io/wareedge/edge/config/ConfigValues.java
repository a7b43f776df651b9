package io.wareedge.edge.config;

import io.wareedge.profiles.Durations;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validated access to one mapping of the YAML configuration. Every failure names the full key path, the
 * rule and the value; unknown keys are errors so a typo never silently falls back to a default.
 */
final class ConfigValues {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|KiB|MB|MiB|GB|GiB)");

    private final String path;
    private final Map<String, Object> map;

    ConfigValues(String path, Map<String, Object> map) {
        this.path = path;
        this.map = map == null ? Map.of() : map;
    }

    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    void allowOnly(Set<String> keys) {
        for (String k : map.keySet()) {
            if (!keys.contains(k)) {
                throw new ConfigException(key(k), "unknown key; allowed here: " + String.join(", ", keys.stream().sorted().toList()), k);
            }
        }
    }

    boolean has(String name) {
        return map.get(name) != null;
    }

    String string(String name, String fallback) {
        Object v = map.get(name);
        if (v == null) {
            if (fallback == null) {
                throw new ConfigException(key(name), "is required", null);
            }
            return fallback;
        }
        if (v instanceof Map || v instanceof List) {
            throw new ConfigException(key(name), "must be a single value", v);
        }
        return v.toString();
    }

    /** The value, or null when the key is absent. */
    String optionalString(String name) {
        return has(name) ? string(name, null) : null;
    }

    String requiredString(String name) {
        return string(name, null);
    }

    /** An identifier usable as a Sparkplug id and MQTT topic level. */
    String id(String name, String fallback) {
        String v = string(name, fallback);
        if (!v.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new ConfigException(key(name), "must be letters, digits, '.', '_' or '-', starting with a letter or digit", v);
        }
        return v;
    }

    int integer(String name, int fallback, int min, int max) {
        Object v = map.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Integer i)) {
            throw new ConfigException(key(name), "must be a whole number", v);
        }
        if (i < min || i > max) {
            throw new ConfigException(key(name), "must be between " + min + " and " + max, v);
        }
        return i;
    }

    Duration duration(String name, Duration fallback, Duration min, Duration max) {
        Duration d = duration(name, fallback, min);
        if (d.compareTo(max) > 0) {
            throw new ConfigException(key(name), "must be at most " + (max.toMillis() % 1000 == 0
                    ? max.toSeconds() + "s" : max.toMillis() + "ms"), map.get(name));
        }
        return d;
    }

    Duration duration(String name, Duration fallback, Duration min) {
        Object v = map.get(name);
        if (v == null) {
            return fallback;
        }
        Duration d;
        try {
            d = Durations.parse(v.toString());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key(name), "must be a duration with its unit, like 250ms, 30s, 5m (" + e.getMessage() + ")", v);
        }
        if (d.compareTo(min) < 0) {
            throw new ConfigException(key(name), "must be at least " + min, v);
        }
        return d;
    }

    long size(String name, long fallback, long min) {
        Object v = map.get(name);
        if (v == null) {
            return fallback;
        }
        Matcher m = SIZE.matcher(v.toString().trim());
        if (!m.matches()) {
            throw new ConfigException(key(name), "must be a size with its unit, like 64MiB or 512KB", v);
        }
        long n = Long.parseLong(m.group(1));
        long bytes = switch (m.group(2)) {
            case "KB" -> n * 1000;
            case "KiB" -> n << 10;
            case "MB" -> n * 1000_000;
            case "MiB" -> n << 20;
            case "GB" -> n * 1000_000_000L;
            case "GiB" -> n << 30;
            default -> n;
        };
        if (bytes < min) {
            throw new ConfigException(key(name), "must be at least " + min + " bytes", v);
        }
        return bytes;
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback) {
        Object v = map.get(name);
        if (v == null) {
            return fallback;
        }
        String wanted = v.toString().replace('-', '_').toUpperCase();
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        throw new ConfigException(key(name), "must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase().replace('_', '-')).toList(), v);
    }

    String mqttUrl(String name, String fallback) {
        String v = string(name, fallback);
        if (!v.matches("(tcp|ssl|ws|wss)://[^/]+:\\d+")) {
            throw new ConfigException(key(name), "must be an MQTT URL like tcp://host:1883", v);
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    ConfigValues child(String name) {
        Object v = map.get(name);
        if (v != null && !(v instanceof Map)) {
            throw new ConfigException(key(name), "must be a mapping", v);
        }
        return new ConfigValues(key(name), (Map<String, Object>) v);
    }

    @SuppressWarnings("unchecked")
    /** The value as YAML gave it (a Boolean, number or String), or null. */
    Object raw(String name) {
        return name.isEmpty() ? map : map.get(name);
    }

    double number(String name) {
        Object v = map.get(name);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key(name), "must be a number", v);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> objectMap(String name) {
        Object v = map.get(name);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw new ConfigException(key(name), "must be a mapping", v);
        }
        return (Map<String, Object>) v;
    }

    /** A list of mappings, or one mapping standing for a list of one. */
    @SuppressWarnings("unchecked")
    List<ConfigValues> childrenOrOne(String name) {
        Object v = map.get(name);
        if (v instanceof Map) {
            return List.of(new ConfigValues(key(name), (Map<String, Object>) v));
        }
        return children(name);
    }

    List<ConfigValues> children(String name) {
        Object v = map.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new ConfigException(key(name), "must be a list", v);
        }
        List<ConfigValues> out = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (!(item instanceof Map)) {
                throw new ConfigException(key(name) + "[" + i + "]", "must be a mapping", item);
            }
            out.add(new ConfigValues(key(name) + "[" + i + "]", (Map<String, Object>) item));
        }
        return out;
    }

    List<String> strings(String name) {
        Object v = map.get(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new ConfigException(key(name), "must be a list", v);
        }
        return list.stream().map(String::valueOf).toList();
    }

    Map<String, String> stringMap(String name) {
        Object v = map.get(name);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new ConfigException(key(name), "must be a mapping", v);
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
        return Map.copyOf(out);
    }
}
