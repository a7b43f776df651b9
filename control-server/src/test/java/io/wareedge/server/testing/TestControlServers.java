package io.wareedge.server.testing;

import io.wareedge.embedded.PostgresServer;
import io.wareedge.server.ControlServer;

import java.util.HashMap;
import java.util.Map;

/** Starts a {@link ControlServer} for tests against a given broker and PostgreSQL, on a free port. */
public final class TestControlServers {
    public static final String ADMIN_PASSWORD = "test-admin-password";

    private TestControlServers() {
    }

    public static ControlServer start(String brokerUrl, PostgresServer postgres, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.server.port", -1);
        p.put("wareedge.mqtt.url", brokerUrl);
        p.put("wareedge.mqtt.host-id", "test-host");
        p.put("wareedge.admin-password", ADMIN_PASSWORD);
        p.put("datasources.default.url", postgres.jdbcUrl());
        p.put("datasources.default.username", postgres.user());
        p.put("datasources.default.password", postgres.password());
        p.put("wareedge.registry.rebirth-interval", "1s");
        p.putAll(extra);
        ControlServer server = ControlServer.start(p);
        // The host subscribes and publishes its STATE after it connects: an edge node that births before that is
        // not heard (until its next message makes the host ask for a rebirth), so tests start once the host is online.
        io.wareedge.server.ingest.SparkplugHost host = server.service(io.wareedge.server.ingest.SparkplugHost.class);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(20)).until(() -> host.health().connected());
        return server;
    }

    /** Drops and recreates the public schema, so a test class starts from an empty database. */
    public static void resetDatabase(PostgresServer postgres) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             var s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        }
    }
}
