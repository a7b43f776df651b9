package io.wareedge.server.influx;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The InfluxDB export since start.
 *
 * @param buffered     points waiting to be written (bounded by {@code wareedge.influx.buffer-points})
 * @param dropped      points lost because the buffer was full during a long outage (oldest first)
 * @param rejected     points in batches InfluxDB refused for good (a 4xx answer)
 * @param failedWrites write attempts that failed and were retried
 * @param breaker      the circuit breaker's state: CLOSED (writing), OPEN (pausing), HALF_OPEN (trying)
 */
@Serdeable
public record InfluxHealth(boolean enabled, @Nullable String url, @Nullable String database, int buffered,
                           long written, long dropped, long rejected, long failedWrites, @Nullable String breaker,
                           @Nullable String lastError) {

    static InfluxHealth disabled() {
        return new InfluxHealth(false, null, null, 0, 0, 0, 0, 0, null, null);
    }
}
