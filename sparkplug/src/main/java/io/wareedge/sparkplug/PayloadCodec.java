package io.wareedge.sparkplug;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes Sparkplug B payloads: the spec's protobuf schema ({@code sparkplug_b.proto}), read and written
 * field by field with protobuf's wire primitives.
 *
 * <p>Why not the generated message classes (Eclipse Tahu's): every metric of every DDATA went through a builder, a
 * message object, a property set and its values, and back; on a gateway that is most of the cost of a reading. The
 * bytes written are the ones the generated classes write (fields in number order), and foreign payloads are read as
 * they would be (unknown fields skipped, the last value of a oneof wins); tests hold both against Tahu's classes.
 */
public final class PayloadCodec {

    // Payload
    static final int P_TIMESTAMP = 1;
    static final int P_METRICS = 2;
    static final int P_SEQ = 3;
    // Payload.Metric
    private static final int M_NAME = 1;
    private static final int M_ALIAS = 2;
    private static final int M_TIMESTAMP = 3;
    private static final int M_DATATYPE = 4;
    private static final int M_HISTORICAL = 5;
    private static final int M_NULL = 7;
    private static final int M_PROPERTIES = 9;
    private static final int M_INT = 10;
    private static final int M_LONG = 11;
    private static final int M_FLOAT = 12;
    private static final int M_DOUBLE = 13;
    private static final int M_BOOLEAN = 14;
    private static final int M_STRING = 15;
    private static final int M_BYTES = 16;
    /** Names of the metric value fields 10..19, as the generated code names its oneof cases (for error messages). */
    private static final String[] VALUE_CASES = {"INT_VALUE", "LONG_VALUE", "FLOAT_VALUE", "DOUBLE_VALUE",
            "BOOLEAN_VALUE", "STRING_VALUE", "BYTES_VALUE", "DATASET_VALUE", "TEMPLATE_VALUE", "EXTENSION_VALUE"};
    // Payload.PropertySet
    private static final int PS_KEYS = 1;
    private static final int PS_VALUES = 2;
    // Payload.PropertyValue
    private static final int PV_TYPE = 1;
    private static final int PV_NULL = 2;
    private static final int PV_INT = 3;
    private static final int PV_LONG = 4;
    private static final int PV_FLOAT = 5;
    private static final int PV_DOUBLE = 6;
    private static final int PV_BOOLEAN = 7;
    private static final int PV_STRING = 8;

    private PayloadCodec() {
    }

    public static byte[] encode(Payload payload) {
        EncodedMetrics metrics = new EncodedMetrics();
        payload.metrics().forEach(metrics::add);
        return metrics.toPayload(payload.timestamp(), payload.seq());
    }

    /**
     * Decodes a payload.
     *
     * @throws InvalidPayloadException when the bytes are not a Sparkplug B payload or a metric's value does not
     *                                 match its declared type
     */
    public static Payload decode(byte[] bytes) throws InvalidPayloadException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        long timestamp = 0;
        long seq = -1;
        List<Metric> metrics = new ArrayList<>();
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == key(P_TIMESTAMP, WireFormat.WIRETYPE_VARINT)) {
                    timestamp = in.readUInt64();
                } else if (tag == key(P_METRICS, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    metrics.add(readMetric(in, bytes));
                    in.popLimit(limit);
                } else if (tag == key(P_SEQ, WireFormat.WIRETYPE_VARINT)) {
                    seq = in.readUInt64();
                } else {
                    in.skipField(tag);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidPayloadException("not a Sparkplug B payload: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidPayloadException("not a Sparkplug B payload: " + e, e);
        }
        return new Payload(timestamp, seq, metrics);
    }

    // ---- encoding ----

    static int metricSize(Metric m, int propertiesSize) {
        int size = 0;
        if (m.name() != null) {
            size += CodedOutputStream.computeByteArraySize(M_NAME, NameBytes.of(m.name()));
        }
        if (m.alias() != 0) {
            size += CodedOutputStream.computeUInt64Size(M_ALIAS, m.alias());
        }
        if (m.timestamp() != 0) {
            size += CodedOutputStream.computeUInt64Size(M_TIMESTAMP, m.timestamp());
        }
        size += CodedOutputStream.computeUInt32Size(M_DATATYPE, m.type().code());
        if (m.historical()) {
            size += CodedOutputStream.computeBoolSize(M_HISTORICAL, true);
        }
        if (propertiesSize > 0) {
            size += CodedOutputStream.computeTagSize(M_PROPERTIES) + CodedOutputStream.computeUInt32SizeNoTag(propertiesSize)
                    + propertiesSize;
        }
        Object v = m.value();
        if (v == null) {
            return size + CodedOutputStream.computeBoolSize(M_NULL, true);
        }
        return size + switch (m.type()) {
            case INT8, INT16, INT32, UINT8, UINT16, UINT32 -> CodedOutputStream.computeUInt32Size(M_INT, (int) ((Number) v).longValue());
            case INT64, UINT64, DATETIME -> CodedOutputStream.computeUInt64Size(M_LONG, ((Number) v).longValue());
            case FLOAT -> CodedOutputStream.computeFloatSize(M_FLOAT, 0f);
            case DOUBLE -> CodedOutputStream.computeDoubleSize(M_DOUBLE, 0d);
            case BOOLEAN -> CodedOutputStream.computeBoolSize(M_BOOLEAN, true);
            case STRING, TEXT, UUID -> CodedOutputStream.computeStringSize(M_STRING, v.toString());
            case BYTES -> CodedOutputStream.computeByteArraySize(M_BYTES, (byte[]) v);
            case UNSUPPORTED -> throw new IllegalArgumentException("cannot encode metric " + m.name() + " of unsupported type");
        };
    }

    static void writeMetric(CodedOutputStream out, Metric m, int propertiesSize) throws IOException {
        writeMetricHead(out, m);
        if (propertiesSize > 0) {
            out.writeTag(M_PROPERTIES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(propertiesSize);
            writeProperties(out, m.properties());
        }
        writeMetricValue(out, m);
    }

    /**
     * A metric whose only properties are a reading id and, when {@code quality >= 0}, a quality (both INT64): the
     * bytes {@link #writeMetric} writes for the same properties in that order, without a property map to walk.
     */
    static void writeReadingMetric(CodedOutputStream out, Metric m, int propertiesSize, long readingId, long quality)
            throws IOException {
        writeMetricHead(out, m);
        out.writeTag(M_PROPERTIES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(propertiesSize);
        out.writeString(PS_KEYS, Metric.READING_ID);
        if (quality >= 0) {
            out.writeString(PS_KEYS, Metric.QUALITY);
        }
        writeLongPropertyValue(out, readingId);
        if (quality >= 0) {
            writeLongPropertyValue(out, quality);
        }
        writeMetricValue(out, m);
    }

    static int readingPropertiesSize(long readingId, long quality) {
        int size = CodedOutputStream.computeStringSize(PS_KEYS, Metric.READING_ID) + longPropertyValueFieldSize(readingId);
        if (quality >= 0) {
            size += CodedOutputStream.computeStringSize(PS_KEYS, Metric.QUALITY) + longPropertyValueFieldSize(quality);
        }
        return size;
    }

    private static int longPropertyValueSize(long v) {
        return CodedOutputStream.computeUInt32Size(PV_TYPE, DataType.INT64.code()) + CodedOutputStream.computeUInt64Size(PV_LONG, v);
    }

    private static int longPropertyValueFieldSize(long v) {
        int valueSize = longPropertyValueSize(v);
        return CodedOutputStream.computeTagSize(PS_VALUES) + CodedOutputStream.computeUInt32SizeNoTag(valueSize) + valueSize;
    }

    private static void writeLongPropertyValue(CodedOutputStream out, long v) throws IOException {
        out.writeTag(PS_VALUES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(longPropertyValueSize(v));
        out.writeUInt32(PV_TYPE, DataType.INT64.code());
        out.writeUInt64(PV_LONG, v);
    }

    private static void writeMetricHead(CodedOutputStream out, Metric m) throws IOException {
        if (m.name() != null) {
            out.writeByteArray(M_NAME, NameBytes.of(m.name()));
        }
        if (m.alias() != 0) {
            out.writeUInt64(M_ALIAS, m.alias());
        }
        if (m.timestamp() != 0) {
            out.writeUInt64(M_TIMESTAMP, m.timestamp());
        }
        out.writeUInt32(M_DATATYPE, m.type().code());
        if (m.historical()) {
            out.writeBool(M_HISTORICAL, true);
        }
    }

    private static void writeMetricValue(CodedOutputStream out, Metric m) throws IOException {
        Object v = m.value();
        if (v == null) {
            out.writeBool(M_NULL, true);
            return;
        }
        switch (m.type()) {
            case INT8, INT16, INT32, UINT8, UINT16, UINT32 -> out.writeUInt32(M_INT, (int) ((Number) v).longValue());
            case INT64, UINT64, DATETIME -> out.writeUInt64(M_LONG, ((Number) v).longValue());
            case FLOAT -> out.writeFloat(M_FLOAT, ((Number) v).floatValue());
            case DOUBLE -> out.writeDouble(M_DOUBLE, ((Number) v).doubleValue());
            case BOOLEAN -> out.writeBool(M_BOOLEAN, (Boolean) v);
            case STRING, TEXT, UUID -> out.writeString(M_STRING, v.toString());
            case BYTES -> out.writeByteArray(M_BYTES, (byte[]) v);
            case UNSUPPORTED -> throw new IllegalArgumentException("cannot encode metric " + m.name() + " of unsupported type");
        }
    }

    /** Size of the metric's property set, 0 when it has none (then no set is written). */
    static int propertiesSize(Metric m) {
        if (m.properties().isEmpty()) {
            return 0;
        }
        int size = 0;
        for (Map.Entry<String, Object> e : m.properties().entrySet()) {
            int valueSize = propertyValueSize(e.getKey(), e.getValue());
            size += CodedOutputStream.computeStringSize(PS_KEYS, e.getKey())
                    + CodedOutputStream.computeTagSize(PS_VALUES) + CodedOutputStream.computeUInt32SizeNoTag(valueSize)
                    + valueSize;
        }
        return size;
    }

    private static void writeProperties(CodedOutputStream out, Map<String, Object> properties) throws IOException {
        // Repeated fields go out field by field, as generated code writes them: every key, then every value.
        for (String key : properties.keySet()) {
            out.writeString(PS_KEYS, key);
        }
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            out.writeTag(PS_VALUES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(propertyValueSize(e.getKey(), e.getValue()));
            Object v = e.getValue();
            out.writeUInt32(PV_TYPE, propertyType(e.getKey(), v).code());
            if (v instanceof Long l) {
                out.writeUInt64(PV_LONG, l);
            } else if (v instanceof Integer i) {
                out.writeUInt32(PV_INT, i);
            } else if (v instanceof Double d) {
                out.writeDouble(PV_DOUBLE, d);
            } else if (v instanceof Boolean b) {
                out.writeBool(PV_BOOLEAN, b);
            } else {
                out.writeString(PV_STRING, (String) v);
            }
        }
    }

    private static int propertyValueSize(String key, Object v) {
        int size = CodedOutputStream.computeUInt32Size(PV_TYPE, propertyType(key, v).code());
        if (v instanceof Long l) {
            return size + CodedOutputStream.computeUInt64Size(PV_LONG, l);
        } else if (v instanceof Integer i) {
            return size + CodedOutputStream.computeUInt32Size(PV_INT, i);
        } else if (v instanceof Double) {
            return size + CodedOutputStream.computeDoubleSize(PV_DOUBLE, 0d);
        } else if (v instanceof Boolean) {
            return size + CodedOutputStream.computeBoolSize(PV_BOOLEAN, true);
        }
        return size + CodedOutputStream.computeStringSize(PV_STRING, (String) v);
    }

    private static DataType propertyType(String key, Object v) {
        if (v instanceof Long) {
            return DataType.INT64;
        } else if (v instanceof Integer) {
            return DataType.INT32;
        } else if (v instanceof Double) {
            return DataType.DOUBLE;
        } else if (v instanceof Boolean) {
            return DataType.BOOLEAN;
        } else if (v instanceof String) {
            return DataType.STRING;
        }
        throw new IllegalArgumentException("property " + key + " has unsupported value type "
                + (v == null ? "null" : v.getClass().getName()));
    }

    // ---- decoding ----

    private static int key(int field, int wireType) {
        return field << 3 | wireType;
    }

    private static Metric readMetric(CodedInputStream in, byte[] bytes) throws IOException, InvalidPayloadException {
        String name = null;
        long alias = 0;
        long timestamp = 0;
        int datatype = 0;
        boolean historical = false;
        boolean isNull = false;
        Map<String, Object> properties = Map.of();
        int valueField = 0; // the oneof case: the last value field read wins, as in generated code
        long bits = 0;
        Object ref = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            if (field == M_NAME && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                name = readName(in, bytes);
            } else if (field == M_ALIAS && wire == WireFormat.WIRETYPE_VARINT) {
                alias = in.readUInt64();
            } else if (field == M_TIMESTAMP && wire == WireFormat.WIRETYPE_VARINT) {
                timestamp = in.readUInt64();
            } else if (field == M_DATATYPE && wire == WireFormat.WIRETYPE_VARINT) {
                datatype = in.readUInt32();
            } else if (field == M_HISTORICAL && wire == WireFormat.WIRETYPE_VARINT) {
                historical = in.readBool();
            } else if (field == M_NULL && wire == WireFormat.WIRETYPE_VARINT) {
                isNull = in.readBool();
            } else if (field == M_PROPERTIES && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int limit = in.pushLimit(in.readRawVarint32());
                properties = readProperties(in, bytes, name);
                in.popLimit(limit);
            } else if ((field == M_INT || field == M_LONG || field == M_BOOLEAN) && wire == WireFormat.WIRETYPE_VARINT) {
                valueField = field;
                bits = in.readRawVarint64();
                ref = null;
            } else if (field == M_FLOAT && wire == WireFormat.WIRETYPE_FIXED32) {
                valueField = field;
                bits = in.readRawLittleEndian32();
                ref = null;
            } else if (field == M_DOUBLE && wire == WireFormat.WIRETYPE_FIXED64) {
                valueField = field;
                bits = in.readRawLittleEndian64();
                ref = null;
            } else if (field == M_STRING && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                valueField = field;
                ref = in.readString();
            } else if (field == M_BYTES && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                valueField = field;
                ref = in.readByteArray();
            } else if (field >= 17 && field <= 19 && wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                valueField = field; // DataSet, Template, extension: recognised, not read
                in.skipField(tag);
                ref = null;
            } else {
                in.skipField(tag);
            }
        }
        DataType type = DataType.fromCode(datatype);
        Object value = null;
        if (!isNull && type != DataType.UNSUPPORTED) {
            value = switch (type) {
                case INT8 -> valueField == M_INT ? (long) (byte) bits : missing(name, alias, type, valueField);
                case INT16 -> valueField == M_INT ? (long) (short) bits : missing(name, alias, type, valueField);
                case INT32 -> valueField == M_INT ? (long) (int) bits : missing(name, alias, type, valueField);
                case UINT8, UINT16, UINT32 -> valueField == M_INT ? Integer.toUnsignedLong((int) bits) : missing(name, alias, type, valueField);
                case INT64, UINT64, DATETIME -> valueField == M_LONG ? bits : missing(name, alias, type, valueField);
                case FLOAT -> valueField == M_FLOAT ? (double) Float.intBitsToFloat((int) bits) : missing(name, alias, type, valueField);
                case DOUBLE -> valueField == M_DOUBLE ? Double.longBitsToDouble(bits) : missing(name, alias, type, valueField);
                case BOOLEAN -> valueField == M_BOOLEAN ? bits != 0 : missing(name, alias, type, valueField);
                case STRING, TEXT, UUID -> valueField == M_STRING ? ref : missing(name, alias, type, valueField);
                case BYTES -> valueField == M_BYTES ? ref : missing(name, alias, type, valueField);
                case UNSUPPORTED -> null;
            };
        }
        return new Metric(name, alias, timestamp, type, value, historical, properties);
    }

    /**
     * A metric name or property key: the same String for the same bytes as before, so a host reading millions of
     * metrics neither allocates nor hashes each name anew (a fifth of the control server's ingest CPU went to hashing
     * freshly decoded names as map keys). {@code in} reads {@code bytes} from its start.
     */
    private static String readName(CodedInputStream in, byte[] bytes) throws IOException {
        int length = in.readRawVarint32();
        int offset = in.getTotalBytesRead();
        in.skipRawBytes(length); // rejects a negative or truncated length before the bytes are read
        return NameBytes.string(bytes, offset, length);
    }

    private static Map<String, Object> readProperties(CodedInputStream in, byte[] bytes, String metric)
            throws IOException, InvalidPayloadException {
        List<String> keys = new ArrayList<>(2);
        List<Object> values = new ArrayList<>(2);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == key(PS_KEYS, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                keys.add(readName(in, bytes));
            } else if (tag == key(PS_VALUES, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(in.readRawVarint32());
                values.add(readPropertyValue(in));
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        if (keys.size() != values.size()) {
            throw new InvalidPayloadException("metric " + metric + ": property keys and values differ in count");
        }
        if (keys.size() == 1) {
            return values.get(0) == null ? Map.of() : Map.of(keys.get(0), values.get(0));
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            if (values.get(i) != null) {
                properties.put(keys.get(i), values.get(i));
            }
        }
        return properties;
    }

    /** A scalar property value; null when it is null or of a kind this project does not read (nested sets). */
    private static Object readPropertyValue(CodedInputStream in) throws IOException {
        int type = 0;
        boolean isNull = false;
        Object value = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == key(PV_TYPE, WireFormat.WIRETYPE_VARINT)) {
                type = in.readUInt32();
            } else if (tag == key(PV_NULL, WireFormat.WIRETYPE_VARINT)) {
                isNull = in.readBool();
            } else if (tag == key(PV_INT, WireFormat.WIRETYPE_VARINT)) {
                value = in.readUInt32();
            } else if (tag == key(PV_LONG, WireFormat.WIRETYPE_VARINT)) {
                value = in.readUInt64();
            } else if (tag == key(PV_FLOAT, WireFormat.WIRETYPE_FIXED32)) {
                value = (double) in.readFloat();
            } else if (tag == key(PV_DOUBLE, WireFormat.WIRETYPE_FIXED64)) {
                value = in.readDouble();
            } else if (tag == key(PV_BOOLEAN, WireFormat.WIRETYPE_VARINT)) {
                value = in.readBool();
            } else if (tag == key(PV_STRING, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                value = in.readString();
            } else {
                if (WireFormat.getTagFieldNumber(tag) >= 9 && WireFormat.getTagFieldNumber(tag) <= 11) {
                    value = null; // a nested set or an extension replaces any scalar before it (oneof)
                }
                in.skipField(tag);
            }
        }
        if (isNull || value == null) {
            return null;
        }
        if (value instanceof Integer i) {
            DataType t = DataType.fromCode(type);
            return t == DataType.INT8 ? (long) (byte) (int) i
                    : t == DataType.INT16 ? (long) (short) (int) i
                    : t == DataType.INT32 ? (long) i
                    : Integer.toUnsignedLong(i);
        }
        return value;
    }

    private static Object missing(String name, long alias, DataType type, int valueField) throws InvalidPayloadException {
        String carried = valueField == 0 ? "VALUE_NOT_SET" : VALUE_CASES[valueField - M_INT];
        throw new InvalidPayloadException("metric " + (name != null ? name : "alias " + alias)
                + " declares " + type + " but carries " + carried);
    }
}
