package io.wareedge.profiles;

/** Direction of a GPIO pin. */
public enum Direction {
    INPUT, OUTPUT;

    public static Direction parse(String text) {
        return YamlText.parse(Direction.class, text);
    }
}
