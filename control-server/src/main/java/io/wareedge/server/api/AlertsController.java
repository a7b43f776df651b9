package io.wareedge.server.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.wareedge.profiles.Durations;
import io.wareedge.server.alerts.AlertCommand;
import io.wareedge.server.alerts.AlertEvent;
import io.wareedge.server.alerts.AlertException;
import io.wareedge.server.alerts.AlertFeed;
import io.wareedge.server.alerts.AlertView;
import io.wareedge.server.alerts.Alerts;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

import java.security.Principal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The maintenance feed: alerts, what people do to them, the live stream with resume, statistics (MTTA, MTTR),
 * devices out of service, webhook delivery.
 */
@Controller("/api/alerts")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "alerts")
class AlertsController {
    /** Events a slow stream client may fall behind by before it is cut off (it then resumes with Last-Event-ID). */
    private static final int STREAM_BUFFER = 10_000;
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final Alerts alerts;

    AlertsController(Alerts alerts) {
        this.alerts = alerts;
    }

    @Serdeable
    record AlertList(long lastEventId, List<AlertView> alerts) {
    }

    @Serdeable
    record Note(@Nullable String comment) {
    }

    /** {@code until} (ISO-8601) or {@code for} ("30m"), and a reason. */
    @Serdeable
    record ShelveRequest(@Nullable String reason, @Nullable String until, @Nullable String forDuration) {
    }

    @Serdeable
    record ServiceRequest(@Nullable String source, @Nullable String reason) {
    }

    @Operation(summary = "Alerts: open ones by severity then age; filter by state (open, active, acknowledged,"
            + " cleared, closed, all), area, source, rule, severity. lastEventId: subscribe to the stream after it")
    @Get("{?state,area,source,rule,severity,limit}")
    HttpResponse<?> list(@Nullable @QueryValue String state, @Nullable @QueryValue String area,
                         @Nullable @QueryValue String source, @Nullable @QueryValue String rule,
                         @Nullable @QueryValue String severity,
                         @QueryValue(defaultValue = "500") @Min(1) @Max(5000) int limit) throws SQLException {
        String s = state == null ? "open" : state;
        if (!List.of("open", "active", "acknowledged", "cleared", "closed", "all").contains(s)) {
            return Problems.badRequest("state must be open, active, acknowledged, cleared, closed or all");
        }
        // Read the position first: events after it may already show in the list, and replaying them is harmless.
        long last = alerts.feed().lastEventId();
        return HttpResponse.ok(new AlertList(last, alerts.list(new Alerts.Filter(s, area, source, rule, severity, limit))));
    }

    @Operation(summary = "One alert")
    @Get("/{id}")
    HttpResponse<?> get(@PathVariable long id) throws SQLException {
        return alerts.get(id).<HttpResponse<?>>map(HttpResponse::ok).orElseGet(() -> Problems.notFound("no alert " + id));
    }

    @Operation(summary = "An alert's audit trail: every change, who made it, when, with comments")
    @Get("/{id}/history")
    HttpResponse<?> history(@PathVariable long id) throws SQLException {
        if (alerts.get(id).isEmpty()) {
            return Problems.notFound("no alert " + id);
        }
        return HttpResponse.ok(alerts.history(id));
    }

    @Operation(summary = "Acknowledge: someone is on it. A cleared alert closes when acknowledged")
    @Post("/{id}/acknowledge")
    HttpResponse<?> acknowledge(@PathVariable long id, @Nullable @Body Note note, Principal user) {
        return run(new AlertCommand.Acknowledge(id, user.getName(), note == null ? null : note.comment()));
    }

    @Operation(summary = "Shelve until a time (until) or for a while (forDuration, e.g. 30m), with a reason")
    @Post("/{id}/shelve")
    HttpResponse<?> shelve(@PathVariable long id, @Nullable @Body ShelveRequest body, Principal user) {
        if (body == null) {
            return Problems.badRequest("give a reason and until (ISO-8601) or forDuration (e.g. 30m)");
        }
        Instant until;
        try {
            if (body.until() != null) {
                until = Instant.parse(body.until());
            } else if (body.forDuration() != null) {
                Duration d = Durations.parse(body.forDuration());
                until = Instant.now().plus(d);
            } else {
                return Problems.badRequest("give until (ISO-8601) or forDuration (e.g. 30m)");
            }
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return Problems.badRequest("until must be an ISO-8601 instant and forDuration a duration like 30m: "
                    + e.getMessage());
        }
        return run(new AlertCommand.Shelve(id, user.getName(), body.reason(), until));
    }

    @Operation(summary = "Take an alert off the shelf before its expiry")
    @Post("/{id}/unshelve")
    HttpResponse<?> unshelve(@PathVariable long id, Principal user) {
        return run(new AlertCommand.Unshelve(id, user.getName()));
    }

    @Operation(summary = "Resolve: the fault is dealt with; closes the alert (acknowledging it if nobody had)")
    @Post("/{id}/resolve")
    HttpResponse<?> resolve(@PathVariable long id, @Nullable @Body Note note, Principal user) {
        return run(new AlertCommand.Resolve(id, user.getName(), note == null ? null : note.comment()));
    }

    @Operation(summary = "Add a comment to an open alert's trail")
    @Post("/{id}/comments")
    HttpResponse<?> comment(@PathVariable long id, @Nullable @Body Note note, Principal user) {
        return run(new AlertCommand.Comment(id, user.getName(), note == null ? null : note.comment()));
    }

    @Operation(summary = "The live feed (server-sent events): each event's id is its feed position; reconnect with"
            + " Last-Event-ID (or ?after=) to get every event missed, once and in order")
    @Get(value = "/stream{?after}", produces = MediaType.TEXT_EVENT_STREAM)
    Flux<Event<Object>> stream(@Nullable @Header("Last-Event-ID") String lastEventId,
                                   @Nullable @QueryValue Long after) {
        long from;
        try {
            from = lastEventId != null && !lastEventId.isBlank() ? Long.parseLong(lastEventId.trim())
                    : after != null ? after : -1;
        } catch (NumberFormatException e) {
            return Flux.error(new IllegalArgumentException("Last-Event-ID must be an event id"));
        }
        Flux<Event<Object>> events = Flux.<AlertEvent>create(sink -> {
            try {
                AlertFeed.Subscription s = alerts.feed().subscribe(from, sink::next);
                sink.onDispose(s::close);
            } catch (SQLException e) {
                sink.error(e);
            }
        }, FluxSink.OverflowStrategy.BUFFER)
                .onBackpressureBuffer(STREAM_BUFFER, dropped -> { }, BufferOverflowStrategy.ERROR)
                .map(e -> Event.<Object>of(e).id(Long.toString(e.id())).name(e.action()));
        // "ready" at once (so the client sees the answer before the first alert), "heartbeat" now and then (so
        // proxies keep an idle stream open); neither has an id, so neither moves the client's resume point.
        Flux<Event<Object>> ready = Flux.just(Event.<Object>of(Map.of("lastEventId", alerts.feed().lastEventId()))
                .name("ready"));
        Flux<Event<Object>> heartbeats = Flux.interval(HEARTBEAT)
                .map(i -> Event.<Object>of(Map.of("at", Instant.now().toString())).name("heartbeat"));
        return Flux.merge(ready.concatWith(events), heartbeats);
    }

    @Operation(summary = "Counts, MTTA and MTTR of alerts raised in a range, by device, area or rule")
    @Get("/stats{?by,from,to}")
    HttpResponse<?> stats(@Nullable @QueryValue String by, @Nullable @QueryValue String from,
                          @Nullable @QueryValue String to) throws SQLException {
        try {
            Problems.Range r = Problems.range(from, to, Duration.ofDays(1), Duration.ofDays(93));
            return HttpResponse.ok(alerts.stats(by == null ? "rule" : by, r.from(), r.to()));
        } catch (IllegalArgumentException e) {
            return Problems.badRequest(e.getMessage());
        }
    }

    @Operation(summary = "What the alert service did since start, and its queue")
    @Get("/health")
    HttpResponse<?> health() {
        return HttpResponse.ok(alerts.counters());
    }

    @Operation(summary = "Devices out of service (under maintenance)")
    @Get("/out-of-service")
    HttpResponse<?> outOfService() throws SQLException {
        return HttpResponse.ok(alerts.outOfService());
    }

    @Operation(summary = "Take a device (group/node/device) out of service, with a reason: its conditions raise nothing")
    @Post("/out-of-service")
    HttpResponse<?> takeOutOfService(@Nullable @Body ServiceRequest body, Principal user) {
        if (body == null || body.source() == null) {
            return Problems.badRequest("give source (group/node/device) and reason");
        }
        return run(new AlertCommand.OutOfService(body.source(), user.getName(), body.reason()));
    }

    @Operation(summary = "Put a device back in service: conditions that hold now raise alerts")
    @Delete("/out-of-service{?source}")
    HttpResponse<?> returnToService(@Nullable @QueryValue String source, Principal user) {
        if (source == null) {
            return Problems.badRequest("give source (group/node/device)");
        }
        return run(new AlertCommand.ReturnToService(source, user.getName()));
    }

    @Operation(summary = "Webhook endpoints: position in the feed, delivered, failed attempts, abandoned, refused")
    @Get("/webhooks")
    HttpResponse<?> webhooks() {
        return HttpResponse.ok(alerts.webhooks());
    }

    @Operation(summary = "An endpoint's delivery log, newest first: every attempt with its outcome and time")
    @Get("/webhooks/{name}/deliveries{?limit}")
    HttpResponse<?> deliveries(@PathVariable String name,
                               @QueryValue(defaultValue = "100") @Min(1) @Max(5000) int limit) throws SQLException {
        return alerts.deliveries(name, limit).<HttpResponse<?>>map(HttpResponse::ok)
                .orElseGet(() -> Problems.notFound("no webhook endpoint " + name));
    }

    private HttpResponse<?> run(AlertCommand command) {
        try {
            AlertView v = alerts.execute(command);
            return v == null ? HttpResponse.noContent() : HttpResponse.ok(v);
        } catch (AlertException e) {
            HttpStatus status = switch (e.kind()) {
                case BAD_REQUEST -> HttpStatus.BAD_REQUEST;
                case NOT_FOUND -> HttpStatus.NOT_FOUND;
                case CONFLICT -> HttpStatus.CONFLICT;
                case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            };
            return HttpResponse.status(status).body(Map.of("error", e.getMessage()));
        }
    }
}
