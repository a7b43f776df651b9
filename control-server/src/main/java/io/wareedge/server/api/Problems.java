package io.wareedge.server.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.wareedge.server.picking.PickingException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Error answers of the API: always {@code {"error": "..."}} with a message a person can act on. */
final class Problems {
    private Problems() {
    }

    static HttpResponse<?> badRequest(String message) {
        return HttpResponse.badRequest(Map.of("error", message));
    }

    static HttpResponse<?> notFound(String message) {
        return HttpResponse.notFound(Map.of("error", message));
    }

    static HttpResponse<?> of(PickingException e) {
        HttpStatus status = switch (e.kind()) {
            case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
            case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
            case LOCKED -> HttpStatus.LOCKED;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
        };
        return HttpResponse.status(status).body(Map.of("error", e.getMessage()));
    }

    /** A time range from optional ISO-8601 query values: default the last {@code defaultLength} up to now. */
    record Range(Instant from, Instant to) {
    }

    static Range range(String from, String to, Duration defaultLength, Duration max) {
        Instant end;
        Instant start;
        try {
            end = to == null ? Instant.now() : Instant.parse(to);
            start = from == null ? end.minus(defaultLength) : Instant.parse(from);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("from and to must be ISO-8601 instants like 2026-11-24T08:00:00Z: "
                    + e.getParsedString());
        }
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(max) > 0) {
            throw new IllegalArgumentException("from must be before to, and the range at most " + max.toDays() + " days");
        }
        return new Range(start, end);
    }
}
