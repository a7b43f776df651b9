package io.wareedge.profiles;

/** Pull resistor of a GPIO input. */
public enum Pull {
    UP, DOWN, OFF;

    public static Pull parse(String text) {
        return YamlText.parse(Pull.class, text);
    }
}
