package io.wareedge.server.api;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.wareedge.server.ingest.IngestHealth;
import io.wareedge.server.ingest.SparkplugHost;
import io.wareedge.server.registry.RegistryQueries;
import io.wareedge.server.registry.Views;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.util.List;

/** Health of the ingest pipeline and the dead letters it kept. */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "ingest")
class IngestController {
    private final SparkplugHost host;
    private final RegistryQueries queries;
    private final io.wareedge.server.influx.InfluxExport influx;

    IngestController(SparkplugHost host, RegistryQueries queries, io.wareedge.server.influx.InfluxExport influx) {
        this.host = host;
        this.queries = queries;
        this.influx = influx;
    }

    @Operation(summary = "The InfluxDB export: written, buffered, dropped (long outage), refused, failed attempts, breaker")
    @Get("/influx/health")
    io.wareedge.server.influx.InfluxHealth influxHealth() {
        return influx.health();
    }

    @Operation(summary = "Ingest counters: messages, readings stored, duplicates, rejects by kind, seq gaps, queue depth")
    @Get("/ingest/health")
    IngestHealth health() {
        return host.health();
    }

    @Operation(summary = "Most recent dead letters with their raw payload (base64, and text when printable)")
    @Get("/dead-letters{?limit}")
    List<Views.DeadLetterView> deadLetters(@QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit) {
        return queries.deadLetters(limit);
    }
}
