package io.wareedge.server.testing;

import io.wareedge.embedded.PostgresServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The machine's PostgreSQL 15 (else embedded PostgreSQL) in a fresh data directory of its own. Not under JUnit's
 * {@code @TempDir}: as root, PostgreSQL runs as user postgres, which cannot enter JUnit's private directories.
 */
public final class TestPostgres implements AutoCloseable {
    private final Path dataDir;
    private final PostgresServer server;

    private TestPostgres(Path dataDir, PostgresServer server) {
        this.dataDir = dataDir;
        this.server = server;
    }

    public static TestPostgres start() {
        try {
            Path dir = Files.createTempDirectory("wareedge-server-pg");
            return new TestPostgres(dir, PostgresServer.startAny(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public PostgresServer server() {
        return server;
    }

    /** The first column of the first row of a query (a count, a sum): what tests check in the database. */
    public long scalar(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of every row of a query, as text. */
    public java.util.List<String> strings(String sql) throws java.sql.SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Runs statements (test data the API has no way in for). */
    public void execute(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
             java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leftovers in the system temp directory are harmless
        }
    }
}
