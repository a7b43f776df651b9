package io.wareedge.profiles;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the JSON payloads of one MQTT stream into normalized records as the profile describes. Thread-safe and
 * reusable; build one per stream. It never throws on bad input: problems are returned in the {@link DecodeResult}.
 *
 * <p>This runs for every message on the edge agent, so there are two ways of reading a payload. The fast one
 * scans it once ({@link PayloadScanner}) and builds nodes only for the values the profile points at
 * ({@link RecordPaths}). The tree one reads the whole payload with Jackson's {@code readTree} and evaluates each
 * pointer; it is the reference, and the fast one hands over to it whenever the payload is not plain (not JSON,
 * non-ASCII, escapes, wrong shape, a duplicate key on a path), so that JSON is judged, problems are worded and
 * duplicates are resolved exactly as before. Both feed the same nodes to the same record assembly, so the results
 * do not depend on the way.
 */
public final class JsonPayloadDecoder {
    private final DeviceProfile profile;
    private final MqttStream stream;
    private final JsonPointer records;
    /** The records pointer's steps: property names, and array indexes where a step is a number (else -1). */
    private final byte[][] recordsNames;
    private final int[] recordsIndexes;
    private final RecordFilter where;
    private final JsonPointer wherePointer;
    private final JsonPointer timestampPointer;
    private final TimestampFormat timestampFormat;
    private final FieldCodec[] fields;
    private final String[] fieldNames;
    /**
     * Every pointer read in a record, by slot: the where pointer (if any), the timestamp pointer (if any), then the
     * fields in declaration order.
     */
    private final JsonPointer[] slotPointers;
    private final int whereSlot;
    private final int timestampSlot;
    private final int firstFieldSlot;
    /** Null when the pointers cannot be scanned in one pass; every payload is then read as a tree. */
    private final RecordPaths recordPaths;

    private JsonPayloadDecoder(DeviceProfile profile, MqttStream stream) {
        this.profile = profile;
        this.stream = stream;
        this.records = JsonPointer.compile(stream.records());
        List<String> names = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        for (JsonPointer step = records; !step.matches(); step = step.tail()) {
            names.add(step.getMatchingProperty());
            indexes.add(step.getMatchingIndex());
        }
        this.recordsNames = names.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        this.recordsIndexes = indexes.stream().mapToInt(Integer::intValue).toArray();
        this.where = stream.where().orElse(null);
        this.wherePointer = stream.where().map(w -> JsonPointer.compile(w.pointer())).orElse(null);
        this.timestampPointer = stream.timestamp().map(t -> JsonPointer.compile(t.pointer())).orElse(null);
        this.timestampFormat = stream.timestamp().map(TimestampField::format).orElse(null);
        this.fields = profile.resourcesOf(stream.name()).stream().map(FieldCodec::new).toArray(FieldCodec[]::new);
        this.fieldNames = Arrays.stream(fields).map(f -> f.name).toArray(String[]::new);

        List<JsonPointer> pointers = new ArrayList<>();
        this.whereSlot = wherePointer == null ? -1 : add(pointers, wherePointer);
        this.timestampSlot = timestampPointer == null ? -1 : add(pointers, timestampPointer);
        this.firstFieldSlot = pointers.size();
        for (FieldCodec field : fields) {
            pointers.add(field.pointer);
        }
        this.slotPointers = pointers.toArray(JsonPointer[]::new);
        this.recordPaths = RecordPaths.compile(slotPointers);
    }

    private static int add(List<JsonPointer> pointers, JsonPointer pointer) {
        pointers.add(pointer);
        return pointers.size() - 1;
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
        return decode(payload, receivedAt, recordPaths != null);
    }

    /** {@link #decode} always reading the payload as a tree: the reference the tests hold the fast way to. */
    DecodeResult decodeAsTree(byte[] payload, Instant receivedAt) {
        return decode(payload, receivedAt, false);
    }

    private DecodeResult decode(byte[] payload, Instant receivedAt, boolean scan) {
        try {
            return decodeUnchecked(payload, receivedAt, scan);
        } catch (RuntimeException e) {
            // A decoder bug must not stop the stream: report it like any other bad payload.
            return DecodeResult.failed(ProblemKind.WRONG_SHAPE, "could not decode: " + e);
        }
    }

    private DecodeResult decodeUnchecked(byte[] payload, Instant receivedAt, boolean scan) {
        if (payload == null || payload.length == 0) {
            return DecodeResult.failed(ProblemKind.NOT_JSON, "empty payload");
        }
        if (payload.length > stream.maxPayloadBytes()) {
            return DecodeResult.failed(ProblemKind.OVERSIZED, payload.length + " bytes exceed the limit of "
                    + stream.maxPayloadBytes() + " of stream '" + stream.name() + "'");
        }
        DecodeResult scanned = scan ? decodeScanning(payload, receivedAt) : null;
        return scanned != null ? scanned : decodeTree(payload, receivedAt);
    }

    /** The fast way: one pass over the payload; null when the tree way must decide (see the class comment). */
    private DecodeResult decodeScanning(byte[] payload, Instant receivedAt) {
        PayloadScanner in = new PayloadScanner(payload);
        Batch batch = new Batch(receivedAt);
        try {
            // The records may sit anywhere in the document, so all of it is read (and so checked): a syntax error
            // after the records makes the payload NOT_JSON just as with the tree.
            readRecords(in, 0, batch);
            in.expectEnd();
        } catch (PayloadScanner.NotPlain e) {
            return null;
        }
        return new DecodeResult(batch.decoded, batch.problems, batch.skipped);
    }

    /** Follows the records pointer from the value at the scanner's position and reads the records there. */
    private void readRecords(PayloadScanner in, int depth, Batch batch) throws PayloadScanner.NotPlain {
        int c = in.peek();
        if (depth == recordsNames.length) {
            if (c == '{') {
                batch.read(in);
            } else if (c == '[' && recordsNames.length > 0) {
                int index = 0;
                if (in.enterArray()) {
                    do {
                        if (in.peek() == '{') {
                            batch.read(in);
                        } else {
                            batch.problems.add(notAnObject(index, in.readValue()));
                        }
                        index++;
                    } while (in.moreElements());
                }
            } else {
                throw PayloadScanner.NotPlain.INSTANCE; // wrong shape: the tree way words the problem
            }
            return;
        }
        boolean found = false;
        if (c == '{' && in.enterObject()) {
            do {
                in.name();
                if (!in.nameIs(recordsNames[depth])) {
                    in.skipValue();
                } else if (found) {
                    throw PayloadScanner.NotPlain.INSTANCE; // a duplicate key: the tree keeps the last one
                } else {
                    found = true;
                    readRecords(in, depth + 1, batch);
                }
            } while (in.moreMembers());
        } else if (c == '[' && recordsIndexes[depth] >= 0 && in.enterArray()) {
            int index = 0;
            do {
                if (index++ == recordsIndexes[depth]) {
                    found = true;
                    readRecords(in, depth + 1, batch);
                } else {
                    in.skipValue();
                }
            } while (in.moreElements());
        }
        if (!found) {
            throw PayloadScanner.NotPlain.INSTANCE; // no records: the tree way words the problem
        }
    }

    /** The records of one payload being scanned. */
    private final class Batch {
        final Instant receivedAt;
        final List<DecodedRecord> decoded = new ArrayList<>(1);
        final List<DecodeProblem> problems = new ArrayList<>(0);
        int skipped;

        Batch(Instant receivedAt) {
            this.receivedAt = receivedAt;
        }

        /** Reads the record object at the scanner's position. */
        void read(PayloadScanner in) throws PayloadScanner.NotPlain {
            JsonNode[] nodes = new JsonNode[slotPointers.length];
            recordPaths.read(in, nodes);
            if (passes(nodes)) {
                decoded.add(record(nodes, receivedAt, problems));
            } else {
                skipped++;
            }
        }
    }

    /** The reference way: the payload as a JsonNode tree (see the class comment). */
    private DecodeResult decodeTree(byte[] payload, Instant receivedAt) {
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
            JsonNode[] nodes = nodesOf(recordsNode);
            if (passes(nodes)) {
                decoded.add(record(nodes, receivedAt, problems));
            } else {
                skipped++;
            }
        } else if (recordsNode.isArray() && !stream.records().isEmpty()) {
            decoded = new ArrayList<>(recordsNode.size());
            int index = 0;
            JsonNode[] nodes;
            for (JsonNode element : recordsNode) {
                if (!element.isObject()) {
                    problems.add(notAnObject(index, element));
                } else if (passes(nodes = nodesOf(element))) {
                    decoded.add(record(nodes, receivedAt, problems));
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

    private DecodeProblem notAnObject(int index, JsonNode element) {
        return new DecodeProblem(ProblemKind.WRONG_SHAPE, null, "record " + index + " at " + stream.records()
                + " is not a JSON object: " + FieldCodec.abbreviate(element));
    }

    /** The nodes at the slot pointers of a record read as a tree. */
    private JsonNode[] nodesOf(JsonNode record) {
        JsonNode[] nodes = new JsonNode[slotPointers.length];
        for (int slot = 0; slot < nodes.length; slot++) {
            nodes[slot] = record.at(slotPointers[slot]);
        }
        return nodes;
    }

    /** The node in a slot; the streaming way leaves absent values null, the tree way has the MissingNode. */
    private static JsonNode node(JsonNode[] nodes, int slot) {
        JsonNode node = nodes[slot];
        return node == null ? MissingNode.getInstance() : node;
    }

    private boolean passes(JsonNode[] nodes) {
        return where == null || where.matches(Json.scalarText(node(nodes, whereSlot)));
    }

    private DecodedRecord record(JsonNode[] nodes, Instant receivedAt, List<DecodeProblem> problems) {
        Instant timestamp = timestampSlot < 0 ? receivedAt : timestamp(node(nodes, timestampSlot), receivedAt,
                problems);
        Object[] values = new Object[fields.length];
        int present = 0;
        for (int i = 0; i < fields.length; i++) {
            FieldCodec field = fields[i];
            JsonNode node = node(nodes, firstFieldSlot + i);
            JsonNodeType type = node.getNodeType(); // one virtual call instead of isMissingNode() and isNull()
            if (type == JsonNodeType.MISSING || type == JsonNodeType.NULL) {
                if (field.required()) {
                    problems.add(new DecodeProblem(ProblemKind.MISSING_REQUIRED, field.name, "resource '"
                            + field.name + "' is required but " + field.pointer + " is absent"));
                }
                continue;
            }
            values[i] = field.decode(node, problems);
            present += values[i] == null ? 0 : 1;
        }
        return new DecodedRecord(timestamp, valueMap(values, present));
    }

    /** The values by field index (null where absent) as the record's unmodifiable, ordered map. */
    private Map<String, Object> valueMap(Object[] values, int present) {
        if (fields.length <= FieldValues.MAX_NAMES) {
            return Collections.unmodifiableMap(new FieldValues(fieldNames, values, present));
        }
        Map<String, Object> map = new LinkedHashMap<>(present * 2);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                map.put(fieldNames[i], values[i]);
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private Instant timestamp(JsonNode node, Instant receivedAt, List<DecodeProblem> problems) {
        TimestampFormat format = timestampFormat;
        try {
            // The usual nodes by their exact class first (see FieldCodec.decode); same results as below.
            if (format == TimestampFormat.ISO8601 && node instanceof TextNode text) {
                return Json.parseIso(text.textValue());
            }
            if (format != TimestampFormat.ISO8601 && (node instanceof LongNode || node instanceof IntNode)) {
                Instant whole = wholeEpoch(node.longValue(), format);
                if (whole != null) {
                    return whole;
                }
            }
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
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                // JSON integers (the usual case) without BigDecimal; if the nanoseconds overflow, the exact path
                // below reports the problem.
                Instant whole = wholeEpoch(node.longValue(), format);
                if (whole != null) {
                    return whole;
                }
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

    /** The instant of a whole epoch number, or null if its nanoseconds do not fit a long. */
    private static Instant wholeEpoch(long number, TimestampFormat format) {
        long nanosPerUnit = switch (format) {
            case EPOCH_SECONDS -> 1_000_000_000L;
            case EPOCH_MILLIS -> 1_000_000L;
            default -> 1_000L;
        };
        if (number > Long.MAX_VALUE / nanosPerUnit || number < Long.MIN_VALUE / nanosPerUnit) {
            return null;
        }
        long totalNanos = number * nanosPerUnit;
        return Instant.ofEpochSecond(Math.floorDiv(totalNanos, 1_000_000_000L),
                Math.floorMod(totalNanos, 1_000_000_000L));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "not JSON";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
