package io.wareedge.edge.uplink;

import io.wareedge.profiles.ValueType;
import io.wareedge.sparkplug.DataType;

/** Profile value types as Sparkplug data types. */
final class MetricTypes {
    private MetricTypes() {
    }

    static DataType of(ValueType type) {
        return switch (type) {
            case BOOLEAN -> DataType.BOOLEAN;
            case INT16 -> DataType.INT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case UINT16 -> DataType.UINT16;
            case UINT32 -> DataType.UINT32;
            case FLOAT -> DataType.FLOAT;
            case DOUBLE -> DataType.DOUBLE;
            case STRING -> DataType.STRING;
        };
    }

    static DataType ofValue(Object value) {
        if (value instanceof Boolean) {
            return DataType.BOOLEAN;
        }
        if (value instanceof Long) {
            return DataType.INT64;
        }
        if (value instanceof Double) {
            return DataType.DOUBLE;
        }
        return DataType.STRING;
    }
}
