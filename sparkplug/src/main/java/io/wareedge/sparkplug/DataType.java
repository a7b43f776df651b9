package io.wareedge.sparkplug;

/**
 * The Sparkplug B metric data types this project reads and writes. Complex types (DataSet, Template,
 * arrays) sent by other edge nodes decode as {@link #UNSUPPORTED} with no value rather than failing the payload.
 */
public enum DataType {
    INT8(1), INT16(2), INT32(3), INT64(4), UINT8(5), UINT16(6), UINT32(7), UINT64(8),
    FLOAT(9), DOUBLE(10), BOOLEAN(11), STRING(12), DATETIME(13), TEXT(14), UUID(15), BYTES(17),
    UNSUPPORTED(0);

    private final int code;

    DataType(int code) {
        this.code = code;
    }

    /** The numeric code used on the wire. */
    public int code() {
        return code;
    }

    private static final DataType[] BY_CODE = new DataType[18];

    static {
        java.util.Arrays.fill(BY_CODE, UNSUPPORTED);
        for (DataType t : values()) {
            if (t != UNSUPPORTED) {
                BY_CODE[t.code] = t;
            }
        }
    }

    public static DataType fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : UNSUPPORTED;
    }

    public boolean isInteger() {
        return code >= 1 && code <= 8 || this == DATETIME;
    }

    public boolean isFloating() {
        return this == FLOAT || this == DOUBLE;
    }

    public boolean isText() {
        return this == STRING || this == TEXT || this == UUID;
    }
}
