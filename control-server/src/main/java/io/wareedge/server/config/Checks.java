package io.wareedge.server.config;

import java.time.Duration;

/** Small validation rules shared by the settings records. */
final class Checks {
    private Checks() {
    }

    static String required(String key, String value, String example) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationException(key, "is required, e.g. " + example, value);
        }
        return value.trim();
    }

    static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw new InvalidConfigurationException(key, "must be at least " + min, value);
        }
        return value;
    }

    static Duration positive(String key, Duration value, Duration defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        if (value.isZero() || value.isNegative()) {
            throw new InvalidConfigurationException(key, "must be a positive duration such as 30s", value);
        }
        return value;
    }

    static void noTopicWildcards(String key, String value) {
        if (value != null && (value.isEmpty() || value.contains("/") || value.contains("+") || value.contains("#"))) {
            throw new InvalidConfigurationException(key, "must be a non-empty MQTT topic level without '/', '+' or '#'", value);
        }
    }
}
