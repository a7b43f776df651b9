package io.wareedge.edge.connect;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one remote connection up: whenever it is lost, a named thread retries {@code connect} with exponential
 * backoff and jitter (Resilience4j Retry), forever, until it succeeds or the loop is closed. Jitter keeps a hundred
 * gateways from hammering a broker that just came back in lock-step.
 */
public final class ReconnectLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReconnectLoop.class);

    private final String name;
    private final Callable<Void> connect;
    private final Retry retry;
    private final Semaphore wanted = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closed;

    public ReconnectLoop(String name, Duration initialBackoff, Duration maxBackoff, Callable<Void> connect) {
        this.name = name;
        this.connect = connect;
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(initialBackoff, 2.0, 0.5, maxBackoff);
        this.retry = Retry.of(name, RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(backoff)
                .retryOnException(e -> !closed)
                .build());
        retry.getEventPublisher().onRetry(e -> LOG.info("{}: attempt {} failed ({}); next in {} ms", name,
                e.getNumberOfRetryAttempts(), e.getLastThrowable() == null ? "?" : e.getLastThrowable().toString(),
                e.getWaitInterval().toMillis()));
        this.thread = new Thread(this::run, name + "-reconnect");
        this.thread.setDaemon(true);
    }

    /** Starts the loop and asks for the first connection. */
    public void start() {
        thread.start();
        requestConnect();
    }

    /** Asks for a (re)connection; called when the connection is lost. */
    public void requestConnect() {
        if (wanted.availablePermits() == 0) {
            wanted.release();
        }
    }

    private void run() {
        while (!closed) {
            try {
                if (!wanted.tryAcquire(1, TimeUnit.SECONDS)) {
                    continue;
                }
                wanted.drainPermits();
                retry.executeCallable(connect);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!closed) {
                    LOG.warn("{}: giving up this round: {}", name, e.toString());
                    requestConnect();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
