package io.wareedge.server.alerts;

import io.micronaut.serde.annotation.Serdeable;

/**
 * What the alert thread did since start.
 *
 * @param conditionsRaised    rule conditions that became active (whether or not they made an alert)
 * @param alertsRaised        alerts raised (new ones; a chattering alert coming back counts in reactivations)
 * @param reactivations       open alerts whose condition came back
 * @param suppressedByDesign  conditions that raised no alert because their cause was active in the area
 * @param suppressedOutOfService conditions on devices out of service
 * @param floodSuppressed     alerts raised hidden behind their area's flood alert
 * @param kpiDropped          KPI judgements dropped because the alert thread was busy (they come again next round)
 * @param storeFailures       failed writes, retried
 */
@Serdeable
public record AlertCounters(long conditionsRaised, long alertsRaised, long reactivations, long suppressedByDesign,
                            long suppressedOutOfService, long floodSuppressed, long kpiDropped, long storeFailures,
                            long openAlerts, int queued) {
}
