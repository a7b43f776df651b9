package io.wareedge.edge.config;

/** A configuration value broke a rule; the message names the key, the rule and the value received. */
public class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String rule, Object value) {
        super(key + ": " + rule + " (got " + (value instanceof String s ? "\"" + s + "\"" : String.valueOf(value)) + ")");
        this.key = key;
    }

    public String key() {
        return key;
    }
}
