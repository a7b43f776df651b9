package io.wareedge.server;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.server.EmbeddedServer;
import io.wareedge.embedded.PostgresServer;
import io.wareedge.server.config.InvalidConfigurationException;
import io.wareedge.server.security.UserAccounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The control server as a library: the one-process warehouse, benchmarks and tests start it in their JVM; {@link
 * #main} runs it standalone from {@code application.yml} and the environment.
 *
 * <p>Before the Micronaut context starts it decides the database: when {@code wareedge.database.embedded} is true
 * (the default when no {@code datasources.default.url} is configured) it starts embedded PostgreSQL in
 * {@code <wareedge.data-dir>/postgres} and feeds its URL in. It also supplies what must exist but need not be
 * configured: a random JWT signing secret, and a random admin password (logged once) when no users are configured.
 * Configured values always win over these defaults.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    /** Below every other property source: application.yml, environment and the caller's properties override it. */
    private static final int DEFAULTS_PRIORITY = -10_000;

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final PostgresServer embeddedPostgres;
    private final String adminPassword;

    private ControlServer(ApplicationContext context, EmbeddedServer server, PostgresServer embeddedPostgres,
                          String adminPassword) {
        this.context = context;
        this.server = server;
        this.embeddedPostgres = embeddedPostgres;
        this.adminPassword = adminPassword;
    }

    /**
     * Starts the server.
     *
     * @param properties configuration overriding application.yml and the environment (for example
     *                   {@code wareedge.mqtt.url}, {@code datasources.default.url}, {@code micronaut.server.port}
     *                   = -1 for a free port)
     * @throws InvalidConfigurationException when a configuration value breaks a rule
     */
    public static ControlServer start(Map<String, Object> properties) {
        Map<String, Object> props = new HashMap<>(properties);
        Map<String, Object> defaults = new HashMap<>();
        PostgresServer postgres = null;
        try (ApplicationContext probe = ApplicationContext.builder().properties(props).build()) {
            probe.getEnvironment().start();
            Optional<String> url = probe.getProperty("datasources.default.url", String.class).filter(s -> !s.isBlank());
            Optional<String> embeddedSetting = probe.getProperty("wareedge.database.embedded", String.class);
            boolean embedded = embeddedSetting.map(v -> parseBoolean("wareedge.database.embedded", v)).orElse(url.isEmpty());
            if (embedded && url.isPresent() && embeddedSetting.isPresent()) {
                throw new InvalidConfigurationException("wareedge.database.embedded",
                        "must be false when datasources.default.url is set", embeddedSetting.get());
            }
            if (!embedded && url.isEmpty()) {
                throw new InvalidConfigurationException("datasources.default.url",
                        "is required when wareedge.database.embedded is false", null);
            }
            if (embedded) {
                Path dataDir = Path.of(probe.getProperty("wareedge.data-dir", String.class).orElse("data"));
                postgres = PostgresServer.startEmbedded(dataDir.resolve("postgres"));
                LOG.info("started {} for the control server", postgres.description());
                // The caller's properties rank above application.yml: the embedded server's address must win.
                props.put("datasources.default.url", postgres.jdbcUrl());
                props.put("datasources.default.username", postgres.user());
                props.put("datasources.default.password", postgres.password());
            }
            if (probe.getProperty("micronaut.security.token.jwt.signatures.secret.generator.secret", String.class)
                    .filter(s -> !s.isBlank()).isEmpty()) {
                // Tokens then die with the process, which is what a demo wants; configure one for several instances.
                defaults.put("micronaut.security.token.jwt.signatures.secret.generator.secret", randomSecret(48));
            }
            boolean usersConfigured = probe.getProperty("wareedge.users", List.class).filter(l -> !l.isEmpty()).isPresent();
            Optional<String> admin = probe.getProperty("wareedge.admin-password", String.class).filter(s -> !s.isBlank());
            String adminPassword = admin.orElse(null);
            if (admin.isEmpty() && !usersConfigured) {
                adminPassword = randomSecret(12);
                defaults.put("wareedge.admin-password", adminPassword);
                LOG.warn("no wareedge.users or wareedge.admin-password configured: generated a password for user '{}': {}",
                        UserAccounts.ADMIN, adminPassword);
            }

            ApplicationContext context = ApplicationContext.builder(ControlServer.class)
                    .properties(props)
                    .propertySources(PropertySource.of("wareedge-defaults", defaults, DEFAULTS_PRIORITY))
                    .start();
            try {
                EmbeddedServer server = context.getBean(EmbeddedServer.class);
                server.start();
                LOG.info("control server listening on {}", server.getURI());
                return new ControlServer(context, server, postgres, adminPassword);
            } catch (RuntimeException e) {
                context.close();
                throw e;
            }
        } catch (RuntimeException e) {
            if (postgres != null) {
                postgres.close();
            }
            throw configurationProblem(e).orElseThrow(() -> e);
        }
    }

    /** Base URL of the HTTP server, e.g. {@code http://localhost:41234}. */
    public URI url() {
        return server.getURI();
    }

    public String adminUser() {
        return UserAccounts.ADMIN;
    }

    /** The admin password, configured or generated; null when only {@code wareedge.users} is configured. */
    public String adminPassword() {
        return adminPassword;
    }

    public ApplicationContext context() {
        return context;
    }

    /** A service of the running server (for embedding: the one-process warehouse, tests, tools). */
    public <T> T service(Class<T> type) {
        return context.getBean(type);
    }

    /** Stops the HTTP server and the Micronaut context (the Sparkplug host publishes STATE offline), then embedded PostgreSQL. */
    @Override
    public void close() {
        try {
            if (server.isRunning()) {
                server.stop();
            }
            if (context.isRunning()) {
                context.close();
            }
        } finally {
            if (embeddedPostgres != null) {
                embeddedPostgres.close();
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        ControlServer server;
        try {
            server = start(Map.of());
        } catch (InvalidConfigurationException e) {
            LOG.error(e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "wareedge-shutdown"));
        stopped.await();
    }

    private static Optional<InvalidConfigurationException> configurationProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigurationException ice) {
                return Optional.of(ice);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    private static boolean parseBoolean(String key, String value) {
        if ("true".equalsIgnoreCase(value) || "false".equalsIgnoreCase(value)) {
            return Boolean.parseBoolean(value);
        }
        throw new InvalidConfigurationException(key, "must be true or false", value);
    }

    private static String randomSecret(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
