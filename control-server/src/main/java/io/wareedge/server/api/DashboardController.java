package io.wareedge.server.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.net.URI;

/**
 * The operations dashboard page (static files under {@code /dashboard/}, its charting library under
 * {@code /dashboard/lib/}). Open to anonymous HTTP: the page holds no data; it logs the user in and reads the KPI,
 * device, alert and order APIs with the token.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@Tag(name = "kpis")
class DashboardController {

    /**
     * The address people type. Routes match with or without a trailing slash, so a redirect to {@code /dashboard/}
     * would answer itself; the page's own name ends the loop. The query ({@code ?site=}) goes along.
     */
    @Operation(summary = "The operations dashboard page (redirects to /dashboard/index.html)")
    @Get("/dashboard")
    HttpResponse<?> page(HttpRequest<?> request) {
        String query = request.getUri().getRawQuery();
        return HttpResponse.seeOther(URI.create("/dashboard/index.html" + (query == null ? "" : "?" + query)));
    }
}
