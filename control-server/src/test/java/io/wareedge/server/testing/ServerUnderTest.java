package io.wareedge.server.testing;

import io.wareedge.embedded.Closing;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.server.ControlServer;

import java.nio.file.Path;
import java.util.Map;

/**
 * What most server tests start once per class: a real PostgreSQL, an embedded MQTT broker, a control server on both,
 * and an API client logged in as the administrator. Closing it closes them in reverse order.
 */
public final class ServerUnderTest implements AutoCloseable {
    private final TestPostgres postgres;
    private final EmbeddedMqttBroker broker;
    private final ControlServer server;
    private final ApiClient api;

    private ServerUnderTest(TestPostgres postgres, EmbeddedMqttBroker broker, ControlServer server, ApiClient api) {
        this.postgres = postgres;
        this.broker = broker;
        this.server = server;
        this.api = api;
    }

    /** Starts all four; the broker keeps its data under {@code dir}, the server gets {@code properties} on top. */
    public static ServerUnderTest start(Path dir, Map<String, Object> properties) throws Exception {
        TestPostgres postgres = TestPostgres.start();
        EmbeddedMqttBroker broker = null;
        ControlServer server = null;
        try {
            broker = EmbeddedMqttBroker.start(dir.resolve("broker"), 0);
            server = TestControlServers.start(broker.url(), postgres.server(), properties);
            return new ServerUnderTest(postgres, broker, server,
                    new ApiClient(server.url(), server.adminUser(), server.adminPassword()));
        } catch (Exception | Error e) {
            try {
                Closing.all(server, broker, postgres);
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    public TestPostgres postgres() {
        return postgres;
    }

    public EmbeddedMqttBroker broker() {
        return broker;
    }

    public ControlServer server() {
        return server;
    }

    public ApiClient api() {
        return api;
    }

    @Override
    public void close() throws Exception {
        Closing.all(api, server, broker, postgres);
    }
}
