package io.wareedge.profiles;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An MQTT topic with variables, e.g. {@code sorters/{device}/chutes/{chute}}. Each variable fills one whole topic
 * level, so a template can be expanded to a topic, turned into a subscription filter ({@code +} for unknown
 * variables) and matched against a received topic to recover the variables.
 */
public final class TopicTemplate {
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

    private final String text;
    /** Per level: the literal text, or null when the level is a variable. */
    private final String[] literals;
    /** Per level: the variable name, or null when the level is a literal. */
    private final String[] variableAt;
    private final Set<String> variables;

    private TopicTemplate(String text, String[] literals, String[] variableAt, Set<String> variables) {
        this.text = text;
        this.literals = literals;
        this.variableAt = variableAt;
        this.variables = Collections.unmodifiableSet(variables);
    }

    /**
     * Parses a template. Variables are {@code {name}} and must be a whole level; wildcards {@code +}/{@code #}
     * are rejected because a template describes concrete topics.
     *
     * @throws IllegalArgumentException with the reason
     */
    public static TopicTemplate parse(String template) {
        if (template == null || template.isEmpty()) {
            throw new IllegalArgumentException("topic template is empty");
        }
        if (template.indexOf('+') >= 0 || template.indexOf('#') >= 0) {
            throw new IllegalArgumentException("topic template '" + template
                    + "' contains an MQTT wildcard (+ or #); use a {variable} for a level that varies");
        }
        String[] levels = template.split("/", -1);
        String[] literals = new String[levels.length];
        String[] variableAt = new String[levels.length];
        Set<String> variables = new LinkedHashSet<>();
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            var m = VARIABLE.matcher(level);
            if (m.matches()) {
                String name = m.group(1);
                if (!variables.add(name)) {
                    throw new IllegalArgumentException("topic template '" + template + "' uses {" + name + "} twice");
                }
                variableAt[i] = name;
            } else if (level.indexOf('{') >= 0 || level.indexOf('}') >= 0) {
                throw new IllegalArgumentException("topic template '" + template + "': level '" + level
                        + "' must be either literal text or exactly one {variable}");
            } else {
                literals[i] = level;
            }
        }
        return new TopicTemplate(template, literals, variableAt, variables);
    }

    /** The variable names in order of appearance. */
    public Set<String> variables() {
        return variables;
    }

    /**
     * The concrete topic for the given variable values.
     *
     * @throws IllegalArgumentException naming a missing variable or a value that is not a valid topic level
     */
    public String expand(Map<String, String> vars) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < literals.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            if (literals[i] != null) {
                sb.append(literals[i]);
            } else {
                String value = vars.get(variableAt[i]);
                if (value == null) {
                    throw new IllegalArgumentException("topic template '" + text + "' needs variable '"
                            + variableAt[i] + "' but got only " + vars.keySet());
                }
                requireLevel(variableAt[i], value);
                sb.append(value);
            }
        }
        return sb.toString();
    }

    /** A subscription filter: known variables substituted, the others replaced by {@code +}. */
    public String subscriptionFilter(Map<String, String> knownVars) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < literals.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            if (literals[i] != null) {
                sb.append(literals[i]);
            } else {
                String value = knownVars.get(variableAt[i]);
                if (value == null) {
                    sb.append('+');
                } else {
                    requireLevel(variableAt[i], value);
                    sb.append(value);
                }
            }
        }
        return sb.toString();
    }

    /** The variable values if {@code topic} is an instance of this template, otherwise empty. */
    public Optional<Map<String, String>> match(String topic) {
        if (topic == null) {
            return Optional.empty();
        }
        List<String> levels = split(topic);
        if (levels.size() != literals.length) {
            return Optional.empty();
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < literals.length; i++) {
            String level = levels.get(i);
            if (literals[i] != null) {
                if (!literals[i].equals(level)) {
                    return Optional.empty();
                }
            } else {
                if (level.isEmpty()) {
                    return Optional.empty();
                }
                vars.put(variableAt[i], level);
            }
        }
        return Optional.of(Collections.unmodifiableMap(vars));
    }

    private static List<String> split(String topic) {
        List<String> levels = new ArrayList<>(8);
        int start = 0;
        for (int i = 0; i <= topic.length(); i++) {
            if (i == topic.length() || topic.charAt(i) == '/') {
                levels.add(topic.substring(start, i));
                start = i + 1;
            }
        }
        return levels;
    }

    private void requireLevel(String variable, String value) {
        if (value.isEmpty() || value.indexOf('/') >= 0 || value.indexOf('+') >= 0 || value.indexOf('#') >= 0) {
            throw new IllegalArgumentException("value '" + value + "' for {" + variable
                    + "} is not a single topic level (empty or contains '/', '+' or '#')");
        }
    }

    /** The template text as written. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicTemplate other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
