package io.wareedge.server.testing;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** Blocking JSON client for the control server's API with HTTP Basic credentials. */
public final class ApiClient implements AutoCloseable {
    private final HttpClient http;
    private final BlockingHttpClient client;
    private final String user;
    private final String password;

    public ApiClient(URI url, String user, String password) {
        try {
            this.http = HttpClient.create(url.toURL());
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(url.toString(), e);
        }
        this.client = http.toBlocking();
        this.user = user;
        this.password = password;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> object(String path) {
        return client.retrieve(auth(HttpRequest.GET(path)), Argument.mapOf(String.class, Object.class));
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> list(String path) {
        return (List<Map<String, Object>>) (List<?>) client.retrieve(auth(HttpRequest.GET(path)),
                Argument.listOf(Argument.mapOf(String.class, Object.class)));
    }

    /** POSTs a body of the given content type and returns the JSON object answered; fails on 4xx/5xx. */
    public Map<String, Object> post(String path, String body, String contentType) {
        return client.retrieve(auth(HttpRequest.POST(path, body).contentType(contentType)),
                Argument.mapOf(String.class, Object.class));
    }

    /** The HTTP status of a GET, without failing on 4xx. */
    public int status(MutableHttpRequest<?> request) {
        try {
            return client.exchange(request).getStatus().getCode();
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }

    public BlockingHttpClient raw() {
        return client;
    }

    private <T> MutableHttpRequest<T> auth(MutableHttpRequest<T> request) {
        return request.basicAuth(user, password);
    }

    @Override
    public void close() {
        http.close();
    }
}
