package io.wareedge.server.influx;

import io.wareedge.server.registry.TelemetryListener;

/** The InfluxDB export, or nothing when {@code wareedge.influx.url} is not set. */
public final class InfluxExport implements AutoCloseable {
    private final InfluxExporter exporter;

    InfluxExport(InfluxExporter exporter) {
        this.exporter = exporter;
    }

    /** Where ingest hands each stored batch; does nothing when the export is off. */
    public TelemetryListener telemetryListener() {
        return exporter != null ? exporter : changes -> { };
    }

    public InfluxHealth health() {
        return exporter != null ? exporter.health() : InfluxHealth.disabled();
    }

    @Override
    public void close() {
        if (exporter != null) {
            exporter.close();
        }
    }
}
