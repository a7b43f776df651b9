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
import io.wareedge.server.orders.OrderAtRisk;
import io.wareedge.server.orders.OrderIn;
import io.wareedge.server.orders.OrderIntake;
import io.wareedge.server.orders.OrderQueries;
import io.wareedge.server.orders.OrderRows;
import io.wareedge.server.orders.OrderView;
import io.wareedge.server.picking.Csv;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * Orders: in through the API or a file (JSON or CSV), out as their state from arrival to shipping. An order goes
 * in whole or is refused with the row and field at fault; the other orders of the same request go in.
 */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "orders")
class OrdersController {
    private final OrderIntake intake;
    private final OrderQueries queries;
    private final ObjectMapper json;

    OrdersController(OrderIntake intake, OrderQueries queries, ObjectMapper json) {
        this.intake = intake;
        this.queries = queries;
        this.json = json;
    }

    @Operation(summary = "Orders (one object or an array): {id, site, priority, dueAt, lines [{line, sku, quantity}], destination, codes}")
    @Post(uri = "/orders", consumes = MediaType.APPLICATION_JSON)
    HttpResponse<?> addOrders(@Body String body) throws SQLException {
        List<OrderIn> orders;
        try {
            String trimmed = body.strip();
            orders = trimmed.startsWith("[") ? java.util.Arrays.asList(json.readValue(trimmed, OrderIn[].class))
                    : List.of(json.readValue(trimmed, OrderIn.class));
        } catch (IOException | RuntimeException e) {
            return Problems.badRequest("body must be an order {id, site, lines | destination + codes} or an array of them: "
                    + e.getMessage());
        }
        return HttpResponse.ok(intake.add(OrderRows.fromJson(orders)));
    }

    @Operation(summary = "Import an order file for a site: CSV (order,line,sku,quantity,priority,due,destination,codes) or a JSON array")
    @Post(uri = "/sites/{site}/orders/import", consumes = {MediaType.APPLICATION_JSON, "text/csv"})
    HttpResponse<?> importOrders(@PathVariable String site, @Body String body,
                                 @Nullable @Header("Content-Type") String contentType) throws SQLException {
        if (contentType != null && contentType.startsWith("text/csv")) {
            try {
                return HttpResponse.ok(intake.add(OrderRows.fromCsv(site, body)));
            } catch (Csv.CsvException e) {
                return Problems.badRequest("malformed CSV: " + e.getMessage());
            }
        }
        List<OrderIn> orders;
        try {
            orders = java.util.Arrays.asList(json.readValue(body, OrderIn[].class));
        } catch (IOException | RuntimeException e) {
            return Problems.badRequest("body must be a JSON array of orders: " + e.getMessage());
        }
        List<OrderIn> ofSite = orders.stream().map(o -> o == null || o.site() != null ? o
                : new OrderIn(o.id(), site, o.destination(), o.codes(), o.priority(), o.dueAt(), o.lines())).toList();
        return HttpResponse.ok(intake.add(OrderRows.fromJson(ofSite)));
    }

    @Operation(summary = "An order: state (open, picking, picked, sorted, shipped), cycle times, lines with their picks, units with their sorts")
    @Get("/orders/{id}")
    HttpResponse<OrderView> order(@PathVariable String id) throws SQLException {
        return queries.order(id).map(HttpResponse::ok).orElseGet(HttpResponse::notFound);
    }

    @Operation(summary = "A site's orders not fully picked yet, oldest first, with the seconds left to the cycle target (negative: late)")
    @Get("/sites/{site}/orders/at-risk{?limit}")
    List<OrderAtRisk> atRisk(@PathVariable String site,
                             @QueryValue(defaultValue = "20") @Min(1) @Max(500) int limit) throws SQLException {
        return queries.atRisk(site, limit);
    }

    @Operation(summary = "Mark an order shipped")
    @Post("/orders/{id}/shipped")
    HttpResponse<?> shipped(@PathVariable String id) throws SQLException {
        return queries.ship(id) ? HttpResponse.noContent() : Problems.notFound("no order " + id);
    }
}
