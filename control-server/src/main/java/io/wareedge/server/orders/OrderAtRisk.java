package io.wareedge.server.orders;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * An order not yet fully picked, measured against the cycle target (arrival to fully picked).
 *
 * @param ageSeconds  since the order arrived, by the database's clock (the one that stamped its arrival)
 * @param secondsLeft until arrival + {@code wareedge.picking.cycle-target}; negative once the order is late
 * @param linesPicked lines with nothing left to pick (picked in full, or the rest short-picked)
 */
@Serdeable
public record OrderAtRisk(String id, int priority, Instant createdAt, Instant dueAt, long ageSeconds, long secondsLeft,
                          int lines, int linesPicked) {
}
