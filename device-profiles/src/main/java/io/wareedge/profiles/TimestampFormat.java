package io.wareedge.profiles;

/** How a payload carries a record's timestamp; YAML {@code iso8601}, {@code epoch-seconds}, ... */
public enum TimestampFormat {
    /** ISO-8601 text with an offset: {@code Z}, {@code +01:00} or {@code +0100}. */
    ISO8601,
    /** Seconds since the epoch, may be fractional. */
    EPOCH_SECONDS,
    EPOCH_MILLIS,
    EPOCH_MICROS;

    public static TimestampFormat parse(String text) {
        return YamlText.parse(TimestampFormat.class, text);
    }
}
