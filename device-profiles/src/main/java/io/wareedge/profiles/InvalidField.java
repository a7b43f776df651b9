package io.wareedge.profiles;

/**
 * A validation failure blamed on one YAML key, so the loader can report that key's line rather than the line of
 * the enclosing mapping. To plain Java callers it is just an IllegalArgumentException.
 */
final class InvalidField extends IllegalArgumentException {
    private final String key;

    InvalidField(String key, String message) {
        super(message);
        this.key = key;
    }

    String key() {
        return key;
    }
}
