package io.wareedge.profiles;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/** The shared JSON machinery of decoder and encoder (one ObjectMapper: it is thread-safe and costly to build). */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** ISO-8601 with the offset as Z, +01:00 or +0100 (Zebra readers write +0000). */
    private static final DateTimeFormatter ISO_PARSER = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter ISO_WRITER =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private Json() {
    }

    static Instant parseIso(String text) {
        TemporalAccessor t = ISO_PARSER.parse(text.trim());
        if (!t.isSupported(ChronoField.OFFSET_SECONDS)) {
            throw new DateTimeException("'" + text + "' has no UTC offset");
        }
        return OffsetDateTime.from(t).toInstant();
    }

    static String formatIso(Instant instant) {
        return ISO_WRITER.format(instant);
    }

    /** Text of a scalar node, null for missing, null or container nodes. */
    static String scalarText(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() || node.isContainerNode() ? null : node.asText();
    }

    /** Sets {@code value} at {@code pointer} below {@code root}, creating objects on the way. */
    static void put(ObjectNode root, JsonPointer pointer, JsonNode value) {
        ObjectNode current = root;
        JsonPointer p = pointer;
        while (!p.tail().matches()) {
            String property = p.getMatchingProperty();
            JsonNode next = current.get(property);
            if (next == null) {
                next = current.putObject(property);
            } else if (!next.isObject()) {
                throw new IllegalArgumentException("cannot write " + pointer + ": '" + property
                        + "' already holds a non-object value");
            }
            current = (ObjectNode) next;
            p = p.tail();
        }
        current.set(p.getMatchingProperty(), value);
    }
}
