package io.wareedge.profiles;

import java.util.List;
import java.util.Optional;

/**
 * Which records of a stream carry data; others (heartbeats, other event types) are skipped silently and counted.
 * The field at {@code pointer} is compared as text (JSON {@code false} compares equal to "false"). Exactly one of
 * {@code equals}, {@code notEquals} or {@code in} is set.
 */
public record RecordFilter(String pointer, Optional<String> equals, Optional<String> notEquals, List<String> in) {

    public RecordFilter {
        Checks.pointer("where pointer", pointer);
        equals = equals == null ? Optional.empty() : equals;
        notEquals = notEquals == null ? Optional.empty() : notEquals;
        in = in == null ? List.of() : List.copyOf(in);
        int forms = (equals.isPresent() ? 1 : 0) + (notEquals.isPresent() ? 1 : 0) + (in.isEmpty() ? 0 : 1);
        if (forms != 1) {
            throw new IllegalArgumentException("where needs exactly one of equals, notEquals or in");
        }
    }

    /** Keeps records whose field equals {@code value}. */
    public RecordFilter(String pointer, String equals) {
        this(pointer, Optional.of(equals), Optional.empty(), List.of());
    }

    /**
     * Whether a record whose field has this text (null when absent) is kept. An absent field fails
     * {@code equals}/{@code in} and passes {@code notEquals}.
     */
    public boolean matches(String fieldText) {
        if (equals.isPresent()) {
            return equals.get().equals(fieldText);
        }
        if (notEquals.isPresent()) {
            return !notEquals.get().equals(fieldText);
        }
        return fieldText != null && in.contains(fieldText);
    }

    /** The value a producer writes so its records pass this filter, if there is one. */
    Optional<String> passingValue() {
        return equals.isPresent() ? equals : in.stream().findFirst();
    }
}
