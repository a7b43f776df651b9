package io.wareedge.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass scanner and its fast paths must give exactly what the Jackson tree way gives (records, value types,
 * problems and their wording), for good payloads and for every kind of broken one, including those the scanner
 * hands over to the tree.
 */
class ScannerEquivalenceTest {
    private static final String[] SAMPLES = {"generic-sorter-induction-multiread.json",
        "generic-sorter-induction-noread.json", "generic-sorter-status.json", "impinj-r700-status.json",
        "impinj-r700-tag.json", "impinj-speedway-connect-batch.json", "zebra-fx9600-heartbeat.json",
        "zebra-fx9600-tag.json", "zigbee2mqtt-temp-humidity.json"};
    /** Bytes that change JSON structure, numbers, strings or encoding when put anywhere. */
    private static final byte[] MUTATIONS = " \n\t\"\\,:{}[]01-.eE+xtn\u007f".getBytes(StandardCharsets.ISO_8859_1);

    private static List<JsonPayloadDecoder> decoders() {
        List<JsonPayloadDecoder> decoders = new ArrayList<>();
        for (DeviceProfile profile : ProfileLoader.loadBundled().all()) {
            for (MqttStream stream : profile.mqttStreams()) {
                decoders.add(JsonPayloadDecoder.forStream(profile, stream.name()));
            }
        }
        return decoders;
    }

    private static void assertSame(JsonPayloadDecoder decoder, byte[] payload) {
        DecodeResult fast = decoder.decode(payload, TestSupport.RECEIVED);
        DecodeResult tree = decoder.decodeAsTree(payload, TestSupport.RECEIVED);
        String what = decoder.profile().id() + "/" + decoder.stream().name() + ": "
                + new String(payload, StandardCharsets.ISO_8859_1);
        assertThat(fast).as(what).isEqualTo(tree);
        for (int i = 0; i < fast.records().size(); i++) {
            assertThat(List.copyOf(fast.records().get(i).values().keySet())).as(what)
                    .isEqualTo(List.copyOf(tree.records().get(i).values().keySet()));
        }
    }

    @Test
    void everySampleWithEveryDecoder() {
        for (JsonPayloadDecoder decoder : decoders()) {
            for (String sample : SAMPLES) {
                assertSame(decoder, TestSupport.payload(sample));
            }
        }
    }

    @Test
    void samplesWithOneByteReplacedDeletedOrDoubled() {
        for (JsonPayloadDecoder decoder : decoders()) {
            for (String sample : SAMPLES) {
                byte[] original = TestSupport.payload(sample);
                if (!sample.startsWith(decoder.profile().id())) {
                    continue;
                }
                for (int i = 0; i < original.length; i++) {
                    for (byte b : MUTATIONS) {
                        byte[] replaced = original.clone();
                        replaced[i] = b;
                        assertSame(decoder, replaced);
                    }
                    byte[] nonAscii = original.clone();
                    nonAscii[i] = (byte) 0xc3;
                    assertSame(decoder, nonAscii);
                    byte[] deleted = new byte[original.length - 1];
                    System.arraycopy(original, 0, deleted, 0, i);
                    System.arraycopy(original, i + 1, deleted, i, original.length - i - 1);
                    assertSame(decoder, deleted);
                    byte[] doubled = new byte[original.length + 1];
                    System.arraycopy(original, 0, doubled, 0, i + 1);
                    System.arraycopy(original, i, doubled, i + 1, original.length - i);
                    assertSame(decoder, doubled);
                    assertSame(decoder, java.util.Arrays.copyOf(original, i));
                }
            }
        }
    }

    @Test
    void handWrittenOddities() {
        String[] zigbee = {"{\"temperature\":1,\"temperature\":2}", "{\"temperature\":{\"a\":1},\"humidity\":[1]}",
            "{\"temperature\":\"21.5\",\"humidity\":\"4\\u0035\"}", "{\"temperature\":\"caf\u00e9\"}", "  {}  ",
            "{\"temperature\":null,\"battery\":false}", "{\"voltage\":1e3,\"humidity\":1E-1,\"battery\":-0}",
            "{\"voltage\":-0.0,\"humidity\":0.1,\"battery\":12345678901234567890}", "{\"linkquality\":2147483648}",
            "{\"linkquality\":9223372036854775807,\"battery\":9223372036854775808}", "{\"voltage\":1e400}",
            "{\"voltage\":123456789012345.6,\"humidity\":1234567890123456.7,\"battery\":0.000000000000001}",
            "{\"temperature\":01}", "{\"temperature\":1.}", "{\"temperature\":.5}", "{\"temperature\":+1}",
            "{\"temperature\":NaN}", "{\"temperature\":-}", "{\"temperature\":1,}", "{,}", "{\"a\":[1,]}", "null",
            "\"text\"", "42", "[]", "{\"x\":" + "[".repeat(70) + "]".repeat(70) + ",\"temperature\":3}",
            "\ufeff{\"temperature\":3}", "{\"temperature\":3}\u0000", "{\"temperature\":3} {}", "{'temperature':3}",
            "{\"temperature\":3 /* c */}", "{\"temperature\":\"\t\"}", "{\"tem\\u0070erature\":3}",
            "{\"linkquality\":120.0,\"battery\":true,\"humidity\":\"x\"}", "{\"temperature\":-40.00000000000001}"};
        String[] zebra = {"{\"type\":\"SIMPLE\",\"type\":\"heartbeat\",\"data\":{\"idHex\":\"e2\"}}",
            "{\"type\":\"SIMPLE\",\"data\":{\"idHex\":\"e2\"},\"data\":{\"idHex\":\"e3\"}}",
            "{\"type\":\"SIMPLE\",\"data\":5,\"timestamp\":\"2026-11-23T21:30:52.011+0000\"}",
            "{\"type\":true,\"data\":{\"idHex\":\"e2\"}}", "{\"type\":\"SIMPLE\",\"data\":{\"idHex\":[\"e2\"]}}",
            "{\"type\":\"SIMPLE\",\"timestamp\":5,\"data\":{\"idHex\":\"e2\"}}",
            "{\"type\":\"SIMPLE\",\"timestamp\":\"2026-02-30T21:30:52Z\",\"data\":{\"idHex\":\"e2\"}}",
            "{\"type\":\"SIMPLE\",\"timestamp\":\"2026-11-23t21:30:52.5z\",\"data\":{\"idHex\":\"\uff11\"}}",
            "{\"type\":\"SIMPLE\",\"timestamp\":\"2026-11-23T24:00:00Z\",\"data\":{\"idHex\":\"e2\"}}",
            "{\"type\":\"SIMPLE\",\"timestamp\":\"2026-11-23T21:30:52.0123456789Z\",\"data\":{\"idHex\":\"e2\"}}",
            "{\"type\":\"SIMPLE\",\"timestamp\":\"2026-11-23T21:30:52+18:00\",\"data\":{\"idHex\":\"e2\"}}",
            "{\"type\":\"SIMPLE\",\"timestamp\":\"2026-11-23T21:30:52-0530\",\"data\":{\"antenna\":9}}",
            "{\"type\":\"SIMPLE\",\"data\":{\"antenna\":1.0,\"peakRssi\":\"-40\",\"reads\":\"7\",\"eventNum\":-1}}"};
        String[] speedway = {"{\"tag_reads\":[]}", "{\"tag_reads\":{\"epc\":\"E2\",\"isHeartBeat\":false}}",
            "{\"tag_reads\":[1,\"x\",null,{\"epc\":\"E2\",\"isHeartBeat\":false}]}", "{\"tag_reads\":5}",
            "{\"tag_reads\":[],\"tag_reads\":[{\"epc\":\"E2\",\"isHeartBeat\":false}]}", "[{\"epc\":\"E2\"}]",
            "{\"tag_reads\":[{\"epc\":\"E2\",\"isHeartBeat\":\"false\",\"firstSeenTimestamp\":1.5e15}]}",
            "{\"tag_reads\":[{\"epc\":\"E2\",\"isHeartBeat\":false,\"firstSeenTimestamp\":9223372036854775807}]}",
            "{\"tag_reads\":[{\"epc\":\"E2\",\"isHeartBeat\":false,\"firstSeenTimestamp\":-1}]}",
            "{\"tag_reads\":[{\"epc\":\"E2\",\"isHeartBeat\":false,\"firstSeenTimestamp\":\" 17 \"}]}"};
        String[] sorter = {"{\"seq\":1,\"codes\":[],\"ts\":5}", "{\"seq\":1,\"codes\":[\"a\"],\"ts\":5}",
            "{\"seq\":1,\"codes\": [ \"a\" , \"b\" ] ,\"ts\":5}", "{\"seq\":1,\"codes\":[[\"a\"]],\"ts\":5}",
            "{\"seq\":1,\"codes\":[\"a\",{\"x\":1}],\"ts\":5}", "{\"seq\":1,\"codes\":[\"a\",1,null,true,-2.5],\"ts\":5}",
            "{\"seq\":1,\"codes\":[\"a\",],\"ts\":5}", "{\"seq\":1,\"codes\":[\"a\"\"b\"],\"ts\":5}",
            "{\"seq\":1,\"codes\":[\"a\",\"b\\u0063\"],\"ts\":5}", "{\"seq\":1,\"codes\":[\"a\"", "{\"seq\":1,\"codes\":[,]}",
            "{\"seq\":1,\"codes\":[\"a\",[],{}],\"ts\":5}", "{\"seq\":1,\"codes\":[\"caf\u00e9\"],\"ts\":5}"};
        check("zigbee2mqtt-temp-humidity", "state", zigbee);
        check("generic-sorter", "induction", sorter);
        check("zebra-fx9600", "tagData", zebra);
        check("impinj-speedway-connect", "tagReads", speedway);
    }

    private static void check(String profile, String stream, String[] payloads) {
        JsonPayloadDecoder decoder = JsonPayloadDecoder.forStream(ProfileLoader.loadBundled().require(profile),
                stream);
        for (String payload : payloads) {
            assertSame(decoder, payload.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void scannedNumbersAreTheNodesJacksonBuilds() throws Exception {
        List<String> numbers = new ArrayList<>(List.of("0", "-0", "0.0", "-0.0", "1e2", "1E+2", "1.5e-3", "2147483647",
                "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
                "-9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "0.1", "0.30000000000000004",
                "123456789012345.6", "1234567890123456.7", "999999999999999", "9999999999999999", "1e400", "4.9e-324",
                "3015", "21.4", "-54.12", "0.000000000000001"));
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            int digits = 1 + random.nextInt(17);
            StringBuilder sb = new StringBuilder(random.nextBoolean() ? "-" : "");
            sb.append(1 + random.nextInt(9));
            for (int d = 1; d < digits; d++) {
                sb.append(random.nextInt(10));
            }
            if (digits > 1 && random.nextBoolean()) {
                sb.insert(sb.length() - 1 - random.nextInt(digits - 1), '.'); // a digit on either side
            }
            numbers.add(sb.toString());
        }
        for (String number : numbers) {
            JsonNode expected = Json.MAPPER.readTree(number);
            JsonNode scanned = new PayloadScanner(number.getBytes(StandardCharsets.US_ASCII)).readValue();
            assertThat(scanned).as(number).isEqualTo(expected);
            assertThat(scanned.getClass()).as(number).isEqualTo(expected.getClass());
        }
    }

    @Test
    void commonIsoFormsParseAsTheFormatterDoes() {
        DateTimeFormatter formatter = new DateTimeFormatterBuilder().parseCaseInsensitive()
                .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
                .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
                .optionalStart().appendOffset("+HH", "Z").optionalEnd()
                .toFormatter();
        Random random = new Random(7);
        String[] offsets = {"Z", "+0000", "+00:00", "-00:00", "+0100", "-05:30", "+17:59", "+18:00", "-1800", "+1",
            "+01", "z", "+0160", ""};
        int fast = 0;
        for (int i = 0; i < 50_000; i++) {
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(26), random.nextInt(61), random.nextInt(62));
            int fraction = random.nextInt(12);
            if (fraction > 0) {
                text += "." + String.valueOf(Math.abs(random.nextLong())).substring(0, Math.min(fraction, 18));
            }
            text += offsets[random.nextInt(offsets.length)];
            Instant common = Json.parseCommonIso(text);
            if (common == null) {
                continue;
            }
            fast++;
            TemporalAccessor parsed;
            try {
                parsed = formatter.parse(text);
            } catch (DateTimeException e) {
                throw new AssertionError(text + " is accepted by the fast path only", e);
            }
            assertThat(parsed.isSupported(ChronoField.OFFSET_SECONDS)).as(text).isTrue();
            assertThat(common).as(text).isEqualTo(OffsetDateTime.from(parsed).toInstant());
        }
        assertThat(fast).isGreaterThan(5_000);
    }
}
