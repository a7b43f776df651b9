package io.wareedge.profiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A strict one-pass reader of the plain JSON devices send: ASCII only, strings without escapes, at most
 * {@link #MAX_DEPTH} levels. It builds nothing for the values nobody asked for, and for those asked for it builds
 * the node Jackson's tree reader would build ({@link #readValue}).
 *
 * <p>It exists because Jackson's streaming parser alone costs more than the decode budget allows (it canonicalizes
 * every name and buffers every number). It does not try to be a complete JSON parser: whatever is outside the plain
 * subset, or not JSON at all, makes it throw {@link NotPlain}, and the decoder then reads the payload with Jackson,
 * which accepts or rejects it and words the problem. So everything accepted here must be JSON that Jackson accepts
 * with the same values (RFC 8259 grammar, which is what Jackson's default settings implement); being stricter than
 * Jackson is merely slower.
 */
final class PayloadScanner {
    /** Far below Jackson's nesting limit (1000), so deep documents are judged by Jackson. */
    static final int MAX_DEPTH = 64;
    /** Far below Jackson's limit (1000 characters). */
    private static final int MAX_NUMBER_LENGTH = 100;
    /** 10^0 .. 10^15, all exact doubles. */
    private static final double[] POWERS_OF_TEN = new double[16];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    /** Bytes a plain string consists of: printable ASCII except the quote and the backslash. */
    private static final boolean[] PLAIN_IN_STRING = new boolean[256];

    static {
        for (int c = ' '; c < 0x7f; c++) {
            PLAIN_IN_STRING[c] = c != '"' && c != '\\';
        }
    }

    /** Reads 8 bytes at once, for the string and name loops. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final byte[] in;
    private int pos;
    private int depth;
    /** The last member name read by {@link #name()}: {@code in[nameStart, nameEnd)}. */
    int nameStart;
    int nameEnd;

    PayloadScanner(byte[] in) {
        this.in = in;
    }

    /** Outside the plain subset (or not JSON): the payload has to be read by Jackson. */
    static final class NotPlain extends Exception {
        static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super("not plain JSON", null, false, false); // a signal, not an error: no stack trace
        }
    }

    /** The next byte after whitespace, not consumed; -1 at the end. */
    int peek() {
        // Hot loops work on a local copy of pos: the JIT keeps it in a register.
        byte[] in = this.in;
        int i = pos;
        while (i < in.length) {
            byte c = in[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                pos = i;
                return c;
            }
            i++;
        }
        pos = i;
        return -1;
    }

    /** Requires that only whitespace is left (Jackson's trailing-token check). */
    void expectEnd() throws NotPlain {
        if (peek() != -1) {
            throw NotPlain.INSTANCE;
        }
    }

    /** Consumes '{'; false (with '}' consumed too) when the object is empty. Members: {@link #name()}. */
    boolean enterObject() throws NotPlain {
        return enter('{', '}');
    }

    /** Consumes '['; false (with ']' consumed too) when the array is empty. */
    boolean enterArray() throws NotPlain {
        return enter('[', ']');
    }

    private boolean enter(char open, char close) throws NotPlain {
        if (peek() != open || ++depth > MAX_DEPTH) {
            throw NotPlain.INSTANCE;
        }
        pos++;
        if (peek() == close) {
            pos++;
            depth--;
            return false;
        }
        return true;
    }

    /** Reads a member name (into nameStart/nameEnd) and its colon. */
    void name() throws NotPlain {
        if (peek() != '"') {
            throw NotPlain.INSTANCE;
        }
        string();
        nameStart = stringStart;
        nameEnd = pos - 1;
        if (peek() != ':') {
            throw NotPlain.INSTANCE;
        }
        pos++;
    }

    /** Whether the member name just read equals {@code name}. */
    boolean nameIs(byte[] name) {
        // Length and first byte reject almost every other name; names are too short for Arrays.equals to pay off.
        int length = name.length;
        if (nameEnd - nameStart != length || (length > 0 && in[nameStart] != name[0])) {
            return false;
        }
        int i = 1;
        for (; i + 8 <= length; i += 8) {
            if ((long) LONGS.get(in, nameStart + i) != (long) LONGS.get(name, i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (in[nameStart + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    /** After a member: true if another follows (comma consumed), false at the end of the object ('}' consumed). */
    boolean moreMembers() throws NotPlain {
        return more('}');
    }

    /** After an element: true if another follows (comma consumed), false at the end of the array (']' consumed). */
    boolean moreElements() throws NotPlain {
        return more(']');
    }

    private boolean more(char close) throws NotPlain {
        int c = peek();
        pos++;
        if (c == ',') {
            return true;
        }
        if (c == close) {
            depth--;
            return false;
        }
        throw NotPlain.INSTANCE;
    }

    /** Skips one value, checking its syntax. */
    void skipValue() throws NotPlain {
        int c = peek();
        switch (c) {
            case '{' -> {
                if (enterObject()) {
                    do {
                        name();
                        skipValue();
                    } while (moreMembers());
                }
            }
            case '[' -> {
                if (enterArray()) {
                    do {
                        skipValue();
                    } while (moreElements());
                }
            }
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    /**
     * Reads one value as the node Jackson's tree reader builds for it (same class, same value). Scalars are built
     * here, and so is an array of scalars; an object, or an array holding one, is skipped and its bytes are handed
     * to Jackson.
     */
    JsonNode readValue() throws NotPlain {
        int c = peek();
        int start = pos;
        switch (c) {
            case '"' -> {
                string();
                // Plain strings are ASCII, where ISO-8859-1 and UTF-8 agree (and Latin-1 is the cheapest decoder).
                return Json.NODES.textNode(new String(in, stringStart, pos - 1 - stringStart,
                        StandardCharsets.ISO_8859_1));
            }
            case 't' -> {
                literal("true");
                return Json.NODES.booleanNode(true);
            }
            case 'f' -> {
                literal("false");
                return Json.NODES.booleanNode(false);
            }
            case 'n' -> {
                literal("null");
                return Json.NODES.nullNode();
            }
            case '[' -> {
                // An array of scalars (a multi-read's codes, for one) is built here: handing it to Jackson cost a
                // parser per payload. One with an object or array inside goes to Jackson whole.
                int outerDepth = depth;
                ArrayNode array = Json.NODES.arrayNode();
                if (enterArray()) {
                    do {
                        int e = peek();
                        if (e == '{' || e == '[') {
                            pos = start;
                            depth = outerDepth;
                            return readContainerWithJackson(start);
                        }
                        array.add(readValue());
                    } while (moreElements());
                }
                return array;
            }
            case '{' -> {
                return readContainerWithJackson(start);
            }
            default -> {
                return numberNode(start, number());
            }
        }
    }

    private JsonNode readContainerWithJackson(int start) throws NotPlain {
        skipValue();
        try {
            return Json.MAPPER.readTree(in, start, pos - start);
        } catch (IOException e) {
            throw NotPlain.INSTANCE;
        }
    }

    private int stringStart;

    /** Consumes a string without escapes, control characters or non-ASCII bytes; stringStart is its first byte. */
    private void string() throws NotPlain {
        byte[] in = this.in;
        int i = pos + 1;
        stringStart = i;
        while (i + 8 <= in.length && allPlain((long) LONGS.get(in, i))) {
            i += 8;
        }
        while (i < in.length && PLAIN_IN_STRING[in[i] & 0xff]) {
            i++;
        }
        if (i == in.length || in[i] != '"') {
            throw NotPlain.INSTANCE; // unterminated, or an escape, control character or non-ASCII byte
        }
        pos = i + 1;
    }

    /**
     * Whether all 8 bytes of {@code x} are plain string bytes, with the usual bit tricks: a byte's high bit ends up
     * set where it is non-ASCII, below ' ' (hasless), or equal to '"', '\\' or DEL (haszero of the XOR). Exact when
     * it says yes; a no may be wrong only if some byte really is not plain, and then the byte loop decides.
     */
    private static boolean allPlain(long x) {
        long special = x & HIGH_BITS
                | ((x - ONES * ' ') & ~x)
                | zeroByte(x ^ (ONES * '"'))
                | zeroByte(x ^ (ONES * '\\'))
                | zeroByte(x ^ (ONES * 0x7f));
        return (special & HIGH_BITS) == 0;
    }

    /** High bit set in some byte iff {@code v} has a zero byte. */
    private static long zeroByte(long v) {
        return (v - ONES) & ~v;
    }

    private void literal(String word) throws NotPlain {
        if (in.length - pos < word.length()) {
            throw NotPlain.INSTANCE;
        }
        for (int i = 0; i < word.length(); i++) {
            if (in[pos + i] != word.charAt(i)) {
                throw NotPlain.INSTANCE;
            }
        }
        pos += word.length();
    }

    /**
     * Consumes a number of the JSON grammar {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}.
     *
     * @return whether it is an integer (no fraction, no exponent)
     */
    private boolean number() throws NotPlain {
        int start = pos;
        if (pos < in.length && in[pos] == '-') {
            pos++;
        }
        if (pos < in.length && in[pos] == '0') {
            pos++; // no leading zeros: "01" is not JSON
        } else if (digits() == 0) {
            throw NotPlain.INSTANCE;
        }
        boolean integer = true;
        if (pos < in.length && in[pos] == '.') {
            pos++;
            integer = false;
            if (digits() == 0) {
                throw NotPlain.INSTANCE;
            }
        }
        if (pos < in.length && (in[pos] == 'e' || in[pos] == 'E')) {
            pos++;
            integer = false;
            if (pos < in.length && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            if (digits() == 0) {
                throw NotPlain.INSTANCE;
            }
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            throw NotPlain.INSTANCE;
        }
        return integer;
    }

    private int digits() {
        byte[] in = this.in;
        int i = pos;
        while (i < in.length && in[i] >= '0' && in[i] <= '9') {
            i++;
        }
        int count = i - pos;
        pos = i;
        return count;
    }

    /**
     * The value of the number from {@code start} to pos if it is a plain decimal such as -54.12 with at most 15
     * digits, else NaN. Then the digits as a whole number and the power of ten are both exact doubles, so their
     * quotient is the correctly rounded value, the same double Double.parseDouble returns (and its own fast path).
     */
    private double simpleDecimal(int start) {
        boolean negative = in[start] == '-';
        long digits = 0;
        int count = 0;
        int fraction = -1;
        for (int i = negative ? start + 1 : start; i < pos; i++) {
            byte c = in[i];
            if (c == '.') {
                fraction = 0;
            } else if (c >= '0' && c <= '9') {
                digits = digits * 10 + (c - '0');
                count++;
                if (fraction >= 0) {
                    fraction++; // digits after the point
                }
            } else {
                return Double.NaN; // an exponent
            }
        }
        if (count > 15) {
            return Double.NaN;
        }
        double value = digits / POWERS_OF_TEN[Math.max(fraction, 0)];
        return negative ? -value : value;
    }

    /**
     * The node of the number just consumed from {@code start}, as Jackson builds it: IntNode if an integer fits an
     * int, else LongNode if it fits a long, else BigIntegerNode; DoubleNode (via Double.parseDouble) otherwise.
     */
    private JsonNode numberNode(int start, boolean integer) {
        int length = pos - start;
        boolean negative = in[start] == '-';
        if (integer && length - (negative ? 1 : 0) <= 18) {
            long value = 0;
            for (int i = negative ? start + 1 : start; i < pos; i++) {
                value = value * 10 + (in[i] - '0');
            }
            value = negative ? -value : value;
            return value == (int) value ? Json.NODES.numberNode((int) value) : Json.NODES.numberNode(value);
        }
        if (!integer) {
            double simple = simpleDecimal(start);
            if (!Double.isNaN(simple)) {
                return Json.NODES.numberNode(simple);
            }
        }
        String text = new String(in, start, length, StandardCharsets.ISO_8859_1);
        if (integer) {
            BigInteger value = new BigInteger(text);
            return value.bitLength() < 64 ? Json.NODES.numberNode(value.longValue()) : Json.NODES.numberNode(value);
        }
        return Json.NODES.numberNode(Double.parseDouble(text));
    }
}
