package io.wareedge.server.influx;

import io.wareedge.server.registry.TelemetryListener;

/** The InfluxDB export, or nothing when {@code wareedge.influx.url} is not set. */
public final class InfluxExport implements AutoCloseable {
    private final InfluxExporter exporter;
    private final AutoCloseable kpis;

    InfluxExport(InfluxExporter exporter) {
        this(exporter, null);
    }

    InfluxExport(InfluxExporter exporter, AutoCloseable kpis) {
        this.exporter = exporter;
        this.kpis = kpis;
    }

    /** Where ingest hands each stored batch; does nothing when the export is off. */
    public TelemetryListener telemetryListener() {
        return exporter != null ? exporter : changes -> { };
    }

    /** Adds points (KPIs, or a benchmark's load) to the export's buffer; never blocks. */
    public void offer(java.util.List<org.influxdb.dto.Point> points) {
        if (exporter != null) {
            exporter.offer(points);
        }
    }

    /** Adds readings the way ingest hands over a stored batch (a benchmark's load); never blocks. */
    public void offerSamples(java.util.List<io.wareedge.server.registry.Sample> samples) {
        if (exporter != null) {
            exporter.offerSamples(samples);
        }
    }

    /** An export on its own, outside a control server (benchmarks). */
    public static InfluxExport connect(io.wareedge.server.config.InfluxSettings settings) {
        return new InfluxExport(InfluxBeans.exporter(settings, java.util.Map.of()));
    }

    public InfluxHealth health() {
        return exporter != null ? exporter.health() : InfluxHealth.disabled();
    }

    @Override
    public void close() {
        if (kpis != null) {
            try {
                kpis.close();
            } catch (Exception e) {
                // a scheduler's shutdown does not fail
            }
        }
        if (exporter != null) {
            exporter.close();
        }
    }
}
