package io.wareedge.sim.picker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A handheld scanner's side of the picking API, as simulated pickers, tests and the benchmark use it: log in with
 * badge and PIN, ask for the current task, send actions under an id made here (so a resend is answered, not
 * recorded twice). One client is one handheld; it is not shared between threads.
 */
public final class HandheldClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION = "X-Picker-Session";

    private final Transport transport;
    private String token;

    /** How a request reaches the control server: one HTTP/1.1 exchange, answered with status and body. */
    @FunctionalInterface
    public interface Transport {
        /**
         * @param headers name/value pairs
         * @param body    null: no body
         */
        Answer exchange(String method, String path, List<String> headers, byte[] body)
                throws IOException, InterruptedException;
    }

    /** An HTTP answer: status and body (empty when there was none). */
    public record Answer(int status, byte[] body) {
    }

    /** The status and JSON body of one answer ({@link NullNode} when there was no body). */
    public record Reply(int status, JsonNode body) {
        public boolean ok() {
            return status == 200 || status == 204;
        }

        public String error() {
            return body.path("error").asText(null);
        }
    }

    /** A handheld talking through the JDK's HTTP client (which may be shared by handhelds). */
    public HandheldClient(HttpClient http, URI base) {
        this(transport(http, base));
    }

    /** A handheld whose requests go through {@code transport} (the benchmark gives each driver thread a connection). */
    public HandheldClient(Transport transport) {
        this.transport = transport;
    }

    /** Exchanges through the JDK's HTTP client with the server at {@code base}. */
    public static Transport transport(HttpClient http, URI base) {
        return (method, path, headers, body) -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (int i = 0; i < headers.size(); i += 2) {
                b.header(headers.get(i), headers.get(i + 1));
            }
            HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(res.statusCode(), res.body());
        };
    }

    /** A client of its own, HTTP/1.1 with keep-alive, as one handheld has. */
    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public Reply login(String badge, String pin) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("badge", badge).put("pin", pin);
        Reply r = send("POST", "/api/handheld/login", body);
        if (r.status() == 200) {
            token = r.body().path("token").asText();
        }
        return r;
    }

    public Reply logout() throws IOException, InterruptedException {
        Reply r = send("POST", "/api/handheld/logout", null);
        token = null;
        return r;
    }

    /** The current task and the rest of the walk (200), or nothing to pick (204). */
    public Reply task() throws IOException, InterruptedException {
        return send("GET", "/api/handheld/task", null);
    }

    /** A new action id: a resend must reuse the id of the first attempt. */
    public static String newActionId() {
        return UUID.randomUUID().toString();
    }

    public Reply confirm(String id, long task, String location, String item, int quantity)
            throws IOException, InterruptedException {
        return act(confirmation(id, task, location, item, quantity), false);
    }

    /**
     * Confirms and gets the walk after it in the same answer (its {@code next}, absent when nothing is open), as the
     * handheld page does: one request per scan cycle.
     */
    public Reply confirmAndNext(String id, long task, String location, String item, int quantity)
            throws IOException, InterruptedException {
        return act(confirmation(id, task, location, item, quantity), true);
    }

    public Reply shortPick(String id, long task, int found, String reason) throws IOException, InterruptedException {
        return act(shortage(id, task, found, reason), false);
    }

    /** As {@link #shortPick}, with the walk after it in the answer's {@code next}. */
    public Reply shortPickAndNext(String id, long task, int found, String reason) throws IOException, InterruptedException {
        return act(shortage(id, task, found, reason), true);
    }

    public Reply skip(String id, long task) throws IOException, InterruptedException {
        return act(action(id, "skip", task));
    }

    public Reply act(ObjectNode action) throws IOException, InterruptedException {
        return act(action, false);
    }

    /** An action; with {@code withNext} the answer's {@code next} is the walk after it (absent: nothing open). */
    public Reply act(ObjectNode action, boolean withNext) throws IOException, InterruptedException {
        return send("POST", withNext ? "/api/handheld/actions?next=true" : "/api/handheld/actions", action);
    }

    private static ObjectNode confirmation(String id, long task, String location, String item, int quantity) {
        return action(id, "confirm", task).put("location", location).put("item", item).put("quantity", quantity);
    }

    private static ObjectNode shortage(String id, long task, int found, String reason) {
        return action(id, "short", task).put("quantity", found).put("reason", reason);
    }

    private static ObjectNode action(String id, String kind, long task) {
        return JSON.createObjectNode().put("id", id).put("kind", kind).put("task", task);
    }

    private Reply send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        List<String> headers = new ArrayList<>(List.of("Accept", "application/json"));
        if (token != null) {
            headers.addAll(List.of(SESSION, token));
        }
        if (body != null) {
            headers.addAll(List.of("Content-Type", "application/json"));
        }
        Answer res = transport.exchange(method, path, headers, body == null ? null : JSON.writeValueAsBytes(body));
        JsonNode json = res.body().length == 0 ? NullNode.getInstance() : JSON.readTree(res.body());
        return new Reply(res.status(), json);
    }
}
