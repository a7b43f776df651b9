package io.wareedge.server.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.wareedge.server.picking.Csv;
import io.wareedge.server.picking.PickingCatalog;
import io.wareedge.server.picking.PickingQueries;
import io.wareedge.server.picking.PickingViews;
import io.wareedge.server.picking.PickingViews.ImportResult;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The picking catalogue of a site (zones, SKUs, locations, pickers; JSON arrays or CSV files, bad rows reported
 * by row and field) and how picking goes (zones' state and tasks, rates, the share of orders picked in time).
 */
@Controller("/api/sites/{site}")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "picking")
class PickingController {
    private static final Duration MAX_RANGE = Duration.ofDays(31);

    private final PickingCatalog catalog;
    private final PickingQueries queries;
    private final ObjectMapper json;

    PickingController(PickingCatalog catalog, PickingQueries queries, ObjectMapper json) {
        this.catalog = catalog;
        this.queries = queries;
        this.json = json;
    }

    /** One catalogue import: JSON rows or CSV rows, written by {@code writer}. */
    private interface Writer<T> {
        ImportResult write(List<T> rows) throws SQLException;
    }

    private <T> HttpResponse<?> importRows(String body, String contentType, Class<T[]> type,
                                           Function<String, PickingCatalog.CsvImport<T>> csv, Writer<T> writer)
            throws SQLException {
        try {
            if (contentType != null && contentType.startsWith("text/csv")) {
                PickingCatalog.CsvImport<T> rows = csv.apply(body);
                return HttpResponse.ok(rows.renumber(writer.write(rows.rows())));
            }
            List<T> rows;
            try {
                rows = Arrays.asList(json.readValue(body, type));
            } catch (IOException | RuntimeException e) {
                return Problems.badRequest("body must be a JSON array: " + e.getMessage());
            }
            return HttpResponse.ok(writer.write(rows));
        } catch (Csv.CsvException e) {
            return Problems.badRequest("malformed CSV: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return Problems.badRequest(e.getMessage());
        }
    }

    @Operation(summary = "Add or change zones (CSV: zone,conveyor,fault_metrics); conveyor = group/node/device")
    @Post(uri = "/zones", consumes = {MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> zones(@PathVariable String site, @Body String body, @Nullable @Header("Content-Type") String type)
            throws SQLException {
        return importRows(body, type, PickingViews.ZoneIn[].class, PickingCatalog::zonesFromCsv,
                rows -> catalog.putZones(site, rows));
    }

    @Operation(summary = "Add or change SKUs (CSV: sku,description,barcodes,epcs; lists separated by |)")
    @Post(uri = "/skus", consumes = {MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> skus(@PathVariable String site, @Body String body, @Nullable @Header("Content-Type") String type)
            throws SQLException {
        return importRows(body, type, PickingViews.SkuIn[].class, PickingCatalog::skusFromCsv,
                rows -> catalog.putSkus(site, rows));
    }

    @Operation(summary = "Add or change storage locations (CSV: location,zone,aisle,bay,level,pick_seq,sku)")
    @Post(uri = "/locations", consumes = {MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> locations(@PathVariable String site, @Body String body, @Nullable @Header("Content-Type") String type)
            throws SQLException {
        return importRows(body, type, PickingViews.LocationIn[].class, PickingCatalog::locationsFromCsv,
                rows -> catalog.putLocations(site, rows));
    }

    @Operation(summary = "Add or change pickers (CSV: badge,name,pin,roles,zones; lists separated by |)")
    @Post(uri = "/pickers", consumes = {MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> pickers(@PathVariable String site, @Body String body, @Nullable @Header("Content-Type") String type)
            throws SQLException {
        return importRows(body, type, PickingViews.PickerIn[].class, PickingCatalog::pickersFromCsv,
                rows -> catalog.putPickers(site, rows));
    }

    @Operation(summary = "Zones with their conveyor's fault state and their tasks by state")
    @Get("/zones")
    List<PickingViews.ZoneView> zoneList(@PathVariable String site) throws SQLException {
        return queries.zones(site);
    }

    @Operation(summary = "Picking over a range: orders picked within the cycle target, cycle-time p50/p90, picks per hour per picker and zone, short-picks")
    @Get("/picking/stats{?from,to}")
    HttpResponse<?> stats(@PathVariable String site, @Nullable @QueryValue String from, @Nullable @QueryValue String to)
            throws SQLException {
        Problems.Range range;
        try {
            range = Problems.range(from, to, Duration.ofHours(1), MAX_RANGE);
        } catch (IllegalArgumentException e) {
            return Problems.badRequest(e.getMessage());
        }
        return HttpResponse.ok(queries.stats(site, range.from(), range.to()));
    }
}
