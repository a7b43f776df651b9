package io.wareedge.profiles;

import java.util.Locale;

/** Mapping between Java enum constants and their YAML spelling (lower-case, words joined by '-'). */
final class YamlText {
    private YamlText() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(text)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + choices(type));
    }

    static <E extends Enum<E>> String choices(Class<E> type) {
        StringBuilder sb = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(of(constant));
        }
        return sb.toString();
    }
}
