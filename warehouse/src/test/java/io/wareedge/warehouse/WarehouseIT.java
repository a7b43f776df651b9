package io.wareedge.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The one-process warehouse as a new user meets it: started on embedded defaults, within a minute the API lists
 * every simulated device online with live values.
 */
class WarehouseIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path var;

    @Test
    void simulatedDevicesAreOnlineWithLiveValuesWithinAMinute() throws Exception {
        System.setProperty("wareedge.sim.picker-speed", "5");
        try (Warehouse warehouse = Warehouse.start(var, 0, 0, "secret-pw")) {
            String base = warehouse.server().url().toString().replaceAll("/$", "");
            HttpClient http = HttpClient.newHttpClient();
            String auth = "Basic " + Base64.getEncoder().encodeToString("admin:secret-pw".getBytes(StandardCharsets.UTF_8));
            int configured = warehouse.agent().config().devices().size();

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                JsonNode devices = get(http, base + "/api/devices", auth);
                long online = 0;
                for (JsonNode d : devices) {
                    if ("ONLINE".equals(d.path("state").asText())) {
                        online++;
                    }
                }
                return online == configured;
            });

            // The sorter sorts: its edge agent decides, the control server counts.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    get(http, base + "/api/sites/dc-north/sorters/sorter-1/stats", auth).path("totals").path("sorted").asLong() > 0);

            // Simulated pickers pick through the handheld API; the page for people is served to anyone.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                    get(http, base + "/api/sites/dc-north/picking/stats", auth).path("picks").asLong() > 0);
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/handheld/index.html")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Scan your badge");

            JsonNode climate = get(http, base + "/api/devices/dc-north/gateway-1/aisle-3-climate", auth);
            JsonNode temperature = null;
            for (JsonNode m : climate.path("metrics")) {
                if ("temperature".equals(m.path("name").asText())) {
                    temperature = m;
                }
            }
            assertThat(temperature).isNotNull();
            assertThat(temperature.path("value").isNumber()).isTrue();
            assertThat(temperature.path("unit").asText()).isEqualTo("degC");

            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/api/devices")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
        } finally {
            System.clearProperty("wareedge.sim.picker-speed");
        }
    }

    private static JsonNode get(HttpClient http, String url, String auth) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
