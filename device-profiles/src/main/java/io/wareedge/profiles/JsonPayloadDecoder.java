package io.wareedge.profiles;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the JSON payloads of one MQTT stream into normalized records as the profile describes. Thread-safe and
 * reusable; build one per stream. It never throws on bad input: problems are returned in the {@link DecodeResult}.
 */
public final class JsonPayloadDecoder {
    private final DeviceProfile profile;
    private final MqttStream stream;
    private final JsonPointer records;
    private final JsonPointer wherePointer;
    private final JsonPointer timestampPointer;
    private final FieldCodec[] fields;

    private JsonPayloadDecoder(DeviceProfile profile, MqttStream stream) {
        this.profile = profile;
        this.stream = stream;
        this.records = JsonPointer.compile(stream.records());
        this.wherePointer = stream.where().map(w -> JsonPointer.compile(w.pointer())).orElse(null);
        this.timestampPointer = stream.timestamp().map(t -> JsonPointer.compile(t.pointer())).orElse(null);
        this.fields = profile.resourcesOf(stream.name()).stream().map(FieldCodec::new).toArray(FieldCodec[]::new);
    }

    /**
     * A decoder for the named stream of a profile.
     *
     * @throws IllegalArgumentException if the profile has no such stream
     */
    public static JsonPayloadDecoder forStream(DeviceProfile profile, String streamName) {
        MqttStream stream = profile.mqttStream(streamName).orElseThrow(() -> new IllegalArgumentException(
                "profile '" + profile.id() + "' has no mqtt stream '" + streamName + "'; streams: "
                        + profile.mqttStreams().stream().map(MqttStream::name).toList()));
        return new JsonPayloadDecoder(profile, stream);
    }

    public DeviceProfile profile() {
        return profile;
    }

    public MqttStream stream() {
        return stream;
    }

    /** Decodes one payload; {@code receivedAt} is the time of records without (a usable) timestamp. */
    public DecodeResult decode(byte[] payload, Instant receivedAt) {
        try {
            return decodeUnchecked(payload, receivedAt);
        } catch (RuntimeException e) {
            // A decoder bug must not stop the stream: report it like any other bad payload.
            return DecodeResult.failed(ProblemKind.WRONG_SHAPE, "could not decode: " + e);
        }
    }

    private DecodeResult decodeUnchecked(byte[] payload, Instant receivedAt) {
        if (payload == null || payload.length == 0) {
            return DecodeResult.failed(ProblemKind.NOT_JSON, "empty payload");
        }
        if (payload.length > stream.maxPayloadBytes()) {
            return DecodeResult.failed(ProblemKind.OVERSIZED, payload.length + " bytes exceed the limit of "
                    + stream.maxPayloadBytes() + " of stream '" + stream.name() + "'");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(payload);
        } catch (IOException e) {
            return DecodeResult.failed(ProblemKind.NOT_JSON, firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            return DecodeResult.failed(ProblemKind.NOT_JSON, "no JSON value in payload");
        }
        JsonNode recordsNode = root.at(records);
        List<DecodeProblem> problems = new ArrayList<>(0);
        List<DecodedRecord> decoded;
        int skipped = 0;
        if (recordsNode.isObject()) {
            decoded = new ArrayList<>(1);
            if (passes(recordsNode)) {
                decoded.add(record(recordsNode, receivedAt, problems));
            } else {
                skipped++;
            }
        } else if (recordsNode.isArray() && !stream.records().isEmpty()) {
            decoded = new ArrayList<>(recordsNode.size());
            int index = 0;
            for (JsonNode element : recordsNode) {
                if (!element.isObject()) {
                    problems.add(new DecodeProblem(ProblemKind.WRONG_SHAPE, null, "record " + index + " at "
                            + stream.records() + " is not a JSON object: " + FieldCodec.abbreviate(element)));
                } else if (passes(element)) {
                    decoded.add(record(element, receivedAt, problems));
                } else {
                    skipped++;
                }
                index++;
            }
        } else {
            String where = stream.records().isEmpty() ? "the payload" : "'" + stream.records() + "'";
            return DecodeResult.failed(ProblemKind.WRONG_SHAPE, recordsNode.isMissingNode()
                    ? "payload has no " + where
                    : where + " must be a JSON object" + (stream.records().isEmpty() ? "" : " or array")
                    + ", got " + FieldCodec.abbreviate(recordsNode));
        }
        return new DecodeResult(decoded, problems, skipped);
    }

    private boolean passes(JsonNode record) {
        return wherePointer == null || stream.where().get().matches(Json.scalarText(record.at(wherePointer)));
    }

    private DecodedRecord record(JsonNode record, Instant receivedAt, List<DecodeProblem> problems) {
        Instant timestamp = timestampPointer == null ? receivedAt : timestamp(record, receivedAt, problems);
        Map<String, Object> values = new LinkedHashMap<>(fields.length * 2);
        for (FieldCodec field : fields) {
            JsonNode node = record.at(field.pointer);
            if (node.isMissingNode() || node.isNull()) {
                if (field.required()) {
                    problems.add(new DecodeProblem(ProblemKind.MISSING_REQUIRED, field.name, "resource '"
                            + field.name + "' is required but " + field.pointer + " is absent"));
                }
                continue;
            }
            Object value = field.decode(node, problems);
            if (value != null) {
                values.put(field.name, value);
            }
        }
        return new DecodedRecord(timestamp, Collections.unmodifiableMap(values));
    }

    private Instant timestamp(JsonNode record, Instant receivedAt, List<DecodeProblem> problems) {
        JsonNode node = record.at(timestampPointer);
        TimestampFormat format = stream.timestamp().get().format();
        try {
            if (node.isMissingNode() || node.isNull()) {
                throw new IllegalArgumentException("absent");
            }
            if (format == TimestampFormat.ISO8601) {
                if (!node.isTextual()) {
                    throw new IllegalArgumentException("expected ISO-8601 text");
                }
                return Json.parseIso(node.textValue());
            }
            if (!node.isNumber() && !node.isTextual()) {
                throw new IllegalArgumentException("expected a number");
            }
            BigDecimal number = node.isNumber() ? node.decimalValue() : new BigDecimal(node.textValue().trim());
            BigDecimal nanos = switch (format) {
                case EPOCH_SECONDS -> number.movePointRight(9);
                case EPOCH_MILLIS -> number.movePointRight(6);
                default -> number.movePointRight(3);
            };
            long totalNanos = nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
            return Instant.ofEpochSecond(Math.floorDiv(totalNanos, 1_000_000_000L),
                    Math.floorMod(totalNanos, 1_000_000_000L));
        } catch (RuntimeException e) {
            problems.add(new DecodeProblem(ProblemKind.BAD_TIMESTAMP, null, "timestamp at " + timestampPointer
                    + " (" + format.name().toLowerCase() + "): " + FieldCodec.abbreviate(Json.scalarText(node))
                    + ": " + e.getMessage() + "; using the receive time"));
            return receivedAt;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "not JSON";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
