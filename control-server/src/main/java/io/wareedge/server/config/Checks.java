package io.wareedge.server.config;

import java.time.Duration;

/** Small validation rules shared by the settings. */
public final class Checks {
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

    /** A duration of at least {@code min} (written {@code minText} in the error); null means {@code defaultValue}. */
    static Duration atLeast(String key, Duration value, Duration min, String minText, Duration defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        if (value.compareTo(min) < 0) {
            throw new InvalidConfigurationException(key, "must be at least " + minText, value);
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

    /** An absolute http(s) URL with a host; the key names the setting in the error. */
    public static java.net.URI httpUrl(String key, String text) {
        java.net.URI uri;
        try {
            uri = java.net.URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(key, "must be an http(s) URL", text);
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new InvalidConfigurationException(key, "must be an http(s) URL", text);
        }
        return uri;
    }

    static void noTopicWildcards(String key, String value) {
        if (value != null && (value.isEmpty() || value.contains("/") || value.contains("+") || value.contains("#"))) {
            throw new InvalidConfigurationException(key, "must be a non-empty MQTT topic level without '/', '+' or '#'", value);
        }
    }
}
