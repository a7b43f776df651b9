package io.wareedge.server.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;

/**
 * The maintenance alert board page (static files under {@code /alerts/}). Open to anonymous HTTP: the page holds no
 * data; it logs the user in and reads {@code /api/alerts} with the token.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "alerts")
class AlertBoardController {

    /**
     * The address people type. Routes match with or without a trailing slash, so a redirect to {@code /alerts/}
     * would answer itself; the page's own name ends the loop.
     */
    @Operation(summary = "The maintenance alert board page (redirects to /alerts/index.html)")
    @Get("/alerts")
    HttpResponse<?> page() {
        return HttpResponse.seeOther(URI.create("/alerts/index.html"));
    }
}
