package io.wareedge.profiles;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Small argument checks shared by the model records; failures are IllegalArgumentExceptions with a reason. */
final class Checks {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private Checks() {
    }

    static String name(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name '" + name
                    + "' must start with a letter and contain only letters, digits and '_'");
        }
        return name;
    }

    static String id(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id '" + id
                    + "' must be lower-case letters, digits, '.', '_' or '-' (it is the file name)");
        }
        return id;
    }

    static <T> T notNull(String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        return value;
    }

    static String text(String value) {
        return value == null ? "" : value;
    }

    /** A JSON pointer: "" (the whole document) or "/a/b". */
    static String pointer(String what, String pointer) {
        notNull(what, pointer);
        try {
            JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + pointer + "' is not a JSON pointer (write \"\" or /a/b)");
        }
        return pointer;
    }

    static <T> void unique(String what, Collection<T> items, Function<T, String> key) {
        Set<String> seen = new HashSet<>();
        for (T item : items) {
            if (!seen.add(key.apply(item))) {
                throw new IllegalArgumentException("duplicate " + what + " '" + key.apply(item) + "'");
            }
        }
    }
}
