package io.wareedge.server.alerts;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.wareedge.profiles.Severity;
import io.wareedge.server.persistence.JdbcValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends every alert event to each configured endpoint as a signed JSON POST, in feed order, at least once.
 *
 * <p>Each endpoint has its own thread ({@code wareedge-webhook-<name>}) and its own position in the feed, stored in
 * the database after each event, so a restart resumes where it stopped and a slow or hanging endpoint holds up only
 * itself. An attempt that times out, fails to connect or gets a 5xx/408/429 answer is retried with exponential
 * backoff and jitter (Resilience4j Retry) up to {@code max-attempts}; then the event is abandoned for that endpoint,
 * counted and logged, and the next one goes. Other 4xx answers are not retried. Every attempt is in the delivery log.
 *
 * <p>Signature: header {@code X-WareEdge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}, keyed
 * with the endpoint's secret; a receiver recomputes it and rejects old timestamps against replays.
 */
final class Webhooks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    static final String SIGNATURE_HEADER = "X-WareEdge-Signature";

    private final List<Endpoint> endpoints = new ArrayList<>();
    private final DataSource dataSource;
    private final AlertStore store;
    private final AlertFeed feed;
    private final ObjectMapper json;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();

    Webhooks(List<AlertSettings.Webhook> config, DataSource dataSource, AlertStore store, AlertFeed feed,
             ObjectMapper json, Clock clock) {
        this.dataSource = dataSource;
        this.store = store;
        this.feed = feed;
        this.json = json;
        this.clock = clock;
        for (AlertSettings.Webhook w : config) {
            endpoints.add(new Endpoint(w));
        }
    }

    /** What an endpoint's delivery stands at. */
    @Serdeable
    record EndpointStatus(String name, String url, String minSeverity, long position, long delivered,
                          long failedAttempts, long abandoned, long rejected) {
    }

    /** One attempt in the delivery log. */
    @Serdeable
    record Delivery(long id, String endpoint, long eventId, int attempt, Instant at, String outcome, Integer httpStatus,
                    String error, int millis) {
    }

    void start() throws SQLException {
        for (Endpoint e : endpoints) {
            e.start();
        }
    }

    List<EndpointStatus> status() {
        return endpoints.stream().map(Endpoint::status).toList();
    }

    List<Delivery> deliveries(String endpoint, int limit) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, endpoint, event_id, attempt, at, outcome, http_status,"
                     + " error, millis FROM webhook_deliveries WHERE endpoint = ? ORDER BY id DESC LIMIT ?")) {
            ps.setString(1, endpoint);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Delivery(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
                            JdbcValues.instant(rs.getTimestamp(5)), rs.getString(6), (Integer) rs.getObject(7),
                            rs.getString(8), rs.getInt(9)));
                }
            }
        }
        return out;
    }

    boolean has(String endpoint) {
        return endpoints.stream().anyMatch(e -> e.config.name().equals(endpoint));
    }

    /** The signature header's value for a body sent at {@code epochSeconds}. */
    static String signature(String secret, long epochSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public void close() {
        endpoints.forEach(Endpoint::close);
    }

    /** An answer worth trying again (timeout, connection refused, 5xx, 408, 429). */
    private static final class RetryableFailure extends Exception {
        RetryableFailure(String message) {
            super(message, null, false, false);
        }
    }

    /** An answer that will not change on a retry (other 4xx). */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final class Endpoint {
        final AlertSettings.Webhook config;
        final Thread thread;
        final Semaphore wake = new Semaphore(0);
        final Retry retry;
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong failedAttempts = new AtomicLong();
        final AtomicLong abandoned = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        volatile long position;
        volatile boolean running;
        AlertFeed.Subscription subscription;

        Endpoint(AlertSettings.Webhook config) {
            this.config = config;
            this.thread = new Thread(this::run, "wareedge-webhook-" + config.name());
            this.retry = Retry.of("webhook-" + config.name(), RetryConfig.custom()
                    .maxAttempts(config.maxAttempts())
                    .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(config.initialBackoff(), 2.0, 0.5,
                            config.maxBackoff()))
                    .retryOnException(e -> running && e instanceof RetryableFailure)
                    .build());
        }

        void start() throws SQLException {
            position = cursor();
            running = true;
            subscription = feed.subscribe(-1, e -> wake.release());
            thread.start();
        }

        EndpointStatus status() {
            return new EndpointStatus(config.name(), config.url().toString(), config.minSeverity().name().toLowerCase(),
                    position, delivered.get(), failedAttempts.get(), abandoned.get(), rejected.get());
        }

        void close() {
            running = false;
            if (subscription != null) {
                subscription.close();
            }
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            while (running) {
                try {
                    List<AlertEvent> batch = store.eventsAfter(position, 100);
                    if (batch.isEmpty()) {
                        wake.tryAcquire(1, TimeUnit.SECONDS);
                        wake.drainPermits();
                        continue;
                    }
                    for (AlertEvent e : batch) {
                        if (!running) {
                            return;
                        }
                        if (wanted(e)) {
                            deliver(e);
                        }
                        position = e.id();
                        saveCursor(position);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("webhook {}: {}; trying again in 1 s", config.name(), e.toString());
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        private boolean wanted(AlertEvent e) {
            return config.minSeverity() == Severity.YELLOW || "red".equals(e.alert().severity());
        }

        private void deliver(AlertEvent e) throws InterruptedException {
            String body;
            try {
                body = json.writeValueAsString(e);
            } catch (IOException ex) {
                throw new IllegalStateException("cannot write event " + e.id() + " as JSON", ex);
            }
            int[] attempt = {0};
            try {
                retry.executeCallable(() -> {
                    attempt(e, body, ++attempt[0]);
                    return null;
                });
                delivered.incrementAndGet();
            } catch (Refused refused) {
                rejected.incrementAndGet();
                LOG.warn("webhook {} refused event {}: {}; not retried", config.name(), e.id(), refused.getMessage());
            } catch (Exception failed) {
                if (Thread.currentThread().isInterrupted() || !running) {
                    throw new InterruptedException("stopping");
                }
                abandoned.incrementAndGet();
                log(e.id(), attempt[0], "abandoned", null, failed.getMessage(), 0);
                LOG.warn("webhook {}: event {} abandoned after {} attempts: {}", config.name(), e.id(), attempt[0],
                        failed.getMessage());
            }
        }

        private void attempt(AlertEvent e, String body, int attempt) throws RetryableFailure, Refused, SQLException {
            long t0 = System.nanoTime();
            long now = clock.millis() / 1000;
            HttpRequest request = HttpRequest.newBuilder(config.url())
                    .timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header("X-WareEdge-Event-Id", Long.toString(e.id()))
                    .header("X-WareEdge-Event", e.action())
                    .header(SIGNATURE_HEADER, signature(config.secret(), now, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
            int status;
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException ex) {
                failedAttempts.incrementAndGet();
                log(e.id(), attempt, "failed", null, ex.toString(), millisSince(t0));
                throw new RetryableFailure(ex.toString());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new RetryableFailure("interrupted");
            }
            int millis = millisSince(t0);
            if (status >= 200 && status < 300) {
                log(e.id(), attempt, "delivered", status, null, millis);
                return;
            }
            boolean retryable = status >= 500 || status == 408 || status == 429;
            log(e.id(), attempt, retryable ? "failed" : "refused", status, "HTTP " + status, millis);
            if (retryable) {
                failedAttempts.incrementAndGet();
                throw new RetryableFailure("HTTP " + status);
            }
            throw new Refused("HTTP " + status);
        }

        private long cursor() throws SQLException {
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT last_event_id FROM webhook_cursors WHERE endpoint = ?")) {
                    ps.setString(1, config.name());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return rs.getLong(1);
                        }
                    }
                }
                // A new endpoint starts with what happens from now on, not with the whole history.
                long now = feed.lastEventId();
                saveCursor(c, now);
                return now;
            }
        }

        private void saveCursor(long id) throws SQLException {
            try (Connection c = dataSource.getConnection()) {
                saveCursor(c, id);
            }
        }

        private void saveCursor(Connection c, long id) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_cursors (endpoint, last_event_id)"
                    + " VALUES (?, ?) ON CONFLICT (endpoint) DO UPDATE SET last_event_id = excluded.last_event_id")) {
                ps.setString(1, config.name());
                ps.setLong(2, id);
                ps.executeUpdate();
            }
        }

        private void log(long eventId, int attempt, String outcome, Integer status, String error, int millis) {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (endpoint, event_id, attempt,"
                         + " at, outcome, http_status, error, millis) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, config.name());
                ps.setLong(2, eventId);
                ps.setInt(3, attempt);
                ps.setTimestamp(4, Timestamp.from(Instant.ofEpochMilli(clock.millis())));
                ps.setString(5, outcome);
                ps.setObject(6, status);
                ps.setString(7, error == null ? null : error.substring(0, Math.min(error.length(), 500)));
                ps.setInt(8, millis);
                ps.executeUpdate();
            } catch (SQLException ex) {
                LOG.warn("webhook {}: delivery log write failed: {}", config.name(), ex.toString());
            }
        }

        private int millisSince(long t0) {
            return (int) ((System.nanoTime() - t0) / 1_000_000);
        }
    }

}
