package io.wareedge.profiles;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
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
    /** Nanoseconds of the first, second, ... digit of a fraction of a second. */
    private static final int[] NANOS_PER_DIGIT =
            {100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

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
        Instant common = parseCommonIso(text);
        if (common != null) {
            return common;
        }
        TemporalAccessor t = ISO_PARSER.parse(text.trim());
        if (!t.isSupported(ChronoField.OFFSET_SECONDS)) {
            throw new DateTimeException("'" + text + "' has no UTC offset");
        }
        return OffsetDateTime.from(t).toInstant();
    }

    /**
     * The forms devices actually send, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|+-HH:MM|+-HHMM)} with in-range fields,
     * without the cost of the general formatter (a few microseconds); null for anything else (lower-case letters,
     * no seconds, 24:00, Feb 30, whitespace, ...), which the formatter then accepts or rejects as it always did.
     * Every text accepted here is one the formatter parses to the same instant.
     */
    static Instant parseCommonIso(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59
                || (day > 28 && day > Month.of(month).length(Year.isLeap(year)))) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int first = ++i;
            while (i < n && i - first < 9 && isDigit(s.charAt(i))) {
                nanos += (s.charAt(i) - '0') * NANOS_PER_DIGIT[i - first];
                i++;
            }
            if (i == first || (i < n && isDigit(s.charAt(i)))) {
                return null;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            int mm;
            if (n - i == 6 && s.charAt(i + 3) == ':') {
                mm = digits(s, i + 4, 2);
            } else if (n - i == 5) {
                mm = digits(s, i + 3, 2);
            } else {
                return null;
            }
            int hh = digits(s, i + 1, 2);
            // Offsets reach +-18:00; leave the edge to the formatter.
            if (hh < 0 || hh > 17 || mm < 0 || mm > 59) {
                return null;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
        } else {
            return null;
        }
        long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400
                + hour * 3600 + minute * 60 + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static String formatIso(Instant instant) {
        return ISO_WRITER.format(instant);
    }

    /** Text of a scalar node, null for missing, null or container nodes. */
    static String scalarText(JsonNode node) {
        if (node instanceof TextNode text) {
            return text.textValue(); // the usual case, without JsonNode's virtual calls
        }
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
