package io.wareedge.sim.faults;

import io.wareedge.profiles.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Injects a random fault every interval, so a demo warehouse shows alerts arriving and clearing without anyone
 * asking. Each time it picks a kind among those some registered device can take now (so kinds mix evenly however
 * many devices take each), then a device of that kind and a duration within the configured range, all from a
 * seeded {@link Random}. A device never gets a second fault of a kind it has active.
 *
 * <p>Thread-safety: start, stop and close may be called from any thread; the faults are picked and injected on one
 * named daemon thread, {@code fault-schedule}, which alone uses the random source.
 */
public final class FaultSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultSchedule.class);

    /**
     * @param interval      time between two injections (the first one comes one interval after start)
     * @param shortestFault shortest fault duration picked
     * @param longestFault  longest fault duration picked
     * @param seed          seed of the random choices
     */
    public record Settings(Duration interval, Duration shortestFault, Duration longestFault, long seed) {
        public Settings {
            requirePositive("interval", interval);
            requirePositive("shortestFault", shortestFault);
            requirePositive("longestFault", longestFault);
            if (longestFault.compareTo(shortestFault) < 0) {
                throw new IllegalArgumentException("longestFault must be >= shortestFault (" + Durations.format(shortestFault)
                        + "), got " + Durations.format(longestFault));
            }
            if (longestFault.compareTo(FaultInjector.LONGEST_FAULT) > 0) {
                throw new IllegalArgumentException("longestFault must be at most "
                        + Durations.format(FaultInjector.LONGEST_FAULT) + ", got " + Durations.format(longestFault));
            }
        }

        private static void requirePositive(String key, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(key + " must be a positive duration, got "
                        + (value == null ? "none" : Durations.format(value)));
            }
        }
    }

    private final FaultInjector injector;
    private final Settings settings;
    private final Random random;
    private final AtomicLong injected = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private ScheduledExecutorService thread; // guarded by this

    public FaultSchedule(FaultInjector injector, Settings settings) {
        this.injector = injector;
        this.settings = settings;
        this.random = new Random(settings.seed());
    }

    public Settings settings() {
        return settings;
    }

    /** @throws IllegalStateException when it runs already */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the fault schedule runs already");
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fault-schedule");
            t.setDaemon(true);
            return t;
        });
        long every = settings.interval().toNanos();
        thread.scheduleWithFixedDelay(this::step, every, every, TimeUnit.NANOSECONDS);
        LOG.info("injecting a random fault every {} ({} to {} each)", Durations.format(settings.interval()),
                Durations.format(settings.shortestFault()), Durations.format(settings.longestFault()));
    }

    /** Stops injecting; faults already injected run their course. Stopping a stopped schedule does nothing. */
    public synchronized void stop() {
        if (thread == null) {
            return;
        }
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("the fault schedule's thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    @Override
    public void close() {
        stop();
    }

    /** Faults this schedule injected. */
    public long injected() {
        return injected.get();
    }

    /** Picks the injector refused (a device changed under us, e.g. the same fault came through the API meanwhile). */
    public long refused() {
        return refused.get();
    }

    /** How long past its alarm's hold time a scheduled fault lasts at least. */
    static final Duration NOTICE_MARGIN = Duration.ofSeconds(15);

    private void step() {
        try {
            injectOne();
        } catch (RuntimeException e) {
            // a failed pick must not end the schedule (a scheduled task that throws is never run again)
            LOG.warn("fault schedule: {}", e.toString());
        }
    }

    /** Within the range; in whole seconds when the range is given in whole seconds (it reads better: 47s, not 47036ms). */
    private Duration randomDuration() {
        Duration shortest = settings.shortestFault();
        Duration longest = settings.longestFault();
        boolean wholeSeconds = shortest.toNanos() % 1_000_000_000L == 0 && longest.toNanos() % 1_000_000_000L == 0;
        long unitNanos = wholeSeconds ? 1_000_000_000L : 1_000_000L;
        long spreadUnits = (longest.toNanos() - shortest.toNanos()) / unitNanos;
        return shortest.plusNanos(random.nextLong(spreadUnits + 1) * unitNanos);
    }

    /** One step of the schedule: a random fault now; empty when no device can take one. */
    Optional<Fault> injectOne() {
        Map<String, Set<FaultKind>> free = new TreeMap<>();
        injector.kindsByDevice().forEach((device, kinds) -> free.put(device, new TreeSet<>(kinds)));
        for (Fault f : injector.active()) {
            Set<FaultKind> kinds = free.get(f.device());
            if (kinds != null) {
                kinds.remove(f.kind());
            }
        }
        Set<FaultKind> kindsAvailable = new TreeSet<>();
        free.values().forEach(kindsAvailable::addAll);
        if (kindsAvailable.isEmpty()) {
            return Optional.empty();
        }
        FaultKind kind = new ArrayList<>(kindsAvailable).get(random.nextInt(kindsAvailable.size()));
        List<String> devices = free.entrySet().stream().filter(e -> e.getValue().contains(kind))
                .map(Map.Entry::getKey).toList();
        String device = devices.get(random.nextInt(devices.size()));
        // A fault shorter than the time its alarm needs would show nothing: it lasts at least that, plus a margin
        // for the alert to be seen.
        Duration needed = injector.noticedAfter(device, kind);
        Duration duration = randomDuration();
        if (needed.compareTo(Duration.ZERO) > 0) {
            Duration floor = needed.plus(NOTICE_MARGIN);
            if (floor.compareTo(FaultInjector.LONGEST_FAULT) > 0) {
                // e.g. silence on a battery sensor that reports hourly: no schedule step should take an hour
                LOG.debug("fault schedule: {} on {} skipped: its alarm needs {}", kind, device, needed);
                return Optional.empty();
            }
            if (duration.compareTo(floor) < 0) {
                duration = floor;
            }
        }
        try {
            Fault fault = injector.inject(device, kind, duration);
            injected.incrementAndGet();
            return Optional.of(fault);
        } catch (IllegalArgumentException | IllegalStateException e) {
            refused.incrementAndGet();
            LOG.info("fault schedule: {} on {} refused: {}", kind, device, e.getMessage());
            return Optional.empty();
        }
    }
}
