package io.wareedge.warehouse;

import io.wareedge.embedded.PostgresServer;
import io.wareedge.server.ControlServer;

import java.nio.file.Path;
import java.util.Map;

/** Starts a control server on a PostgreSQL server already running (tests and benchmarks bring their own). */
public final class ExternalDatabaseServer {
    private ExternalDatabaseServer() {
    }

    public static ControlServer start(PostgresServer pg, String mqttUrl, Path dataDir, String adminPassword) {
        return start(pg, mqttUrl, dataDir, adminPassword, Map.of());
    }

    /** @param extra more properties, for example {@code wareedge.influx.url} */
    public static ControlServer start(PostgresServer pg, String mqttUrl, Path dataDir, String adminPassword,
                                      Map<String, Object> extra) {
        Map<String, Object> p = new java.util.HashMap<>(Map.of(
                "micronaut.server.port", -1,
                "datasources.default.url", pg.jdbcUrl(),
                "datasources.default.username", pg.user(),
                "datasources.default.password", pg.password(),
                "wareedge.mqtt.url", mqttUrl,
                "wareedge.data-dir", dataDir.toString(),
                "wareedge.admin-password", adminPassword));
        p.putAll(extra);
        return ControlServer.start(p);
    }
}
