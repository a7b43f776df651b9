package io.wareedge.server.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.wareedge.server.kpi.KpiReports;
import io.wareedge.server.kpi.Kpis;

import java.sql.SQLException;
import java.time.Duration;

/** KPIs per minute, hour or shift, as JSON or CSV. */
@Controller("/api/sites/{site}/kpis")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "kpis")
class KpiController {
    private final Kpis kpis;

    KpiController(Kpis kpis) {
        this.kpis = kpis;
    }

    @Operation(summary = "KPIs of one kind (sortation, zones, pickers, orders, alerts) per minute, hour or shift;"
            + " range default the last 24 h (last hour for minutes); format=csv for a spreadsheet")
    @Get(value = "/{kind}{?bucket,from,to,format}", produces = {MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> report(@PathVariable String site, @PathVariable String kind, @Nullable @QueryValue String bucket,
                           @Nullable @QueryValue String from, @Nullable @QueryValue String to,
                           @Nullable @QueryValue String format) throws SQLException {
        String b = bucket == null ? "hour" : bucket;
        try {
            Problems.Range r = Problems.range(from, to, b.equals("minute") ? Duration.ofHours(1) : Duration.ofDays(1),
                    Duration.ofDays(93));
            KpiReports.Table table = kpis.report(kind, site, b, r.from(), r.to());
            if ("csv".equals(format)) {
                return HttpResponse.ok(KpiReports.csv(table)).contentType("text/csv; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"" + site + "-" + kind + "-" + b + ".csv\"");
            }
            return HttpResponse.ok(table).contentType(MediaType.APPLICATION_JSON_TYPE);
        } catch (IllegalArgumentException e) {
            return Problems.badRequest(e.getMessage());
        }
    }
}
