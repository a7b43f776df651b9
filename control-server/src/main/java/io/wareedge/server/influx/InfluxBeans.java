package io.wareedge.server.influx;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.wareedge.server.config.InfluxSettings;
import okhttp3.OkHttpClient;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;

import io.wareedge.server.registry.RegistryQueries;
import io.wareedge.server.registry.Views;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts the InfluxDB export when {@code wareedge.influx.url} is set. */
@Factory
class InfluxBeans {

    @Context
    @Bean(preDestroy = "close")
    InfluxExport influxExport(InfluxSettings settings, io.wareedge.server.config.PickingSettings picking,
                              DataSource dataSource, RegistryQueries registry) {
        if (!settings.enabled()) {
            return new InfluxExport(null);
        }
        InfluxExporter exporter = exporter(settings, knownDevices(registry));
        KpiExport kpis = new KpiExport(dataSource, exporter, settings.kpiInterval(), picking.cycleTarget(),
                java.time.Clock.systemUTC());
        kpis.start();
        return new InfluxExport(exporter, kpis);
    }

    static InfluxExporter exporter(InfluxSettings settings, Map<String, String> knownDevices) {
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

    /** Devices born before this start: their series keys (measurement from the profile, tags with the area). */
    private static Map<String, String> knownDevices(RegistryQueries registry) {
        Map<String, String> out = new HashMap<>();
        for (Views.DeviceView d : registry.devices(null, null, null)) {
            out.put(InfluxExporter.key(d.group(), d.node(), d.device()),
                    InfluxExporter.seriesKey(d.profile(), d.group(), d.node(), d.device(), d.area()));
        }
        return out;
    }
}
