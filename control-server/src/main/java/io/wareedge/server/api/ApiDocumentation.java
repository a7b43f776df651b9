package io.wareedge.server.api;

import io.micronaut.serde.annotation.SerdeImport;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.wareedge.server.registry.Views;

/**
 * OpenAPI document header (micronaut-openapi writes {@code META-INF/swagger/wareedge-control-server-0.1.yml}, served
 * anonymously under {@code /swagger/}) and serialization of the registry's views, which carry no Micronaut types.
 */
@OpenAPIDefinition(
        info = @Info(title = "wareedge-control-server", version = "0.1",
                description = "WareEdge control server: Sparkplug B host, device registry and live state, sortation, orders and picking"),
        security = {@SecurityRequirement(name = "basicAuth"), @SecurityRequirement(name = "bearerAuth")})
@SecurityScheme(name = "basicAuth", type = SecuritySchemeType.HTTP, scheme = "basic")
@SecurityScheme(name = "bearerAuth", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
@SerdeImport(Views.EdgeNodeView.class)
@SerdeImport(io.wareedge.server.sortation.SortViews.SorterView.class)
@SerdeImport(io.wareedge.server.sortation.SortViews.LayoutResult.class)
@SerdeImport(io.wareedge.server.sortation.SortViews.RejectedRow.class)
@SerdeImport(io.wareedge.server.sortation.SortViews.UploadResult.class)
@SerdeImport(io.wareedge.server.sortation.SortViews.Assignment.class)
@SerdeImport(io.wareedge.server.sortation.SortViews.PlanView.class)
@SerdeImport(io.wareedge.server.sortation.SortViews.UnitView.class)
@SerdeImport(io.wareedge.server.sortation.SortViews.OrderView.class)
@SerdeImport(io.wareedge.server.sortation.SortViews.Counts.class)
@SerdeImport(io.wareedge.server.sortation.SortViews.Bucket.class)
@SerdeImport(io.wareedge.server.sortation.SortViews.SorterStats.class)
@SerdeImport(io.wareedge.server.sortation.SortViews.PassView.class)
@SerdeImport(io.wareedge.server.sortation.SortViews.ItemView.class)
@SerdeImport(Views.EdgeNodeDetail.class)
@SerdeImport(Views.DeviceView.class)
@SerdeImport(Views.DeviceDetail.class)
@SerdeImport(Views.MetricView.class)
@SerdeImport(Views.ReadingView.class)
@SerdeImport(Views.DeadLetterView.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.ZoneIn.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.SkuIn.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.LocationIn.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.PickerIn.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.RowProblem.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.ImportResult.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.Login.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.LoginResult.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.Action.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.ActionResult.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.TaskView.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.Assignment.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.ZoneView.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.LineView.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.TaskBrief.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.PickerStat.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.ZoneStat.class)
@SerdeImport(io.wareedge.server.picking.PickingViews.PickingStats.class)
@SerdeImport(io.wareedge.server.orders.OrderIn.class)
@SerdeImport(io.wareedge.server.orders.OrderIn.LineIn.class)
@SerdeImport(io.wareedge.server.orders.OrderView.class)
interface ApiDocumentation {
}
