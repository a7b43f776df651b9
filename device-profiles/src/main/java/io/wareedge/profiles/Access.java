package io.wareedge.profiles;

/** Whether a resource can be read, written or both; YAML {@code read}, {@code write}, {@code read-write}. */
public enum Access {
    READ, WRITE, READ_WRITE;

    public boolean readable() {
        return this != WRITE;
    }

    public boolean writable() {
        return this != READ;
    }

    public static Access parse(String text) {
        return YamlText.parse(Access.class, text);
    }
}
