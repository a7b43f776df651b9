package io.wareedge.embedded;

import com.hivemq.embedded.EmbeddedHiveMQ;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HiveMQ Community Edition running inside this JVM on a loopback port: MQTT 3.1.1 and 5, shared subscriptions,
 * persistent sessions. Can be stopped and started again on the same port to imitate a broker outage.
 */
public final class EmbeddedMqttBroker implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 60;

    private final Path workDir;
    private final int port;
    private final String bindAddress;
    private EmbeddedHiveMQ hivemq;

    private EmbeddedMqttBroker(Path workDir, int port, String bindAddress) {
        this.workDir = workDir;
        this.port = port;
        this.bindAddress = bindAddress;
    }

    /** Starts a broker on 127.0.0.1; port 0 picks a free one. */
    public static EmbeddedMqttBroker start(Path workDir, int port) {
        return start(workDir, port, "127.0.0.1");
    }

    public static EmbeddedMqttBroker start(Path workDir, int port, String bindAddress) {
        EmbeddedMqttBroker broker = new EmbeddedMqttBroker(workDir, port == 0 ? FreePorts.pick() : port, bindAddress);
        broker.start();
        return broker;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://" + ("0.0.0.0".equals(bindAddress) ? "127.0.0.1" : bindAddress) + ":" + port;
    }

    public synchronized boolean isRunning() {
        return hivemq != null;
    }

    /** Starts the broker again after {@link #stop()}, on the same port. */
    public synchronized void start() {
        if (hivemq != null) {
            return;
        }
        try {
            Path conf = Files.createDirectories(workDir.resolve("conf"));
            Files.createDirectories(workDir.resolve("data"));
            Files.createDirectories(workDir.resolve("extensions"));
            Files.writeString(conf.resolve("config.xml"), config(), StandardCharsets.UTF_8);
            EmbeddedHiveMQ candidate = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(workDir.resolve("data"))
                    .withExtensionsFolder(workDir.resolve("extensions"))
                    // The host application owns logging; HiveMQ would otherwise replace its configuration.
                    .withoutLoggingBootstrap()
                    .build();
            // start().join() never returns when start fails; a bounded wait turns that into an error.
            candidate.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            hivemq = candidate;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the MQTT broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("MQTT broker did not start on port " + port, e);
        }
    }

    /** Stops the broker; clients see the connection drop. */
    public synchronized void stop() {
        if (hivemq == null) {
            return;
        }
        try {
            hivemq.stop().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("MQTT broker did not stop", e);
        } finally {
            hivemq = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private String config() {
        // File persistence: a broker restart keeps sessions and queued QoS 1 messages, as a production broker does;
        // queues are large so a consumer that is away for a while (an agent being restarted) finds every message;
        // a receive maximum of 1000 (HiveMQ's default is 10) lets a publisher keep enough QoS 1 messages in flight.
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                    </tcp-listener>
                  </listeners>
                  <mqtt>
                    <queued-messages>
                      <max-queue-size>1000000</max-queue-size>
                    </queued-messages>
                    <receive-maximum>
                      <server-receive-maximum>1000</server-receive-maximum>
                    </receive-maximum>
                  </mqtt>
                  <persistence>
                    <mode>file</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, bindAddress);
    }
}
