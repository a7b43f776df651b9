package io.wareedge.profiles;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping read strictly: only the allowed keys, no duplicates, and every failure reported as a
 * {@link ProfileException} with the source and the line of the offending node. Scalars are read as their text so
 * YAML 1.1 surprises (off → false, 0755 → octal) cannot change a profile's meaning.
 */
final class YamlMap {
    private final String source;
    private final Node node;
    private final String context;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    private YamlMap(String source, Node node, String context) {
        this.source = source;
        this.node = node;
        this.context = context;
    }

    static YamlMap of(String source, Node node, String context, Set<String> allowedKeys) {
        if (!(node instanceof MappingNode mapping)) {
            throw new ProfileException(source, line(node), context + " must be a mapping of key: value");
        }
        YamlMap map = new YamlMap(source, node, context);
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalar)) {
                throw new ProfileException(source, line(keyNode), "keys in " + context + " must be plain text");
            }
            String key = scalar.getValue();
            if (!allowedKeys.contains(key)) {
                throw new ProfileException(source, line(keyNode), "unknown key '" + key + "' in " + context
                        + suggestion(key, allowedKeys) + "; allowed: " + String.join(", ", allowedKeys));
            }
            if (map.entries.put(key, tuple) != null) {
                throw new ProfileException(source, line(keyNode), "duplicate key '" + key + "' in " + context);
            }
        }
        return map;
    }

    static int line(Node node) {
        return node == null ? 0 : node.getStartMark().getLine() + 1;
    }

    int line() {
        return line(node);
    }

    /** The same mapping reported under a more specific context, e.g. once its name is known. */
    YamlMap withContext(String newContext) {
        YamlMap copy = new YamlMap(source, node, newContext);
        copy.entries.putAll(entries);
        return copy;
    }

    String context() {
        return context;
    }

    /** Line of a key's value, or of this mapping when the key is absent. */
    int lineOf(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? line() : line(t.getValueNode());
    }

    ProfileException error(int line, String reason) {
        return new ProfileException(source, line, reason);
    }

    boolean has(String key) {
        Node value = value(key);
        return value != null;
    }

    /** The value node, or null when the key is absent or explicitly null. */
    private Node value(String key) {
        NodeTuple t = entries.get(key);
        if (t == null) {
            return null;
        }
        Node v = t.getValueNode();
        return v instanceof ScalarNode s && Tag.NULL.equals(s.getTag()) ? null : v;
    }

    Optional<String> text(String key) {
        Node v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof ScalarNode scalar)) {
            throw error(line(v), context + ": " + key + " must be a single value, not a list or mapping");
        }
        return Optional.of(scalar.getValue());
    }

    String requiredText(String key) {
        return text(key).orElseThrow(() -> error(line(), context + ": missing required key '" + key + "'"));
    }

    /** Parses a scalar; an IllegalArgumentException of the parser becomes a ProfileException at the value line. */
    <T> Optional<T> get(String key, Function<String, T> parser) {
        Optional<String> text = text(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(text.get()));
        } catch (IllegalArgumentException e) {
            throw error(lineOf(key), context + ": " + key + ": " + e.getMessage());
        }
    }

    <T> T required(String key, Function<String, T> parser) {
        requiredText(key);
        return get(key, parser).orElseThrow();
    }

    Optional<Duration> duration(String key) {
        return get(key, Durations::parse);
    }

    OptionalDouble number(String key) {
        Optional<Double> d = get(key, YamlMap::parseNumber);
        return d.isPresent() ? OptionalDouble.of(d.get()) : OptionalDouble.empty();
    }

    Optional<Integer> integer(String key) {
        return get(key, t -> {
            try {
                return Integer.parseInt(t.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + t + "' is not a whole number");
            }
        });
    }

    Optional<Boolean> bool(String key) {
        return get(key, t -> switch (t) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("'" + t + "' is not true or false");
        });
    }

    static double parseNumber(String text) {
        try {
            double d = Double.parseDouble(text.trim().replace("_", ""));
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a number");
    }

    Optional<YamlMap> map(String key, String childContext, Set<String> allowedKeys) {
        Node v = value(key);
        return v == null ? Optional.empty() : Optional.of(of(source, v, childContext, allowedKeys));
    }

    /** The raw nodes of a list value (empty when absent). */
    List<Node> list(String key) {
        Node v = value(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof SequenceNode seq)) {
            throw error(line(v), context + ": " + key + " must be a list");
        }
        return seq.getValue();
    }

    List<YamlMap> maps(String key, String itemContext, Set<String> allowedKeys) {
        List<YamlMap> maps = new ArrayList<>();
        for (Node item : list(key)) {
            maps.add(of(source, item, itemContext, allowedKeys));
        }
        return maps;
    }

    List<String> texts(String key) {
        List<String> texts = new ArrayList<>();
        for (Node item : list(key)) {
            if (!(item instanceof ScalarNode scalar)) {
                throw error(line(item), context + ": " + key + " must be a list of single values");
            }
            texts.add(scalar.getValue());
        }
        return texts;
    }

    /** A mapping of scalar to scalar, e.g. enum labels; keys as text. */
    Map<String, String> textMap(String key) {
        Node v = value(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof MappingNode mapping)) {
            throw error(line(v), context + ": " + key + " must be a mapping");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || !(t.getValueNode() instanceof ScalarNode val)) {
                throw error(line(t.getKeyNode()), context + ": " + key + " entries must be single values");
            }
            if (map.put(k.getValue(), val.getValue()) != null) {
                throw error(line(k), context + ": duplicate key '" + k.getValue() + "' in " + key);
            }
        }
        return map;
    }

    /** A constant as YAML typed it: Boolean, Long, Double or String. */
    Optional<Object> constant(String key) {
        Node v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof ScalarNode scalar)) {
            throw error(line(v), context + ": " + key + " must be a single value");
        }
        return Optional.of(typedConstant(scalar));
    }

    static Object typedConstant(ScalarNode scalar) {
        String text = scalar.getValue();
        if (Tag.BOOL.equals(scalar.getTag()) && (text.equals("true") || text.equals("false"))) {
            return Boolean.valueOf(text);
        }
        if (Tag.INT.equals(scalar.getTag())) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return text;
            }
        }
        if (Tag.FLOAT.equals(scalar.getTag())) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                return text;
            }
        }
        return text;
    }

    /** Scalar constants of a mapping value (e.g. a stream envelope), typed as YAML typed them. */
    Map<String, Object> constantMap(String key) {
        Node v = value(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof MappingNode mapping)) {
            throw error(line(v), context + ": " + key + " must be a mapping");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || !(t.getValueNode() instanceof ScalarNode val)) {
                throw error(line(t.getKeyNode()), context + ": " + key + " entries must be single values");
            }
            map.put(k.getValue(), typedConstant(val));
        }
        return map;
    }

    /**
     * Runs a constructor; its IllegalArgumentException becomes a ProfileException at the blamed key's line (for
     * an {@link InvalidField}) or at this mapping's first line.
     */
    <T> T build(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (InvalidField e) {
            return fail(entries.containsKey(e.key()) ? line(entries.get(e.key()).getKeyNode()) : line(), e);
        } catch (IllegalArgumentException e) {
            return fail(line(), e);
        }
    }

    private <T> T fail(int line, IllegalArgumentException e) {
        throw error(line, e.getMessage());
    }

    private static String suggestion(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : allowed) {
            int d = distance(key.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
