package io.wareedge.profiles;

/**
 * How a STRING field is spelled in the payload. Identifiers such as EPCs come as hex in either case or as base64;
 * normalizing them to upper-case hex lets readers of different vendors report the same tag identically.
 * YAML {@code encoding: text|hex|base64}.
 */
public enum TextEncoding {
    /** Taken as is. */
    TEXT,
    /** Hex digits in any case, normalized to upper case. */
    HEX,
    /** Base64 bytes, normalized to upper-case hex. */
    BASE64;

    public static TextEncoding parse(String text) {
        return YamlText.parse(TextEncoding.class, text);
    }
}
