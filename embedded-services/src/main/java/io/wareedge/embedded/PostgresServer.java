package io.wareedge.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server for this process: the machine's PostgreSQL 15 when installed (as on CI), otherwise the
 * embedded binaries from Maven Central (PostgreSQL 14). Either way a real server on a loopback port.
 */
public abstract class PostgresServer implements AutoCloseable {

    private static final Path SYSTEM_BIN = Path.of(System.getProperty("wareedge.postgres.bin", "/usr/lib/postgresql/15/bin"));

    public abstract String jdbcUrl();

    public String user() {
        return "postgres";
    }

    public String password() {
        return "";
    }

    /** Which kind of server this is, for logs. */
    public abstract String description();

    @Override
    public abstract void close();

    /** The machine's PostgreSQL if installed, else the embedded one; data kept in {@code dataDir}. */
    public static PostgresServer startAny(Path dataDir) {
        return isSystemInstalled() ? startSystem(dataDir) : startEmbedded(dataDir);
    }

    public static boolean isSystemInstalled() {
        return Files.isExecutable(SYSTEM_BIN.resolve("postgres"));
    }

    /** Embedded PostgreSQL binaries; the data directory survives restarts so the one-command warehouse keeps state. */
    public static PostgresServer startEmbedded(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            // Not the library's own shutdown hook: JVM shutdown hooks run all at once, so it stopped the database
            // while the owner's orderly shutdown (ingest first, the database last) was still storing.
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(FreePorts.pick())
                    .setRegisterShutdownHook(false)
                    .start();
            return new EmbeddedServer(pg, dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * At JVM exit, waits up to {@link #OWNER_GRACE} for its owner to close it in order, and stops the server itself
     * only if nobody did (an owner that never closes must not leave a postmaster behind).
     */
    private static final class EmbeddedServer extends PostgresServer {
        private static final Duration OWNER_GRACE = Duration.ofSeconds(15);
        private final EmbeddedPostgres pg;
        private final Path dataDir;
        private final CountDownLatch closed = new CountDownLatch(1);
        private final Thread lastResort;

        EmbeddedServer(EmbeddedPostgres pg, Path dataDir) {
            this.pg = pg;
            this.dataDir = dataDir;
            this.lastResort = new Thread(() -> {
                try {
                    if (!closed.await(OWNER_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                        stop();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop();
                }
            }, "embedded-postgres-last-stop");
            Runtime.getRuntime().addShutdownHook(lastResort);
        }

        @Override
        public String jdbcUrl() {
            return pg.getJdbcUrl("postgres", "postgres");
        }

        @Override
        public String description() {
            return "embedded PostgreSQL (" + dataDir + ")";
        }

        @Override
        public void close() {
            try {
                stop();
            } finally {
                closed.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(lastResort);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down: the hook is running and returns once it sees the latch
                }
            }
        }

        private void stop() {
            try {
                pg.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Extra server options from the environment variable {@code WAREEDGE_PG_OPTS}, for looking into a benchmark (for
     * example {@code -c shared_preload_libraries=pg_stat_statements}); empty when unset.
     */
    private static final String EXTRA_OPTIONS = System.getenv().getOrDefault("WAREEDGE_PG_OPTS", "").isBlank() ? ""
            : " " + System.getenv("WAREEDGE_PG_OPTS").trim();

    /**
     * The machine's PostgreSQL 15, in a throwaway cluster of its own ({@code initdb} into {@code dataDir}), started
     * with pg_ctl on a free loopback port (with {@code WAREEDGE_PG_OPTS} added to its options). PostgreSQL refuses
     * to run as root, so as root it runs as user postgres.
     */
    public static PostgresServer startSystem(Path dataDir) {
        int port = FreePorts.pick();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
                Files.createDirectories(dataDir);
                if (root) {
                    letPostgresThrough(dataDir.toAbsolutePath().getParent());
                    run(List.of("chown", "-R", "postgres:postgres", dataDir.toString()), false);
                }
                run(List.of(SYSTEM_BIN.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", "postgres",
                        "--auth=trust", "--encoding=UTF8", "--no-sync"), root);
            }
            run(List.of(SYSTEM_BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-t", "60",
                    "-l", dataDir.resolve("server.log").toString(),
                    "-o", "-p " + port + " -k " + dataDir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                    + EXTRA_OPTIONS, "start"), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL in " + dataDir, e);
        }
        return new PostgresServer() {
            @Override
            public String jdbcUrl() {
                return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
            }

            @Override
            public String description() {
                return "PostgreSQL 15 (" + dataDir + ", port " + port + ")";
            }

            @Override
            public void close() {
                try {
                    run(List.of(SYSTEM_BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"), root);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /**
     * The server runs as user postgres and must reach its data directory: private temp directories (mode 700) on
     * the way get search permission for others (x, not read), nothing more.
     */
    private static void letPostgresThrough(Path dir) throws IOException {
        for (Path p = dir; p != null && p.getParent() != null; p = p.getParent()) {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                continue;
            }
            perms = new java.util.HashSet<>(perms);
            perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(p, perms);
        }
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", cmd));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + " from " + String.join(" ", cmd) + ":\n" + output);
        }
    }
}
