package io.wareedge.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Debian's Eclipse Mosquitto as a child process on a loopback port, with its own configuration (not the system
 * service). Stop and start again on the same port to imitate an outage.
 */
public final class MosquittoBroker implements AutoCloseable {

    private static final Path BINARY = Path.of(System.getProperty("wareedge.mosquitto", "/usr/sbin/mosquitto"));

    private final Path workDir;
    private final int port;
    private Process process;

    private MosquittoBroker(Path workDir, int port) {
        this.workDir = workDir;
        this.port = port;
    }

    /** True when the mosquitto binary is installed. */
    public static boolean isInstalled() {
        return Files.isExecutable(BINARY);
    }

    public static MosquittoBroker start(Path workDir) {
        MosquittoBroker broker = new MosquittoBroker(workDir, FreePorts.pick());
        broker.start();
        return broker;
    }

    /** The broker process's id while it runs (benchmarks read its CPU time from /proc). */
    public synchronized long pid() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("mosquitto is not running");
        }
        return process.pid();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public synchronized void start() {
        if (process != null) {
            return;
        }
        try {
            Files.createDirectories(workDir);
            Path conf = workDir.resolve("mosquitto.conf");
            // Nagle off (small messages would otherwise wait for delayed ACKs), no queue limits, sessions kept.
            Files.writeString(conf, """
                    listener %d 127.0.0.1
                    allow_anonymous true
                    set_tcp_nodelay true
                    max_queued_messages 0
                    max_inflight_messages 0
                    persistence true
                    persistence_location %s/
                    log_dest stdout
                    log_type error
                    log_type warning
                    """.formatted(port, workDir.toAbsolutePath()));
            process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("mosquitto.log").toFile())
                    .start();
            awaitListening(Duration.ofSeconds(10));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BINARY, e);
        }
    }

    /** Stops the broker (SIGTERM: it saves its persistence file first). */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitListening(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + "; see " + workDir.resolve("mosquitto.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for mosquitto", e);
                }
            }
        }
        throw new IllegalStateException("mosquitto did not listen on " + port + " within " + timeout);
    }
}
