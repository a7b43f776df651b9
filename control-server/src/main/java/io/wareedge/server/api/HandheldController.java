package io.wareedge.server.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.wareedge.server.picking.HandheldSessions;
import io.wareedge.server.picking.PickTasks;
import io.wareedge.server.picking.PickingException;
import io.wareedge.server.picking.PickingViews;

import java.net.URI;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What handheld scanners call. Open to anonymous HTTP: a picker logs in with badge and PIN and then sends the
 * session token in the {@code X-Picker-Session} header (not {@code Authorization}, which belongs to the API's
 * users and tokens).
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "handheld")
class HandheldController {
    static final String SESSION_HEADER = "X-Picker-Session";

    private final HandheldSessions sessions;
    private final PickTasks tasks;

    HandheldController(HandheldSessions sessions, PickTasks tasks) {
        this.sessions = sessions;
        this.tasks = tasks;
    }

    @Get("/handheld")
    HttpResponse<?> page() {
        return HttpResponse.seeOther(URI.create("/handheld/index.html"));
    }

    @Operation(summary = "Log in a picker: {badge, pin} → session token (wrong PINs lock the badge after a few tries)")
    @Post(uri = "/api/handheld/login", consumes = MediaType.APPLICATION_JSON)
    HttpResponse<?> login(@Body PickingViews.Login login) throws SQLException {
        try {
            return HttpResponse.ok(sessions.login(login.badge(), login.pin()));
        } catch (PickingException e) {
            return Problems.of(e);
        }
    }

    @Operation(summary = "Log out: the tasks the picker holds go back to the pool")
    @Post("/api/handheld/logout")
    HttpResponse<?> logout(@Nullable @Header(SESSION_HEADER) String token) throws SQLException {
        sessions.logout(token);
        return HttpResponse.noContent();
    }

    @Operation(summary = "The picker's current task and the rest of the walk; 204 when there is nothing to pick")
    @Get("/api/handheld/task")
    HttpResponse<?> task(@Nullable @Header(SESSION_HEADER) String token) throws SQLException {
        Optional<String> badge = sessions.authenticate(token);
        if (badge.isEmpty()) {
            return loggedOut();
        }
        try {
            return tasks.next(badge.get()).<HttpResponse<?>>map(HttpResponse::ok).orElseGet(HttpResponse::noContent);
        } catch (PickingException e) {
            return Problems.of(e);
        }
    }

    @Operation(summary = "Record an action (confirm, short, skip, damage) under the handheld's own id: resending it "
            + "changes nothing. With next=true the answer also carries the picker's walk after it (as GET "
            + "/api/handheld/task would answer; absent when nothing is open), so a scan cycle is one request")
    @Post(uri = "/api/handheld/actions{?next}", consumes = MediaType.APPLICATION_JSON)
    HttpResponse<?> act(@Nullable @Header(SESSION_HEADER) String token, @Body PickingViews.Action action,
                        @QueryValue(defaultValue = "false") boolean next) throws SQLException {
        Optional<String> badge = sessions.authenticate(token);
        if (badge.isEmpty()) {
            return loggedOut();
        }
        try {
            return HttpResponse.ok(tasks.act(badge.get(), action, next));
        } catch (PickingException e) {
            return Problems.of(e);
        }
    }

    private static HttpResponse<?> loggedOut() {
        return Problems.of(new PickingException(PickingException.Kind.UNAUTHORIZED,
                "not logged in (the session ended or was replaced): scan your badge"));
    }
}
