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
import java.util.UUID;

/**
 * A handheld scanner's side of the picking API, as simulated pickers, tests and the benchmark use it: log in with
 * badge and PIN, ask for the current task, send actions under an id made here (so a resend is answered, not
 * recorded twice). One client is one handheld; it is not shared between threads.
 */
public final class HandheldClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION = "X-Picker-Session";

    private final HttpClient http;
    private final URI base;
    private String token;

    /** The status and JSON body of one answer ({@link NullNode} when there was no body). */
    public record Reply(int status, JsonNode body) {
        public boolean ok() {
            return status == 200 || status == 204;
        }

        public String error() {
            return body.path("error").asText(null);
        }
    }

    public HandheldClient(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
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
        return act(action(id, "confirm", task).put("location", location).put("item", item).put("quantity", quantity));
    }

    public Reply shortPick(String id, long task, int found, String reason) throws IOException, InterruptedException {
        return act(action(id, "short", task).put("quantity", found).put("reason", reason));
    }

    public Reply skip(String id, long task) throws IOException, InterruptedException {
        return act(action(id, "skip", task));
    }

    public Reply act(ObjectNode action) throws IOException, InterruptedException {
        return send("POST", "/api/handheld/actions", action);
    }

    private static ObjectNode action(String id, String kind, long task) {
        return JSON.createObjectNode().put("id", id).put("kind", kind).put("task", task);
    }

    private Reply send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (token != null) {
            b.header(SESSION, token);
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = res.body().length == 0 ? NullNode.getInstance() : JSON.readTree(res.body());
        return new Reply(res.statusCode(), json);
    }
}
