package io.wareedge.server.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code wareedge.ingest.*}: limits of the inbound pipeline.
 *
 * @param maxPayloadBytes larger messages are dead-lettered (kind OVERSIZED), not decoded
 * @param queueCapacity   messages held between the MQTT callback and the ingest thread; when full the callback
 *                        blocks, which stops reading from the broker (back-pressure instead of memory growth)
 * @param batchSize       most messages written in one database transaction
 */
@ConfigurationProperties("wareedge.ingest")
public record IngestSettings(@Bindable(defaultValue = "1048576") int maxPayloadBytes,
                             @Bindable(defaultValue = "20000") int queueCapacity,
                             @Bindable(defaultValue = "2000") int batchSize) {

    public IngestSettings {
        Checks.atLeast("wareedge.ingest.max-payload-bytes", maxPayloadBytes, 64);
        Checks.atLeast("wareedge.ingest.queue-capacity", queueCapacity, 1);
        Checks.atLeast("wareedge.ingest.batch-size", batchSize, 1);
    }
}
