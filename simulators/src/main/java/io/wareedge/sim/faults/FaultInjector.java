package io.wareedge.sim.faults;

import io.wareedge.profiles.Durations;
import io.wareedge.sim.DeviceSimulator;
import io.wareedge.sim.conveyor.ConveyorPlcSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Injects faults into simulated devices by device name, kind and duration, and clears each when its duration ends
 * or on request. Devices are registered first: the segments and the line of a {@link ConveyorPlcSimulator}, the
 * devices of a {@link DeviceSimulator}.
 *
 * <p>A device carries at most one active fault of each kind, so the end of one fault never undoes another. Faults
 * that ended are kept, newest first, up to {@link #HISTORY_LIMIT}; faults injected are counted per kind.
 *
 * <p>Thread-safety: every method may be called from any thread. One lock guards the registry, the active faults,
 * the history and the counters; it is also held while a fault starts or ends on the simulated device (which takes
 * milliseconds: the simulators run the change on their own thread and never call back into the injector), so a
 * fault's start and end reach a device in order. Faults end on a named daemon thread, {@code fault-injector}.
 */
public final class FaultInjector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    /** The longest fault one request may ask for: longer ones are more likely a typo than a plan. */
    public static final Duration LONGEST_FAULT = Duration.ofHours(1);
    /** Ended faults kept for {@link #recent()}. */
    public static final int HISTORY_LIMIT = 1_000;
    /**
     * Extra motor current of an overcurrent fault: a running segment draws about 4 A, so it reads about 14 A, over
     * the conveyor profile's 12 A alarm limit.
     */
    public static final double OVERCURRENT_AMPS = 10.0;
    /** How far above its profile's alarm limit a high-temperature fault puts a sensor, in the resource's unit. */
    public static final double HIGH_TEMPERATURE_MARGIN = 5.0;

    private final Clock clock;
    private final ScheduledExecutorService expiry;
    private final Object lock = new Object();
    // all guarded by lock
    private final Map<String, FaultTarget> targets = new TreeMap<>();
    private final Map<Long, ActiveFault> active = new LinkedHashMap<>();
    private final Deque<Fault> ended = new ArrayDeque<>();
    private final Map<FaultKind, Long> injectedPerKind = new EnumMap<>(FaultKind.class);
    private long nextId = 1;
    private boolean closed;

    private record ActiveFault(Fault fault, Runnable ending, ScheduledFuture<?> timer) {
    }

    public FaultInjector() {
        this(Clock.systemUTC());
    }

    FaultInjector(Clock clock) {
        this.clock = clock;
        this.expiry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fault-injector");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Registers conveyor segments of a PLC by device name, e.g. {@code conveyor-2 → 2}.
     *
     * @throws IllegalArgumentException when a name is already registered
     */
    public FaultInjector addConveyorSegments(ConveyorPlcSimulator plc, Map<String, Integer> segmentsByDevice) {
        segmentsByDevice.forEach((device, segment) -> add(new ConveyorSegmentTarget(device, plc, segment)));
        return this;
    }

    /** Registers a PLC's line (its emergency stop) under a device name, e.g. {@code line-1}. */
    public FaultInjector addConveyorLine(ConveyorPlcSimulator plc, String device) {
        add(new ConveyorLineTarget(device, plc));
        return this;
    }

    /** Registers every device of a simulator under its own name. */
    public FaultInjector addSimulatedDevices(DeviceSimulator simulator) {
        simulator.devices().forEach(d -> add(new MqttDeviceTarget(simulator, d)));
        return this;
    }

    void add(FaultTarget target) {
        synchronized (lock) {
            if (targets.putIfAbsent(target.device(), target) != null) {
                throw new IllegalArgumentException("device " + target.device() + " is registered already");
            }
        }
    }

    /** The kinds of fault each registered device takes, by device name (sorted). */
    public Map<String, Set<FaultKind>> kindsByDevice() {
        synchronized (lock) {
            Map<String, Set<FaultKind>> out = new TreeMap<>();
            targets.forEach((device, t) -> out.put(device, Set.copyOf(t.kinds())));
            return Collections.unmodifiableMap(out);
        }
    }

    /**
     * How long a fault of this kind on this device must last before the device's profile alarm can raise for it
     * (zero when at once or not known; an unknown device or kind gives zero too).
     */
    public Duration noticedAfter(String device, FaultKind kind) {
        synchronized (lock) {
            FaultTarget t = targets.get(device);
            return t == null || !t.kinds().contains(kind) ? Duration.ZERO : t.noticedAfter(kind);
        }
    }

    /**
     * Starts a fault now; it clears itself after {@code duration}.
     *
     * @throws IllegalArgumentException for an unknown device, a kind that does not fit it, or a duration that is
     *                                  not positive or longer than {@link #LONGEST_FAULT}
     * @throws IllegalStateException    when the device has an active fault of this kind already, or the injector
     *                                  is closed
     */
    public Fault inject(String device, FaultKind kind, Duration duration) {
        Objects.requireNonNull(kind, "kind");
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("fault duration must be positive, got "
                    + (duration == null ? "none" : Durations.format(duration)));
        }
        if (duration.compareTo(LONGEST_FAULT) > 0) {
            throw new IllegalArgumentException("fault duration must be at most " + Durations.format(LONGEST_FAULT)
                    + ", got " + Durations.format(duration));
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the fault injector is closed");
            }
            FaultTarget target = targets.get(device);
            if (target == null) {
                throw new IllegalArgumentException("unknown device '" + device + "'; faults can be injected into "
                        + targets.keySet());
            }
            if (!target.kinds().contains(kind)) {
                throw new IllegalArgumentException("fault kind '" + kind + "' does not fit device '" + device
                        + "'; it takes " + target.kinds().stream().map(FaultKind::wireName)
                        .collect(Collectors.joining(", ")));
            }
            for (ActiveFault a : active.values()) {
                if (a.fault().device().equals(device) && a.fault().kind() == kind) {
                    throw new IllegalStateException("device '" + device + "' has an active " + kind + " fault already"
                            + " (fault " + a.fault().id() + ", clears at " + a.fault().clearsAt() + ")");
                }
            }
            Runnable ending = target.start(kind, duration);
            Instant now = clock.instant();
            Fault fault = new Fault(nextId++, device, kind, now, now.plus(duration), null, null);
            // the timer may fire before this method returns: it then waits for the lock and finds the fault
            ScheduledFuture<?> timer = expiry.schedule(() -> end(fault.id(), Fault.Ending.EXPIRED),
                    duration.toNanos(), TimeUnit.NANOSECONDS);
            active.put(fault.id(), new ActiveFault(fault, ending, timer));
            injectedPerKind.merge(kind, 1L, Long::sum);
            LOG.info("fault {} injected: {} on {} for {}", fault.id(), kind, device, Durations.format(duration));
            return fault;
        }
    }

    /** Clears an active fault now; empty when no fault with this id is active. */
    public Optional<Fault> clear(long id) {
        return end(id, Fault.Ending.CLEARED_ON_REQUEST);
    }

    private Optional<Fault> end(long id, Fault.Ending how) {
        synchronized (lock) {
            ActiveFault a = active.remove(id);
            if (a == null) {
                return Optional.empty();
            }
            a.timer().cancel(false);
            try {
                a.ending().run();
            } catch (RuntimeException e) {
                // the device may be gone (a simulator closed first): the fault is over for us either way
                LOG.warn("fault {} ({} on {}) did not clear cleanly: {}", id, a.fault().kind(), a.fault().device(),
                        e.toString());
            }
            Fault done = a.fault().ended(clock.instant(), how);
            ended.addFirst(done);
            while (ended.size() > HISTORY_LIMIT) {
                ended.removeLast();
            }
            LOG.info("fault {} cleared ({}): {} on {}", id, how, done.kind(), done.device());
            return Optional.of(done);
        }
    }

    /** The active faults, oldest first. */
    public List<Fault> active() {
        synchronized (lock) {
            return active.values().stream().map(ActiveFault::fault).toList();
        }
    }

    /** Faults that ended, newest first, at most {@link #HISTORY_LIMIT}. */
    public List<Fault> recent() {
        synchronized (lock) {
            return List.copyOf(ended);
        }
    }

    /** Active or recently ended fault by id. */
    public Optional<Fault> find(long id) {
        synchronized (lock) {
            ActiveFault a = active.get(id);
            if (a != null) {
                return Optional.of(a.fault());
            }
            return ended.stream().filter(f -> f.id() == id).findFirst();
        }
    }

    /** Faults injected since start, per kind (kinds never injected read 0). */
    public Map<FaultKind, Long> injectedPerKind() {
        synchronized (lock) {
            Map<FaultKind, Long> out = new EnumMap<>(FaultKind.class);
            for (FaultKind k : FaultKind.values()) {
                out.put(k, injectedPerKind.getOrDefault(k, 0L));
            }
            return Collections.unmodifiableMap(out);
        }
    }

    /** Clears every active fault (so the devices are healthy again) and refuses new ones. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            for (Long id : new ArrayList<>(active.keySet())) {
                end(id, Fault.Ending.INJECTOR_CLOSED);
            }
        }
        expiry.shutdownNow();
    }
}
