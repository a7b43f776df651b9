package io.wareedge.profiles;

/**
 * Alarm severity in the warehouse's colours. Green is the normal state and therefore never an alarm severity.
 */
public enum Severity {
    /** Act now. */
    RED,
    /** Degraded, improve. */
    YELLOW;

    public static Severity parse(String text) {
        if ("green".equals(text)) {
            throw new IllegalArgumentException("severity 'green' is the normal state, not an alarm; use red or yellow");
        }
        return YamlText.parse(Severity.class, text);
    }
}
