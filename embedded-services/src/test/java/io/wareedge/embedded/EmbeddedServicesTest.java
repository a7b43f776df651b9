package io.wareedge.embedded;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedServicesTest {

    @TempDir
    Path dir;

    @Test
    void embeddedBrokerAcceptsMqtt5AndRestartsOnTheSamePort() throws Exception {
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dir.resolve("hivemq"), 0)) {
            assertConnects(broker.url());
            broker.stop();
            broker.start();
            assertConnects(broker.url());
        }
    }

    @Test
    void mosquittoRunsOnAFreeLoopbackPort() throws Exception {
        Assumptions.assumeTrue(MosquittoBroker.isInstalled() || isCi(), "mosquitto not installed");
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("mosquitto"))) {
            assertConnects(broker.url());
        }
    }

    @Test
    void postgresAnswersQueries() throws Exception {
        Path data = Files.createTempDirectory("wareedge-pg-test");
        try (PostgresServer pg = PostgresServer.startAny(data);
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery("select version()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("PostgreSQL");
        }
    }

    static boolean isCi() {
        return System.getenv("CI") != null;
    }

    private static void assertConnects(String url) throws Exception {
        MqttClient client = new MqttClient(url, "probe-" + System.nanoTime(), new MemoryPersistence());
        client.connect();
        assertThat(client.isConnected()).isTrue();
        client.disconnect();
        client.close();
    }
}
