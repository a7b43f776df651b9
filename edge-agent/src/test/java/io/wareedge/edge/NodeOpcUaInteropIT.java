package io.wareedge.edge;

import io.wareedge.edge.config.AgentConfigLoader;
import io.wareedge.edge.driver.OpcUaDeviceDriver;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.sparkplug.Metric;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OPC UA driver against a server that is not Milo: node-opcua 2.182.2 on Node 20, exposing a conveyor-shaped
 * address space. The agent reads it through the same conveyor profile and writes its commands. node-opcua comes
 * from {@code .ci/node-opcua} (installed by {@code .ci/run}; elsewhere {@code -Dwareedge.node-opcua=<dir>}).
 */
class NodeOpcUaInteropIT {
    @TempDir
    Path dir;

    private static Path nodeModules() {
        String configured = System.getProperty("wareedge.node-opcua");
        Path base = configured != null ? Path.of(configured) : Path.of("..", ".ci", "node-opcua");
        return base.resolve("node_modules").toAbsolutePath().normalize();
    }

    /** Sparkplug carries the profile's float resources as 32-bit floats. */
    private static boolean near(Object value, double expected) {
        return value instanceof Number n && Math.abs(n.doubleValue() - expected) < 1e-6;
    }

    @Test
    void aNodeOpcUaServerIsReadAndWrittenThroughTheConveyorProfile() throws Exception {
        Path modules = nodeModules();
        boolean available = Files.isDirectory(modules.resolve("node-opcua"));
        Assumptions.assumeTrue(available || System.getenv("CI") != null,
                "node-opcua not installed in " + modules + " (npm install --prefix .ci/node-opcua node-opcua@2.182.2)");
        assertThat(available).as("node-opcua in " + modules).isTrue();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path script = Path.of(getClass().getResource("/node-opcua/conveyor-server.js").toURI());
        ProcessBuilder pb = new ProcessBuilder("node", script.toString(), Integer.toString(port)).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", modules.toString());
        Process node = pb.start();
        try {
            CompletableFuture<String> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("READY ")) {
                            ready.complete(line.substring(6).trim());
                        }
                    }
                } catch (java.io.IOException e) {
                    ready.completeExceptionally(e);
                }
            }, "node-opcua-output");
            reader.setDaemon(true);
            reader.start();
            String endpoint = ready.get(60, TimeUnit.SECONDS);

            try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(dir.resolve("hivemq"), 0);
                 SparkplugObserver host = new SparkplugObserver(broker.url());
                 EdgeAgent agent = EdgeAgent.start(AgentConfigLoader.parse("""
                         site: dc-test
                         agentId: gw-interop
                         dataDir: agent
                         uplink: { url: %s, initialBackoff: 100ms, maxBackoff: 1s }
                         opcuaServers:
                           - { name: node-plc, endpoint: %s }
                         devices:
                           - { name: seg-1, profile: conveyor-plc-opcua, server: node-plc, address: { line: "1", segment: "1" } }
                         """.formatted(broker.url(), endpoint), dir))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    List<Metric> running = host.metrics("seg-1", "running");
                    List<Metric> speed = host.metrics("seg-1", "speed");
                    return !running.isEmpty() && Boolean.TRUE.equals(running.get(running.size() - 1).value())
                            && !speed.isEmpty() && near(speed.get(speed.size() - 1).value(), 1.2);
                });
                OpcUaDeviceDriver driver = agent.opcuaDrivers().get(0);
                assertThat(driver.command("seg-1", "setSpeed", Map.of("speed", 2.5)).get(10, TimeUnit.SECONDS))
                        .allSatisfy(r -> assertThat(r.good()).as(r.status()).isTrue());
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    List<Metric> speed = host.metrics("seg-1", "speed");
                    return near(speed.get(speed.size() - 1).value(), 2.5);
                });
                assertThat(driver.command("seg-1", "stop", Map.of()).get(10, TimeUnit.SECONDS))
                        .allSatisfy(r -> assertThat(r.good()).as(r.status()).isTrue());
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    List<Metric> running = host.metrics("seg-1", "running");
                    return Boolean.FALSE.equals(running.get(running.size() - 1).value());
                });
            }
        } finally {
            node.destroy();
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }
}
