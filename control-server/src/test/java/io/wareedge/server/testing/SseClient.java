package io.wareedge.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server-sent events client for tests: reads a stream on its own thread and keeps every event it parsed, with
 * the time it arrived. {@link #close()} cuts the connection as a dropped network would.
 */
public final class SseClient implements AutoCloseable {

    /** One event as received. */
    public record Received(long id, String name, String data, long arrivedAtMillis) {
    }

    private final List<Received> events = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile InputStream body;
    private volatile int status;

    /**
     * @param lastEventId sent as {@code Last-Event-ID} when not null
     */
    public SseClient(URI url, String user, String password, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .header("Accept", "text/event-stream")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpRequest built = request.build();
        reader = new Thread(() -> read(built), "test-sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(HttpRequest request) {
        try {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            body = response.body();
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            long id = -1;
            String name = null;
            List<String> data = new ArrayList<>();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Received(id, name, String.join("\n", data), System.currentTimeMillis()));
                    }
                    id = -1;
                    name = null;
                    data.clear();
                } else if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).trim());
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.add(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                }
            }
        } catch (IOException e) {
            // closed by the test, or the server went away: the events so far stay
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<Received> events() {
        return List.copyOf(events);
    }

    public int status() {
        return status;
    }

    @Override
    public void close() {
        InputStream b = body;
        if (b != null) {
            try {
                b.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        reader.interrupt();
    }
}
