package io.wareedge.profiles;

import java.time.Instant;
import java.util.Map;

/**
 * One decoded record: its time (from the payload, or the receive time) and the normalized values of the
 * resources present, keyed by resource name in declaration order.
 */
public record DecodedRecord(Instant timestamp, Map<String, Object> values) {
    public DecodedRecord {
        Checks.notNull("timestamp", timestamp);
        Checks.notNull("values", values);
    }

    public Object value(String resource) {
        return values.get(resource);
    }
}
