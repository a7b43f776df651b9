package io.wareedge.profiles;

/** Where a record carries its timestamp (a JSON pointer relative to the record) and in which format. */
public record TimestampField(String pointer, TimestampFormat format) {
    public TimestampField {
        Checks.pointer("timestamp pointer", pointer);
        Checks.notNull("timestamp format", format);
    }
}
