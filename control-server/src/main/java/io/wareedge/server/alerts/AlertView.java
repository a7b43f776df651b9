package io.wareedge.server.alerts;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * An alert as the API, the feed and webhooks show it.
 *
 * @param state          active (condition holds, nobody acknowledged), acknowledged (holds, someone is on it),
 *                       cleared (condition gone, waiting for an acknowledgement or resolution) or closed
 * @param source         what the fault is on: {@code group/node/device}, {@code sorter:site/sorter} or {@code area:name}
 * @param conditionSince when the first reading that met the condition was taken (at the edge)
 * @param suppressedBy   why the alert is hidden by design, e.g. {@code flood:line-1} or {@code out-of-service}
 * @param occurrences    how often the condition came back while this alert was open (chattering)
 */
@Serdeable
public record AlertView(long id, String rule, String ruleSource, String source, String area, String severity,
                        String message, boolean latch, String state, boolean active, boolean acknowledged,
                        Instant conditionSince, Instant raisedAt, String value, Instant ackedAt, String ackedBy,
                        Instant clearedAt, Instant closedAt, String closedBy, Instant shelvedUntil, String shelvedBy,
                        String shelveReason, String suppressedBy, Instant escalatedAt, boolean chattering,
                        int occurrences) {

    AlertView withId(long newId) {
        return new AlertView(newId, rule, ruleSource, source, area, severity, message, latch, state, active,
                acknowledged, conditionSince, raisedAt, value, ackedAt, ackedBy, clearedAt, closedAt, closedBy,
                shelvedUntil, shelvedBy, shelveReason, suppressedBy, escalatedAt, chattering, occurrences);
    }
}
