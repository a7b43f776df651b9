package io.wareedge.server.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
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
import io.wareedge.server.registry.DeviceState;
import io.wareedge.server.registry.RegistryQueries;
import io.wareedge.server.registry.Views;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.util.List;

/** Edge nodes, devices, their live state, last values and readings. */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "registry")
class RegistryController {
    private final RegistryQueries queries;

    RegistryController(RegistryQueries queries) {
        this.queries = queries;
    }

    @Operation(summary = "All edge nodes with their session state and device counts")
    @Get("/edge-nodes")
    List<Views.EdgeNodeView> edgeNodes() {
        return queries.edgeNodes();
    }

    @Operation(summary = "One edge node: session, own metrics and devices")
    @Get("/edge-nodes/{group}/{node}")
    HttpResponse<Views.EdgeNodeDetail> edgeNode(@PathVariable String group, @PathVariable String node) {
        return queries.edgeNode(group, node).map(HttpResponse::ok).orElseGet(HttpResponse::notFound);
    }

    @Operation(summary = "Devices, optionally filtered by state (ONLINE, STALE, OFFLINE), group and edge node")
    @Get("/devices{?state,group,node}")
    List<Views.DeviceView> devices(@Nullable @QueryValue DeviceState state, @Nullable @QueryValue String group,
                                   @Nullable @QueryValue String node) {
        return queries.devices(state, group, node);
    }

    @Operation(summary = "One device: state, profile and the last value of every metric with unit, quality and timestamp")
    @Get("/devices/{group}/{node}/{device}")
    HttpResponse<Views.DeviceDetail> device(@PathVariable String group, @PathVariable String node,
                                            @PathVariable String device) {
        return queries.device(group, node, device).map(HttpResponse::ok).orElseGet(HttpResponse::notFound);
    }

    @Operation(summary = "Recent readings of a device, newest first, optionally of one metric")
    @Get("/devices/{group}/{node}/{device}/readings{?metric,limit}")
    List<Views.ReadingView> readings(@PathVariable String group, @PathVariable String node, @PathVariable String device,
                                     @Nullable @QueryValue String metric,
                                     @QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit) {
        return queries.readings(group, node, device, metric, limit);
    }

    @Operation(summary = "Events edge agents reported (kind interlock: rule, trigger, each action's answer), newest first")
    @Get(uri = "/sites/{site}/edge-events{?kind,limit}", produces = io.micronaut.http.MediaType.APPLICATION_JSON)
    String edgeEvents(@PathVariable String site, @QueryValue(defaultValue = "interlock") String kind,
                      @QueryValue(defaultValue = "100") @Min(1) @Max(10_000) int limit) {
        StringBuilder out = new StringBuilder("[");
        for (io.wareedge.server.registry.EdgeEvent e : queries.edgeEvents(site, kind, limit)) {
            if (out.length() > 1) {
                out.append(',');
            }
            // the event is stored as the agent's JSON object: embedded as it is, not re-encoded
            out.append("{\"site\":").append(quote(e.site())).append(",\"agent\":").append(quote(e.agent()))
                    .append(",\"kind\":").append(quote(e.kind())).append(",\"id\":").append(e.id())
                    .append(",\"at\":\"").append(e.at()).append("\",\"event\":").append(e.json()).append('}');
        }
        return out.append(']').toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
