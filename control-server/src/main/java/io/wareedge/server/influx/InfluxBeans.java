package io.wareedge.server.influx;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.wareedge.server.config.InfluxSettings;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the InfluxDB export when {@code wareedge.influx.url} is set. */
@Factory
class InfluxBeans {

    @Context
    @Bean(preDestroy = "close")
    InfluxExport influxExport(InfluxSettings settings, io.wareedge.server.config.PickingSettings picking,
                              DataSource dataSource) throws SQLException {
        if (!settings.enabled()) {
            return new InfluxExport(null);
        }
        InfluxExporter exporter = exporter(settings, knownDevices(dataSource));
        KpiExport kpis = new KpiExport(dataSource, exporter, settings.kpiInterval(), picking.cycleTarget(),
                java.time.Clock.systemUTC());
        kpis.start();
        return new InfluxExport(exporter, kpis);
    }

    static InfluxExporter exporter(InfluxSettings settings, Map<String, InfluxExporter.DeviceTags> knownDevices) {
        long timeout = settings.timeout().toMillis();
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                .readTimeout(timeout, TimeUnit.MILLISECONDS)
                .writeTimeout(timeout, TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false);
        InfluxDB influx = settings.username() == null
                ? InfluxDBFactory.connect(settings.url(), http)
                : InfluxDBFactory.connect(settings.url(), settings.username(), settings.password(), http);
        InfluxExporter exporter = new InfluxExporter(settings, influx, knownDevices);
        exporter.start();
        return exporter;
    }

    /** Devices born before this start: their measurement (profile) and area. */
    private static Map<String, InfluxExporter.DeviceTags> knownDevices(DataSource dataSource) throws SQLException {
        Map<String, InfluxExporter.DeviceTags> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT n.group_id, n.node_id, d.device_id, d.profile, d.area
                     FROM devices d JOIN edge_nodes n ON n.id = d.edge_node_id WHERE d.device_id <> ''""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(InfluxExporter.key(rs.getString(1), rs.getString(2), rs.getString(3)),
                        new InfluxExporter.DeviceTags(InfluxExporter.measurement(rs.getString(4)), rs.getString(5)));
            }
        }
        return out;
    }
}
