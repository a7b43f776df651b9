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
 * The addresses people type for the supervisors' pages: the maintenance alert board (static files under
 * {@code /alerts/}) and the operations dashboard (under {@code /dashboard/}, its charting library under
 * {@code /dashboard/lib/}). Open to anonymous HTTP: the pages hold no data; they log the user in and read the APIs
 * with the token.
 *
 * <p>Routes match with or without a trailing slash, so a redirect to {@code /alerts/} would answer itself; the
 * page's own name ends the loop. The query ({@code ?site=}) goes along.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
class PagesController {

    @Operation(summary = "The maintenance alert board page (redirects to /alerts/index.html)")
    @Tag(name = "alerts")
    @Get("/alerts")
    HttpResponse<?> alertBoard(HttpRequest<?> request) {
        return page("/alerts/index.html", request);
    }

    @Operation(summary = "The operations dashboard page (redirects to /dashboard/index.html)")
    @Tag(name = "kpis")
    @Get("/dashboard")
    HttpResponse<?> dashboard(HttpRequest<?> request) {
        return page("/dashboard/index.html", request);
    }

    private static HttpResponse<?> page(String path, HttpRequest<?> request) {
        String query = request.getUri().getRawQuery();
        return HttpResponse.seeOther(URI.create(path + (query == null ? "" : "?" + query)));
    }
}
