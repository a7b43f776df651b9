package io.wareedge.server.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code wareedge.ingest.*}: limits of the inbound pipeline.
 *
 * @param maxPayloadBytes larger messages are dead-lettered (kind OVERSIZED), not decoded
 * @param queueCapacity   messages held between the MQTT callback and the ingest thread; when full the callback
 *                        blocks, which stops reading from the broker (back-pressure instead of memory growth)
 * @param batchSize       most messages written in one database transaction
 * @param readingsRetention readings are kept at least this long (by their timestamp) and at most a day longer: they
 *                        are stored in one partition per UTC day, dropped whole; at least {@code 1d}
 */
@ConfigurationProperties("wareedge.ingest")
public record IngestSettings(@Bindable(defaultValue = "1048576") int maxPayloadBytes,
                             @Bindable(defaultValue = "20000") int queueCapacity,
                             @Bindable(defaultValue = "2000") int batchSize,
                             @Bindable(defaultValue = "7d") Duration readingsRetention) {

    public IngestSettings {
        Checks.atLeast("wareedge.ingest.max-payload-bytes", maxPayloadBytes, 64);
        Checks.atLeast("wareedge.ingest.queue-capacity", queueCapacity, 1);
        Checks.atLeast("wareedge.ingest.batch-size", batchSize, 1);
        readingsRetention = Checks.atLeast("wareedge.ingest.readings-retention", readingsRetention,
                Duration.ofDays(1), "1d", Duration.ofDays(7));
    }
}
