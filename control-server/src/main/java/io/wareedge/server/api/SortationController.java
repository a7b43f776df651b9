package io.wareedge.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.wareedge.server.sortation.SortPlans;
import io.wareedge.server.sortation.SortQueries;
import io.wareedge.server.sortation.SortViews;
import io.wareedge.sortation.PlanException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Sort plans (layouts, uploaded codes, orders' units) and what sorters did with them. A plan change is pushed to
 * the sorter's edge agent within a fraction of a second; the agent, not this server, decides each divert.
 */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sortation")
class SortationController {
    /** Longest range one stats request may cover: per-minute buckets of a week are 10,080 rows. */
    private static final Duration MAX_RANGE = Duration.ofDays(7);

    private final SortPlans plans;
    private final SortQueries queries;
    private final ObjectMapper json;

    SortationController(SortPlans plans, SortQueries queries, ObjectMapper json) {
        this.plans = plans;
        this.queries = queries;
        this.json = json;
    }

    @Operation(summary = "Create or replace a sorter's layout (chutes, destinations, reject chute, rules); bumps the plan version")
    @Put(uri = "/sites/{site}/sorters/{sorter}/layout", consumes = MediaType.APPLICATION_JSON)
    HttpResponse<?> putLayout(@PathVariable String site, @PathVariable String sorter, @Body String body) throws SQLException {
        try {
            return HttpResponse.ok(plans.putLayout(site, sorter, body.getBytes(StandardCharsets.UTF_8)));
        } catch (PlanException e) {
            return badRequest(e.getMessage());
        }
    }

    @Operation(summary = "A sorter's layout")
    @Get(uri = "/sites/{site}/sorters/{sorter}/layout", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> layout(@PathVariable String site, @PathVariable String sorter) throws SQLException {
        return plans.layout(site, sorter).map(JsonNode::toString).map(HttpResponse::ok).orElseGet(HttpResponse::notFound);
    }

    @Operation(summary = "The sorters of a site with their plan version and size")
    @Get("/sites/{site}/sorters")
    List<SortViews.SorterView> sorters(@PathVariable String site) throws SQLException {
        return plans.sorters(site);
    }

    @Operation(summary = "Replace every uploaded code assignment of a sorter (JSON [{code, destination}] or CSV code,destination)")
    @Put(uri = "/sites/{site}/sorters/{sorter}/plan", consumes = {MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> replacePlan(@PathVariable String site, @PathVariable String sorter, @Body String body,
                                @Nullable @io.micronaut.http.annotation.Header("Content-Type") String contentType)
            throws SQLException {
        return upload(site, sorter, body, contentType, true);
    }

    @Operation(summary = "Add or change code assignments of a sorter (JSON [{code, destination}] or CSV code,destination)")
    @Post(uri = "/sites/{site}/sorters/{sorter}/plan/codes", consumes = {MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> addCodes(@PathVariable String site, @PathVariable String sorter, @Body String body,
                             @Nullable @io.micronaut.http.annotation.Header("Content-Type") String contentType)
            throws SQLException {
        return upload(site, sorter, body, contentType, false);
    }

    private HttpResponse<?> upload(String site, String sorter, String body, String contentType, boolean replace)
            throws SQLException {
        List<SortViews.Assignment> rows;
        if (contentType != null && contentType.startsWith("text/csv")) {
            rows = SortPlans.parseCsv(body);
        } else {
            try {
                rows = List.of(json.readValue(body, SortViews.Assignment[].class));
            } catch (IOException | RuntimeException e) {
                return badRequest("body must be a JSON array of {code, destination}: " + e.getMessage());
            }
        }
        try {
            return HttpResponse.ok(plans.putCodes(site, sorter, rows, replace));
        } catch (SortPlans.UnknownSorterException e) {
            return notFound(e.getMessage());
        }
    }

    @Operation(summary = "Remove an uploaded code assignment")
    @Delete("/sites/{site}/sorters/{sorter}/plan/codes/{code}")
    HttpResponse<?> deleteCode(@PathVariable String site, @PathVariable String sorter, @PathVariable String code)
            throws SQLException {
        try {
            return plans.deleteCode(site, sorter, code) ? HttpResponse.noContent() : notFound("no uploaded code " + code);
        } catch (SortPlans.UnknownSorterException e) {
            return notFound(e.getMessage());
        }
    }

    @Operation(summary = "A sorter's current plan: version and code → destination, paged by code")
    @Get("/sites/{site}/sorters/{sorter}/plan{?offset,limit}")
    HttpResponse<?> plan(@PathVariable String site, @PathVariable String sorter,
                         @QueryValue(defaultValue = "0") int offset, @QueryValue(defaultValue = "1000") int limit)
            throws SQLException {
        if (offset < 0 || limit < 1 || limit > 100_000) {
            return badRequest("offset must be >= 0 and limit 1..100000");
        }
        try {
            return HttpResponse.ok(plans.plan(site, sorter, offset, limit));
        } catch (SortPlans.UnknownSorterException e) {
            return notFound(e.getMessage());
        }
    }

    @Operation(summary = "A sorter's counts per minute or hour: inducted, sorted, recirculated, rejected, no-reads, multi-reads, accuracy")
    @Get("/sites/{site}/sorters/{sorter}/stats{?bucket,from,to}")
    HttpResponse<?> stats(@PathVariable String site, @PathVariable String sorter,
                          @QueryValue(defaultValue = "minute") String bucket, @Nullable @QueryValue String from,
                          @Nullable @QueryValue String to) throws SQLException {
        if (!bucket.equals("minute") && !bucket.equals("hour")) {
            return badRequest("bucket must be minute or hour, got '" + bucket + "'");
        }
        Problems.Range range;
        try {
            range = Problems.range(from, to, Duration.ofHours(1), MAX_RANGE);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        if (!queries.sorterExists(site, sorter)) {
            return notFound("no sorter " + sorter + " in site " + site);
        }
        return HttpResponse.ok(queries.stats(site, sorter, bucket, range.from(), range.to()));
    }

    @Operation(summary = "One item on a sorter: every pass with its decision and result")
    @Get("/sites/{site}/sorters/{sorter}/items/{seq}")
    HttpResponse<SortViews.ItemView> item(@PathVariable String site, @PathVariable String sorter, @PathVariable long seq)
            throws SQLException {
        return queries.item(site, sorter, seq).map(HttpResponse::ok).orElseGet(HttpResponse::notFound);
    }

    private static HttpResponse<?> badRequest(String message) {
        return Problems.badRequest(message);
    }

    private static HttpResponse<?> notFound(String message) {
        return Problems.notFound(message);
    }
}
