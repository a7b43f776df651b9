package io.wareedge.server.picking;

import io.wareedge.server.BackgroundThreads;
import io.micronaut.context.annotation.Context;
import io.wareedge.server.config.PickingSettings;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One named thread that, every {@code wareedge.picking.housekeeping}, returns expired tasks to the pool, logs out
 * idle handhelds and follows zone faults. Each step is a set-based, idempotent statement, so every server of a
 * cluster may run it.
 */
@Context
final class PickingHousekeeping {
    static final String THREAD = "wareedge-picking-housekeeping";
    private static final Logger LOG = LoggerFactory.getLogger(PickingHousekeeping.class);

    private final ScheduledExecutorService worker;

    PickingHousekeeping(PickTasks tasks, HandheldSessions sessions, ZoneFaults zones, PickingSettings settings) {
        this.worker = BackgroundThreads.single(THREAD);
        long every = settings.housekeeping().toMillis();
        worker.scheduleWithFixedDelay(() -> {
            try {
                zones.check();
                tasks.expire();
                sessions.logoutIdle();
            } catch (Exception e) {
                if (worker.isShutdown()) {
                    return; // the server is stopping and interrupted the step: nothing failed
                }
                LOG.warn("picking housekeeping failed, retrying in {} ms: {}", every, e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void close() {
        BackgroundThreads.stop(worker);
    }
}
