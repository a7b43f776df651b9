package io.wareedge.server.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code wareedge.influx.*}: where telemetry and KPIs are copied for Grafana and long-term queries. InfluxDB is
 * optional: without {@code url} nothing is written and the server reports from its own store.
 *
 * @param url            the InfluxDB 1.x HTTP API (for example {@code http://localhost:8086}); absent: off
 * @param database       created when missing
 * @param batchSize      points per write
 * @param flushInterval  a partial batch is written after this long
 * @param bufferPoints   points held while InfluxDB is slow or away; beyond this the oldest are dropped (counted)
 * @param timeout        one write's limit
 * @param maxBackoff     the longest wait between retries of a failed write
 * @param telemetry      whether raw device readings are written (KPIs always are)
 * @param kpiInterval    how often each sorter's counts per minute are written (the last five minutes each time)
 */
@ConfigurationProperties("wareedge.influx")
public record InfluxSettings(@Nullable String url,
                             @Bindable(defaultValue = "wareedge") String database,
                             @Nullable String username,
                             @Nullable String password,
                             @Bindable(defaultValue = "5000") int batchSize,
                             @Bindable(defaultValue = "1s") Duration flushInterval,
                             @Bindable(defaultValue = "500000") int bufferPoints,
                             @Bindable(defaultValue = "10s") Duration timeout,
                             @Bindable(defaultValue = "30s") Duration maxBackoff,
                             @Bindable(defaultValue = "true") boolean telemetry,
                             @Bindable(defaultValue = "15s") Duration kpiInterval) {

    public InfluxSettings {
        if (url != null && !url.isBlank()) {
            Checks.httpUrl("wareedge.influx.url", url);
            url = url.trim();
        } else {
            url = null;
        }
        if (database == null || !database.matches("[A-Za-z0-9_]{1,64}")) {
            throw new InvalidConfigurationException("wareedge.influx.database", "must be 1-64 letters, digits or '_'", database);
        }
        Checks.atLeast("wareedge.influx.batch-size", batchSize, 1);
        flushInterval = Checks.positive("wareedge.influx.flush-interval", flushInterval, Duration.ofSeconds(1));
        Checks.atLeast("wareedge.influx.buffer-points", bufferPoints, batchSize);
        timeout = Checks.positive("wareedge.influx.timeout", timeout, Duration.ofSeconds(10));
        maxBackoff = Checks.positive("wareedge.influx.max-backoff", maxBackoff, Duration.ofSeconds(30));
        kpiInterval = Checks.positive("wareedge.influx.kpi-interval", kpiInterval, Duration.ofSeconds(15));
    }

    public boolean enabled() {
        return url != null;
    }
}
