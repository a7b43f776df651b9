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
        return ControlServer.start(Map.of(
                "micronaut.server.port", -1,
                "datasources.default.url", pg.jdbcUrl(),
                "datasources.default.username", pg.user(),
                "datasources.default.password", pg.password(),
                "wareedge.mqtt.url", mqttUrl,
                "wareedge.data-dir", dataDir.toString(),
                "wareedge.admin-password", adminPassword));
    }
}
