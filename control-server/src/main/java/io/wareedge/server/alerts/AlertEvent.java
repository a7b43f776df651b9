package io.wareedge.server.alerts;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One change of one alert: an entry of the audit trail and of the live feed.
 *
 * @param id     position in the feed; a client that reconnects resumes after the last id it saw
 * @param action raised, reactivated, chattering, acknowledged, cleared, closed, shelved, unshelved, commented,
 *               escalated, suppressed, unsuppressed
 * @param actor  the user, or {@code system}
 * @param alert  the alert as it was right after this change
 */
@Serdeable
public record AlertEvent(long id, long alertId, Instant at, String action, String actor, String comment,
                         AlertView alert) {
}
