package io.wareedge.profiles;

/**
 * Type of a resource value. After normalization values are {@link Boolean} for BOOLEAN, {@link Long} for every
 * integer type, {@link Double} for FLOAT/DOUBLE and {@link String} for STRING.
 */
public enum ValueType {
    BOOLEAN(0, 0),
    INT16(Short.MIN_VALUE, Short.MAX_VALUE),
    INT32(Integer.MIN_VALUE, Integer.MAX_VALUE),
    INT64(Long.MIN_VALUE, Long.MAX_VALUE),
    UINT16(0, 65_535),
    UINT32(0, 4_294_967_295L),
    FLOAT(0, 0),
    DOUBLE(0, 0),
    STRING(0, 0);

    private final long minInteger;
    private final long maxInteger;

    ValueType(long minInteger, long maxInteger) {
        this.minInteger = minInteger;
        this.maxInteger = maxInteger;
    }

    public boolean isNumeric() {
        return this != BOOLEAN && this != STRING;
    }

    public boolean isInteger() {
        return isNumeric() && this != FLOAT && this != DOUBLE;
    }

    /** Smallest value representable by an integer type (meaningless for other types). */
    public long minInteger() {
        return minInteger;
    }

    /** Largest value representable by an integer type (meaningless for other types). */
    public long maxInteger() {
        return maxInteger;
    }

    /** The Java class values of this type have after normalization. */
    public Class<?> javaType() {
        return switch (this) {
            case BOOLEAN -> Boolean.class;
            case STRING -> String.class;
            case FLOAT, DOUBLE -> Double.class;
            default -> Long.class;
        };
    }

    /** YAML spelling: lower-case, e.g. {@code uint32}. */
    public String yamlName() {
        return YamlText.of(this);
    }

    public static ValueType parse(String text) {
        return YamlText.parse(ValueType.class, text);
    }
}
