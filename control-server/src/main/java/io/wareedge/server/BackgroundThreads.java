package io.wareedge.server;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The server's scheduled jobs: each on one named daemon thread of its own, stopped with the server. */
public final class BackgroundThreads {
    private static final long STOP_WAIT_SECONDS = 5;

    private BackgroundThreads() {
    }

    /** A scheduler on one daemon thread named {@code name}: a job that hangs never keeps the JVM from exiting. */
    public static ScheduledExecutorService single(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Interrupts the job in hand, cancels the rest and waits up to 5 s for the thread to end. */
    public static void stop(ExecutorService executor) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
