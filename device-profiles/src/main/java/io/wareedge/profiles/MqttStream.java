package io.wareedge.profiles;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One incoming JSON message stream of a device model.
 *
 * @param name            referenced by resources ({@code mqtt.stream})
 * @param topic           the topic the device publishes on, e.g. {@code sorters/{device}/induction}
 * @param records         JSON pointer to the record(s): an array means one record per element; "" = whole payload
 * @param batch           whether a producer wraps records in an array at {@code records} (default: records != "")
 * @param where           records that do not match are skipped (heartbeats)
 * @param timestamp       where the record's time is; absent means the receive time is used
 * @param maxPayloadBytes bigger payloads are rejected as OVERSIZED
 * @param envelope        constant top-level fields a producer adds (e.g. reader_name); ignored when decoding
 */
public record MqttStream(String name, TopicTemplate topic, String records, boolean batch,
                         Optional<RecordFilter> where, Optional<TimestampField> timestamp, int maxPayloadBytes,
                         Map<String, Object> envelope) {

    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 262_144;

    public MqttStream {
        Checks.name("stream", name);
        Checks.notNull("stream topic", topic);
        Checks.pointer("records pointer", records);
        if (batch && records.isEmpty()) {
            throw new IllegalArgumentException("batch: true needs a records pointer to the array, e.g. /tag_reads");
        }
        where = where == null ? Optional.empty() : where;
        timestamp = timestamp == null ? Optional.empty() : timestamp;
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive, got " + maxPayloadBytes);
        }
        envelope = envelope == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(envelope));
    }

    /** A stream with default limits and no filter, timestamp or envelope. */
    public MqttStream(String name, TopicTemplate topic, String records) {
        this(name, topic, records, !records.isEmpty(), Optional.empty(), Optional.empty(), DEFAULT_MAX_PAYLOAD_BYTES,
                Map.of());
    }
}
