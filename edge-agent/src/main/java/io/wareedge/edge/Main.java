package io.wareedge.edge;

import io.wareedge.edge.config.AgentConfigLoader;
import io.wareedge.edge.config.ConfigException;
import io.wareedge.profiles.ProfileException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Runs an edge agent: {@code java -jar edge-agent.jar agent.yaml}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "edge-agent-logback.xml");
        }
        if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
            System.err.println("usage: edge-agent <agent.yaml>");
            System.exit(2);
        }
        EdgeAgent agent;
        try {
            agent = EdgeAgent.start(AgentConfigLoader.load(Path.of(args[0])));
        } catch (ConfigException | ProfileException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "edge-agent-shutdown"));
        stopped.await();
    }
}
