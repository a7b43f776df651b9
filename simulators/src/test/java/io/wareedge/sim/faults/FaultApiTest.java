package io.wareedge.sim.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wareedge.sim.conveyor.ConveyorPlcSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The fault API end to end: an HTTP client, the API on a free loopback port, the injector, a real PLC. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultApiTest {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConveyorPlcSimulator plc;
    private FaultInjector injector;
    private FaultApi api;

    @BeforeAll
    void start() {
        plc = ConveyorPlcSimulator.start(0, ConveyorPlcSimulator.Settings.defaults(1, 3));
        injector = new FaultInjector()
                .addConveyorSegments(plc, Map.of("conveyor-1", 1, "conveyor-2", 2, "conveyor-3", 3))
                .addConveyorLine(plc, "line-1");
        api = FaultApi.start(injector, 0);
    }

    @AfterAll
    void stop() {
        api.close();
        injector.close();
        plc.close();
    }

    @AfterEach
    void clearEverything() {
        injector.active().forEach(f -> injector.clear(f.id()));
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThat(api.url().getHost()).isEqualTo("127.0.0.1");
        assertThat(api.port()).isPositive();
    }

    @Test
    void postInjectsAFaultThatGetListsAndDeleteClears() throws Exception {
        HttpResponse<String> created = send("POST", "/faults",
                "{\"device\":\"conveyor-2\",\"kind\":\"jam\",\"duration\":\"20s\"}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode fault = json.readTree(created.body());
        long id = fault.get("id").asLong();
        assertThat(created.headers().firstValue("Location")).hasValue("/faults/" + id);
        assertThat(fault.get("device").asText()).isEqualTo("conveyor-2");
        assertThat(fault.get("kind").asText()).isEqualTo("jam");
        assertThat(fault.get("duration").asText()).isEqualTo("20s");
        assertThat(fault.get("active").asBoolean()).isTrue();
        assertThat(Instant.parse(fault.get("clearsAt").asText()))
                .isEqualTo(Instant.parse(fault.get("startedAt").asText()).plusSeconds(20));
        assertThat(plc.segment(2).jam()).isTrue();

        JsonNode listed = json.readTree(send("GET", "/faults", null).body());
        assertThat(listed.get("active")).hasSize(1);
        assertThat(listed.get("active").get(0).get("id").asLong()).isEqualTo(id);
        assertThat(listed.get("injectedPerKind").get("jam").asLong()).isPositive();

        HttpResponse<String> deleted = send("DELETE", "/faults/" + id, null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        JsonNode cleared = json.readTree(deleted.body());
        assertThat(cleared.get("active").asBoolean()).isFalse();
        assertThat(cleared.get("ending").asText()).isEqualTo("cleared-on-request");
        assertThat(plc.segment(2).jam()).isFalse();

        JsonNode after = json.readTree(send("GET", "/faults", null).body());
        assertThat(after.get("active")).isEmpty();
        assertThat(after.get("recent").get(0).get("id").asLong()).isEqualTo(id);

        HttpResponse<String> again = send("DELETE", "/faults/" + id, null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(json.readTree(again.body()).get("error").asText()).contains("ended already");
    }

    @Test
    void aFaultPostedForAFewSecondsEndsByItself() throws Exception {
        HttpResponse<String> created = send("POST", "/faults",
                "{\"device\":\"line-1\",\"kind\":\"emergency-stop\",\"duration\":\"1500ms\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        long id = json.readTree(created.body()).get("id").asLong();

        await().atMost(Duration.ofSeconds(5)).until(() ->
                json.readTree(send("GET", "/faults/" + id, null).body()).get("ending").asText().equals("expired"));
    }

    @Test
    void unknownFaultsAre404() throws Exception {
        assertError(send("DELETE", "/faults/999999", null), 404, "no fault 999999");
        assertError(send("DELETE", "/faults/abc", null), 404, "no fault abc");
        assertError(send("GET", "/faults/999999", null), 404, "no fault 999999");
        assertError(send("GET", "/elsewhere", null), 404, "no resource");
    }

    @Test
    void badRequestsAre400WithTheReason() throws Exception {
        assertError(send("POST", "/faults", "{\"device\":"), 400, "not JSON");
        assertError(send("POST", "/faults", "[1,2]"), 400, "JSON object");
        assertError(send("POST", "/faults", ""), 400, "JSON object");
        assertError(send("POST", "/faults", "{\"device\":\"conveyor-9\",\"kind\":\"jam\",\"duration\":\"20s\"}"),
                400, "unknown device 'conveyor-9'");
        assertError(send("POST", "/faults", "{\"device\":\"conveyor-2\",\"kind\":\"fire\",\"duration\":\"20s\"}"),
                400, "unknown fault kind 'fire'");
        assertError(send("POST", "/faults", "{\"device\":\"line-1\",\"kind\":\"jam\",\"duration\":\"20s\"}"),
                400, "does not fit device 'line-1'");
        assertError(send("POST", "/faults", "{\"device\":\"conveyor-2\",\"kind\":\"jam\",\"duration\":\"20\"}"),
                400, "has no unit");
        assertError(send("POST", "/faults", "{\"device\":\"conveyor-2\",\"kind\":\"jam\",\"duration\":20}"),
                400, "must be a string with a unit");
        assertError(send("POST", "/faults", "{\"device\":\"conveyor-2\",\"kind\":\"jam\",\"duration\":\"0s\"}"),
                400, "must be positive");
        assertError(send("POST", "/faults", "{\"device\":\"conveyor-2\",\"kind\":\"jam\",\"duration\":\"2h\"}"),
                400, "at most 1h");
        assertError(send("POST", "/faults", "{\"kind\":\"jam\",\"duration\":\"20s\"}"), 400, "'device' is missing");
        assertThat(injector.active()).isEmpty();
    }

    @Test
    void aFaultTheDeviceHasAlreadyIs409() throws Exception {
        String body = "{\"device\":\"conveyor-3\",\"kind\":\"overcurrent\",\"duration\":\"30s\"}";
        assertThat(send("POST", "/faults", body).statusCode()).isEqualTo(201);
        assertError(send("POST", "/faults", body), 409, "already");
    }

    @Test
    void kindsListWhatFitsEachDevice() throws Exception {
        HttpResponse<String> response = send("GET", "/faults/kinds", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode kinds = json.readTree(response.body());
        assertThat(kinds.get("line-1")).extracting(JsonNode::asText).containsExactly("emergency-stop");
        assertThat(kinds.get("conveyor-2")).extracting(JsonNode::asText)
                .containsExactly("jam", "overcurrent", "sensor-dropout");
    }

    @Test
    void otherMethodsAre405() throws Exception {
        HttpResponse<String> response = send("PUT", "/faults", "{}");
        assertError(response, 405, "not allowed");
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, POST");
    }

    private void assertError(HttpResponse<String> response, int status, String reason) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json.readTree(response.body()).get("error").asText()).contains(reason);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
