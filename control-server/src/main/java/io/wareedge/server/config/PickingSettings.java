package io.wareedge.server.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code wareedge.picking.*}: how pick tasks are batched, how long a picker may hold them, and handheld log-in.
 *
 * @param taskTimeout      a picker's current task not confirmed within this time of being shown goes back to the pool
 * @param idleLogout       a handheld session without any action for this long is ended and its tasks given back
 * @param batchTasks       most tasks one picker holds at a time (one walk)
 * @param batchOrders      most orders (one tote each) in one batch
 * @param dueSlot          due times within one slot count as equally urgent, so zone and walk decide among them
 * @param pinAttempts      wrong PINs in a row before a badge is locked
 * @param pinLockout       how long a locked badge stays locked
 * @param cycleTarget      the target from order arrival to fully picked (the brief's 15 minutes)
 * @param housekeeping     how often expired tasks, idle sessions and zone faults are checked
 */
@ConfigurationProperties("wareedge.picking")
public record PickingSettings(@Bindable(defaultValue = "10m") Duration taskTimeout,
                              @Bindable(defaultValue = "15m") Duration idleLogout,
                              @Bindable(defaultValue = "8") int batchTasks,
                              @Bindable(defaultValue = "4") int batchOrders,
                              @Bindable(defaultValue = "5m") Duration dueSlot,
                              @Bindable(defaultValue = "5") int pinAttempts,
                              @Bindable(defaultValue = "5m") Duration pinLockout,
                              @Bindable(defaultValue = "15m") Duration cycleTarget,
                              @Bindable(defaultValue = "1s") Duration housekeeping) {

    public PickingSettings {
        taskTimeout = Checks.positive("wareedge.picking.task-timeout", taskTimeout, Duration.ofMinutes(10));
        idleLogout = Checks.positive("wareedge.picking.idle-logout", idleLogout, Duration.ofMinutes(15));
        Checks.atLeast("wareedge.picking.batch-tasks", batchTasks, 1);
        Checks.atLeast("wareedge.picking.batch-orders", batchOrders, 1);
        if (batchOrders > 26) {
            throw new InvalidConfigurationException("wareedge.picking.batch-orders", "must be at most 26 (totes A..Z)", batchOrders);
        }
        dueSlot = Checks.positive("wareedge.picking.due-slot", dueSlot, Duration.ofMinutes(5));
        Checks.atLeast("wareedge.picking.pin-attempts", pinAttempts, 1);
        pinLockout = Checks.positive("wareedge.picking.pin-lockout", pinLockout, Duration.ofMinutes(5));
        cycleTarget = Checks.positive("wareedge.picking.cycle-target", cycleTarget, Duration.ofMinutes(15));
        housekeeping = Checks.positive("wareedge.picking.housekeeping", housekeeping, Duration.ofSeconds(1));
    }
}
