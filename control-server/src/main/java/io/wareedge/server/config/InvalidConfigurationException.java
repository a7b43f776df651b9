package io.wareedge.server.config;

/**
 * A configuration value breaks a rule. The message names the key, the rule and the value, so the operator can fix
 * it from the log line alone; {@link io.wareedge.server.ControlServer#start} rethrows it unwrapped.
 */
public final class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(String key, String rule, Object value) {
        super("invalid configuration: " + key + " " + rule + " (was: " + value + ")");
    }
}
