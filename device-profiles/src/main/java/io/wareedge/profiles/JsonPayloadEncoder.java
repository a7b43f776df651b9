package io.wareedge.profiles;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inverse of {@link JsonPayloadDecoder}, for simulators: builds the payload a device of this profile would
 * publish on a stream, so that decoding it gives back the same values. Thread-safe.
 */
public final class JsonPayloadEncoder {
    private final MqttStream stream;
    private final JsonPointer records;
    private final Map<String, FieldCodec> fields = new HashMap<>();

    private JsonPayloadEncoder(DeviceProfile profile, MqttStream stream) {
        this.stream = stream;
        this.records = JsonPointer.compile(stream.records());
        for (Resource r : profile.resourcesOf(stream.name())) {
            fields.put(r.name(), new FieldCodec(r));
        }
    }

    /**
     * An encoder for the named stream of a profile.
     *
     * @throws IllegalArgumentException if the profile has no such stream
     */
    public static JsonPayloadEncoder forStream(DeviceProfile profile, String streamName) {
        MqttStream stream = profile.mqttStream(streamName).orElseThrow(() -> new IllegalArgumentException(
                "profile '" + profile.id() + "' has no mqtt stream '" + streamName + "'"));
        return new JsonPayloadEncoder(profile, stream);
    }

    /** Encodes a single record. */
    public byte[] encode(Map<String, Object> values, Instant timestamp) {
        return encode(List.of(values), timestamp == null ? List.of() : List.of(timestamp));
    }

    /**
     * Encodes records (resource name → normalized value) into one payload.
     *
     * @param timestamps one per record when the stream has a timestamp field (ignored otherwise)
     * @throws IllegalArgumentException for unknown resources, values that do not fit, or several records on a
     *                                  stream that carries one record per message
     */
    public byte[] encode(List<Map<String, Object>> recordValues, List<Instant> timestamps) {
        if (recordValues.isEmpty()) {
            throw new IllegalArgumentException("nothing to encode");
        }
        if (!stream.batch() && recordValues.size() != 1) {
            throw new IllegalArgumentException("stream '" + stream.name() + "' carries one record per message, got "
                    + recordValues.size());
        }
        if (stream.timestamp().isPresent() && (timestamps == null || timestamps.size() != recordValues.size())) {
            throw new IllegalArgumentException("stream '" + stream.name() + "' needs one timestamp per record");
        }
        ObjectNode root = Json.NODES.objectNode();
        stream.envelope().forEach((key, value) -> root.set(key, constant(value)));
        if (stream.batch()) {
            ArrayNode array = Json.NODES.arrayNode();
            Json.put(root, records, array);
            for (int i = 0; i < recordValues.size(); i++) {
                ObjectNode record = array.addObject();
                fill(record, recordValues.get(i), timestamps == null || timestamps.isEmpty() ? null
                        : timestamps.get(i));
            }
        } else {
            ObjectNode record = root;
            if (!stream.records().isEmpty()) {
                record = Json.NODES.objectNode();
                Json.put(root, records, record);
            }
            fill(record, recordValues.get(0), timestamps == null || timestamps.isEmpty() ? null : timestamps.get(0));
        }
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private void fill(ObjectNode record, Map<String, Object> values, Instant timestamp) {
        stream.where().ifPresent(w -> w.passingValue()
                .ifPresent(v -> Json.put(record, JsonPointer.compile(w.pointer()), constant(guessType(v)))));
        stream.timestamp().ifPresent(t -> Json.put(record, JsonPointer.compile(t.pointer()),
                timestampNode(t.format(), timestamp)));
        for (var entry : values.entrySet()) {
            FieldCodec field = fields.get(entry.getKey());
            if (field == null) {
                throw new IllegalArgumentException("stream '" + stream.name() + "' has no resource '"
                        + entry.getKey() + "'; resources: " + fields.keySet());
            }
            if (entry.getValue() == null) {
                continue;
            }
            JsonNode node = field.encode(entry.getValue());
            if (node != null) {
                Json.put(record, field.pointer, node);
            }
        }
    }

    private static JsonNode timestampNode(TimestampFormat format, Instant t) {
        return switch (format) {
            case ISO8601 -> Json.NODES.textNode(Json.formatIso(t));
            case EPOCH_SECONDS -> t.getNano() == 0 ? Json.NODES.numberNode(t.getEpochSecond())
                    : Json.NODES.numberNode(new java.math.BigDecimal(t.getEpochSecond()).add(
                    java.math.BigDecimal.valueOf(t.getNano(), 9)));
            case EPOCH_MILLIS -> Json.NODES.numberNode(t.toEpochMilli());
            case EPOCH_MICROS -> Json.NODES.numberNode(Math.addExact(Math.multiplyExact(t.getEpochSecond(),
                    1_000_000L), t.getNano() / 1_000L));
        };
    }

    /** A where-filter value as the device would send it: true/false as booleans, whole numbers as numbers. */
    private static Object guessType(String text) {
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private static JsonNode constant(Object value) {
        if (value instanceof Boolean b) {
            return Json.NODES.booleanNode(b);
        }
        if (value instanceof Long l) {
            return Json.NODES.numberNode(l);
        }
        if (value instanceof Double d) {
            return Json.NODES.numberNode(d);
        }
        return Json.NODES.textNode(String.valueOf(value));
    }

    /** The stream this encoder writes. */
    public MqttStream stream() {
        return stream;
    }

    /** The resources this encoder accepts. */
    public Optional<Resource> resource(String name) {
        return Optional.ofNullable(fields.get(name)).map(f -> f.resource);
    }
}
