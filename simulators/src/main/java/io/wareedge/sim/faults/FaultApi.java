package io.wareedge.sim.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wareedge.profiles.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP API over a {@link FaultInjector}, on the loopback address only (it hurts devices on request and asks
 * nobody who is asking):
 *
 * <ul>
 *   <li>{@code POST /faults} with {@code {"device":"conveyor-2","kind":"jam","duration":"20s"}} → 201 and the fault;
 *   <li>{@code GET /faults} → the active faults, the recent ones and the counts per kind;
 *   <li>{@code DELETE /faults/{id}} → 200 and the cleared fault, 404 when no such fault is active;
 *   <li>{@code GET /faults/kinds} → the kinds each device takes.
 * </ul>
 * A request the injector refuses gets 400 (bad JSON, unknown device or kind, bad duration) or 409 (the device has
 * that fault already), always with {@code {"error": "..."}}.
 *
 * <p>Threading: two named handler threads ({@code fault-api-1}, {@code fault-api-2}) with a bounded queue; when
 * it is full the server's own thread handles the request, which slows down accepting new ones.
 */
public final class FaultApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultApi.class);
    private static final int LARGEST_BODY = 16 * 1024;
    private static final int HANDLER_THREADS = 2;
    private static final int QUEUED_REQUESTS = 64;

    private final FaultInjector injector;
    private final HttpServer server;
    private final ThreadPoolExecutor handlers;
    private final ObjectMapper json = new ObjectMapper();

    private FaultApi(FaultInjector injector, HttpServer server, ThreadPoolExecutor handlers) {
        this.injector = injector;
        this.server = server;
        this.handlers = handlers;
    }

    /**
     * Serves the API on the loopback address.
     *
     * @param port 0 = any free port
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static FaultApi start(FaultInjector injector, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("fault API port must be within 0..65535, got " + port);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("fault API cannot listen on loopback port " + port, e);
        }
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor handlers = new ThreadPoolExecutor(HANDLER_THREADS, HANDLER_THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS), r -> {
                    Thread t = new Thread(r, "fault-api-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        FaultApi api = new FaultApi(injector, server, handlers);
        // one context for every path, so unknown ones get a JSON 404 too
        server.createContext("/", api::handle);
        server.setExecutor(handlers);
        server.start();
        LOG.info("fault injection API on {}/faults", api.url());
        return api;
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234} (the API lives under {@code /faults}). */
    public URI url() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().replaceAll("/+$", "");
            String method = exchange.getRequestMethod();
            try {
                route(exchange, method, path);
            } catch (BadRequest e) {
                send(exchange, e.status, error(e.getMessage()));
            } catch (IllegalArgumentException e) {
                send(exchange, 400, error(e.getMessage()));
            } catch (IllegalStateException e) {
                send(exchange, 409, error(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("fault API {} {}: {}", method, path, e.toString());
                send(exchange, 500, error(e.toString()));
            }
        }
    }

    private void route(HttpExchange exchange, String method, String path) throws IOException {
        if (path.equals("/faults")) {
            switch (method) {
                case "GET" -> send(exchange, 200, overview());
                case "POST" -> {
                    Fault fault = inject(readBody(exchange));
                    exchange.getResponseHeaders().set("Location", "/faults/" + fault.id());
                    send(exchange, 201, describe(fault));
                }
                default -> notAllowed(exchange, "GET, POST");
            }
        } else if (path.equals("/faults/kinds")) {
            if (method.equals("GET")) {
                Map<String, List<String>> kinds = new LinkedHashMap<>();
                injector.kindsByDevice().forEach((device, k) ->
                        kinds.put(device, k.stream().sorted().map(FaultKind::wireName).toList()));
                send(exchange, 200, kinds);
            } else {
                notAllowed(exchange, "GET");
            }
        } else if (path.startsWith("/faults/")) {
            long id = faultId(path.substring("/faults/".length()));
            switch (method) {
                case "GET" -> send(exchange, 200, describe(injector.find(id)
                        .orElseThrow(() -> new BadRequest(404, "no fault " + id))));
                case "DELETE" -> {
                    Optional<Fault> cleared = injector.clear(id);
                    if (cleared.isPresent()) {
                        send(exchange, 200, describe(cleared.get()));
                    } else {
                        String why = injector.find(id).map(f -> "fault " + id + " ended already at " + f.clearedAt())
                                .orElse("no fault " + id);
                        send(exchange, 404, error(why));
                    }
                }
                default -> notAllowed(exchange, "GET, DELETE");
            }
        } else {
            send(exchange, 404, error("no resource " + path + "; see /faults"));
        }
    }

    private Fault inject(byte[] body) {
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequest(400, "the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (request == null || !request.isObject()) {
            throw new BadRequest(400, "the body must be a JSON object like "
                    + "{\"device\":\"conveyor-2\",\"kind\":\"jam\",\"duration\":\"20s\"}");
        }
        String device = text(request, "device");
        FaultKind kind = FaultKind.parse(text(request, "kind"));
        Duration duration = Durations.parse(text(request, "duration"));
        return injector.inject(device, kind, duration);
    }

    private static String text(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            throw new BadRequest(400, "field '" + field + "' is missing");
        }
        if (!v.isTextual()) {
            throw new BadRequest(400, "field '" + field + "' must be a string"
                    + (field.equals("duration") ? " with a unit, e.g. \"30s\"" : "") + ", got " + v);
        }
        return v.asText();
    }

    private static long faultId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadRequest(404, "no fault " + text + " (fault ids are numbers)");
        }
    }

    private Map<String, Object> overview() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", injector.active().stream().map(FaultApi::describe).toList());
        out.put("recent", injector.recent().stream().map(FaultApi::describe).toList());
        Map<String, Long> counts = new LinkedHashMap<>();
        injector.injectedPerKind().forEach((k, n) -> counts.put(k.wireName(), n));
        out.put("injectedPerKind", counts);
        return out;
    }

    private static Map<String, Object> describe(Fault f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", f.id());
        out.put("device", f.device());
        out.put("kind", f.kind().wireName());
        out.put("duration", Durations.format(f.duration()));
        out.put("startedAt", f.startedAt().toString());
        out.put("clearsAt", f.clearsAt().toString());
        out.put("active", f.active());
        out.put("clearedAt", f.active() ? null : f.clearedAt().toString());
        out.put("ending", f.active() ? null : f.ending().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return out;
    }

    private static Map<String, Object> error(String message) {
        return Map.of("error", message == null ? "unknown error" : message);
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(LARGEST_BODY + 1);
            if (body.length > LARGEST_BODY) {
                throw new BadRequest(413, "the body is larger than " + LARGEST_BODY + " bytes");
            }
            return body;
        }
    }

    private void notAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        send(exchange, 405, error(exchange.getRequestMethod() + " is not allowed here; allowed: " + allowed));
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** A request answered with a status other than the injector's 400/409. */
    private static final class BadRequest extends RuntimeException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
