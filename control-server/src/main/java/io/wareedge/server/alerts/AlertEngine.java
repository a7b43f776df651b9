package io.wareedge.server.alerts;

import io.wareedge.profiles.AlarmDefinition;
import io.wareedge.profiles.AlarmTracker;
import io.wareedge.profiles.DeviceProfile;
import io.wareedge.profiles.ProfileCatalog;
import io.wareedge.server.registry.ChangeSet;
import io.wareedge.server.registry.DeviceChange;
import io.wareedge.server.registry.EdgeRegistry;
import io.wareedge.server.registry.Sample;
import io.wareedge.server.registry.TelemetryListener;
import io.wareedge.sparkplug.EdgeNodeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns rule conditions into alerts and runs their lifecycle: raise, acknowledge, clear, close; shelving,
 * out of service, suppression by design, chattering, floods per area, escalation.
 *
 * <p>Threading: one thread, {@value #THREAD_NAME}, owns every tracker and every open alert. Ingest hands it each
 * stored batch through a bounded queue (a full queue makes ingest wait, so a burst of raw conditions slows intake
 * rather than losing any); people's commands and KPI judgements come through the same queue, so every change is
 * decided in one order. Each round's decisions are written in one transaction, then published to the feed, then
 * the commands waiting for them are answered.
 */
public final class AlertEngine implements TelemetryListener, AutoCloseable {
    static final String THREAD_NAME = "wareedge-alerts";
    static final String SYSTEM = "system";
    static final String FLOOD_RULE = "flood";
    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final AlertSettings settings;
    private final AlertStore store;
    private final ProfileCatalog profiles;
    private final AlertFeed feed;
    private final Clock clock;
    private final BlockingQueue<Object> inputs;
    private final Thread thread;
    private volatile boolean running;

    // Owned by the alert thread.
    private final Map<String, DeviceAlarms> devices = new HashMap<>();
    private final Map<String, Watch> kpiWatches = new HashMap<>();
    private final Map<String, Alert> open = new HashMap<>();
    private final Map<Long, Alert> openById = new HashMap<>();
    private final Map<String, Deque<Long>> raisesByKey = new HashMap<>();
    private final Map<String, Deque<Long>> raisesByArea = new HashMap<>();
    private final Map<String, Long> consequenceDue = new LinkedHashMap<>();
    private final Set<String> outOfService = new HashSet<>();
    private final Set<String> unknownProfiles = new HashSet<>();
    private final Map<String, Set<String>> suppressedBy = new HashMap<>();
    private final Set<String> consequences = new HashSet<>();

    // One round's decisions, written together.
    private final Map<Alert, Boolean> changed = new IdentityHashMap<>();
    private final List<Alert> changedOrder = new ArrayList<>();
    private final List<AlertStore.PendingEvent> events = new ArrayList<>();
    private final List<AlertStore.ServiceChange> serviceChanges = new ArrayList<>();
    private final List<Runnable> replies = new ArrayList<>();

    private final AtomicLong conditionsRaised = new AtomicLong();
    private final AtomicLong alertsRaised = new AtomicLong();
    private final AtomicLong reactivations = new AtomicLong();
    private final AtomicLong suppressedByDesign = new AtomicLong();
    private final AtomicLong suppressedOutOfService = new AtomicLong();
    private final AtomicLong floodSuppressed = new AtomicLong();
    private final AtomicLong kpiDropped = new AtomicLong();
    private final AtomicLong storeFailures = new AtomicLong();
    private volatile int openCount;

    AlertEngine(AlertSettings settings, AlertStore store, ProfileCatalog profiles, AlertFeed feed, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.profiles = profiles;
        this.feed = feed;
        this.clock = clock;
        this.inputs = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.thread = new Thread(this::run, THREAD_NAME);
        for (AlertSettings.Suppression s : settings.suppressions()) {
            for (String rule : s.suppress()) {
                suppressedBy.computeIfAbsent(rule, r -> new HashSet<>()).add(s.when());
                consequences.add(rule);
            }
        }
    }

    /** Loads devices, open alerts and out-of-service marks, then starts the alert thread. */
    void start() throws SQLException {
        long now = clock.millis();
        for (AlertStore.KnownDevice d : store.devices()) {
            DeviceAlarms alarms = new DeviceAlarms(d.source(), areaOr(d.area(), d.node()));
            alarms.online = d.online();
            alarms.heardSinceBirth = d.online();
            alarms.lastSeen = d.lastSeenAt() == null ? now : d.lastSeenAt().toEpochMilli();
            alarms.setProfile(profile(d.profile()));
            devices.put(d.source(), alarms);
        }
        for (AlertView v : store.openAlerts()) {
            Alert a = Alert.of(v);
            open.put(a.key(), a);
            openById.put(a.id, a);
            if (a.active) {
                Watch w = watchFor(a.rule, a.source);
                if (w != null) {
                    w.tracker.restoreActive(a.conditionSince.toEpochMilli());
                }
            }
            if (!FLOOD_RULE.equals(a.rule) && a.suppressedBy == null) {
                raisesByArea.computeIfAbsent(a.area, k -> new ArrayDeque<>()).addLast(a.raisedAt.toEpochMilli());
            }
        }
        outOfService.addAll(store.outOfService());
        openCount = open.size();
        running = true;
        thread.start();
        LOG.info("alert thread started: {} devices, {} open alerts, {} out of service", devices.size(), open.size(),
                outOfService.size());
    }

    @Override
    public void stored(ChangeSet changes) throws InterruptedException {
        if (changes.samples().isEmpty() && changes.deviceChanges().isEmpty()) {
            return;
        }
        Telemetry t = new Telemetry(List.copyOf(changes.samples()), List.copyOf(changes.deviceChanges()));
        while (running) {
            if (inputs.offer(t, 200, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** KPI values judged by the KPI watch; dropped (and counted) when the alert thread is busy: they come again. */
    void kpi(List<KpiReading> readings) {
        if (!inputs.offer(new KpiReadings(List.copyOf(readings)))) {
            kpiDropped.incrementAndGet();
        }
    }

    /**
     * Carries out a person's command on the alert thread and waits until it is stored.
     *
     * @return the alert as it is afterwards (null for out-of-service commands)
     */
    public AlertView execute(AlertCommand command) throws AlertException {
        CompletableFuture<AlertView> done = new CompletableFuture<>();
        try {
            if (!inputs.offer(new Command(command, done), COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AlertException(AlertException.Kind.UNAVAILABLE, "the alert service is busy; try again");
            }
            return done.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AlertException(AlertException.Kind.UNAVAILABLE, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AlertException ae) {
                throw ae;
            }
            throw new AlertException(AlertException.Kind.UNAVAILABLE, "failed: " + e.getCause());
        } catch (TimeoutException e) {
            throw new AlertException(AlertException.Kind.UNAVAILABLE, "the alert service did not answer in time;"
                    + " the command may still be carried out");
        }
    }

    public AlertCounters counters() {
        return new AlertCounters(conditionsRaised.get(), alertsRaised.get(), reactivations.get(),
                suppressedByDesign.get(), suppressedOutOfService.get(), floodSuppressed.get(), kpiDropped.get(),
                storeFailures.get(), openCount, inputs.size());
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------------ the thread

    private record Telemetry(List<Sample> samples, List<DeviceChange> deviceChanges) {
    }

    private record KpiReadings(List<KpiReading> readings) {
    }

    private record Command(AlertCommand command, CompletableFuture<AlertView> done) {
    }

    private void run() {
        long tickMillis = settings.tick().toMillis();
        long nextTick = 0;
        List<Object> round = new ArrayList<>();
        while (running) {
            try {
                Object first = inputs.poll(Math.max(1, nextTick - clock.millis()), TimeUnit.MILLISECONDS);
                if (first != null) {
                    round.add(first);
                    inputs.drainTo(round, 500);
                }
                for (Object input : round) {
                    apply(input);
                }
                long now = clock.millis();
                if (now >= nextTick) {
                    tick(now);
                    nextTick = now + tickMillis;
                }
                commit();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("alert round failed; its inputs are skipped", e);
                failReplies(round, e);
                clearRound();
            } finally {
                round.clear();
            }
        }
        LOG.info("alert thread stopped");
    }

    private void apply(Object input) {
        if (input instanceof Telemetry t) {
            for (DeviceChange c : t.deviceChanges()) {
                deviceChange(c);
            }
            // A message's samples come one after another: its device is looked up once, not once per reading.
            EdgeNodeId lastNode = null;
            String lastDevice = null;
            DeviceAlarms alarms = null;
            for (Sample s : t.samples()) {
                if (s.node() != lastNode || s.device() != lastDevice) {
                    lastNode = s.node();
                    lastDevice = s.device();
                    alarms = devices.get(s.node().groupId() + "/" + s.node().edgeNodeId() + "/" + s.device());
                }
                sample(s, alarms);
            }
        } else if (input instanceof KpiReadings k) {
            for (KpiReading r : k.readings()) {
                kpiReading(r);
            }
        } else if (input instanceof Command c) {
            try {
                AlertView result = command(c.command());
                replies.add(() -> c.done().complete(result == null ? null : openOrClosedView(result)));
            } catch (AlertException e) {
                c.done().completeExceptionally(e);
            }
        }
    }

    private AlertView openOrClosedView(AlertView asDecided) {
        Alert a = openById.get(asDecided.id());
        return a != null ? a.view() : asDecided;
    }

    /** Writes the round's decisions (retrying while the database is away), publishes them, answers commands. */
    private void commit() throws InterruptedException {
        if (events.isEmpty() && serviceChanges.isEmpty() && changedOrder.isEmpty()) {
            replies.forEach(Runnable::run);
            replies.clear();
            return;
        }
        long backoff = 100;
        List<AlertEvent> stored;
        while (true) {
            try {
                stored = store.write(changedOrder, events, serviceChanges);
                break;
            } catch (SQLException | RuntimeException e) {
                storeFailures.incrementAndGet();
                if (!running) {
                    throw new InterruptedException("stopping with unstored alert changes");
                }
                LOG.warn("storing {} alert events failed, retrying in {} ms: {}", events.size(), backoff, e.toString());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
        for (Alert a : changedOrder) {
            if (a.open()) {
                openById.put(a.id, a);
            } else {
                openById.remove(a.id);
            }
        }
        openCount = open.size();
        feed.publish(stored);
        List<Runnable> answers = new ArrayList<>(replies);
        clearRound();
        answers.forEach(Runnable::run);
    }

    private void clearRound() {
        changed.clear();
        changedOrder.clear();
        events.clear();
        serviceChanges.clear();
        replies.clear();
    }

    private void failReplies(List<Object> round, RuntimeException e) {
        for (Object o : round) {
            if (o instanceof Command c) {
                c.done().completeExceptionally(e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ telemetry

    private void deviceChange(DeviceChange c) {
        if (EdgeRegistry.NODE_LEVEL.equals(c.device())) {
            return;
        }
        String source = c.node().groupId() + "/" + c.node().edgeNodeId() + "/" + c.device();
        DeviceAlarms d = devices.get(source);
        switch (c.event()) {
            case BIRTH -> {
                if (d == null) {
                    d = new DeviceAlarms(source, areaOr(c.area(), c.node().edgeNodeId()));
                    devices.put(source, d);
                } else {
                    d.area = areaOr(c.area(), c.node().edgeNodeId());
                }
                DeviceProfile p = profile(c.profile());
                if (p != d.profile) {
                    d.setProfile(p);
                    // Open alerts of this device carry over: their watches take them up again.
                    for (Watch w : d.watches) {
                        Alert a = open.get(Alert.key(w.rule.name(), source));
                        if (a != null && a.active) {
                            w.tracker.restoreActive(a.conditionSince.toEpochMilli());
                        }
                    }
                }
                d.heardSinceBirth = false;
                online(d, true, c.at());
            }
            case DEATH -> {
                // An agent births every device it serves and at once declares dead those it has not heard from yet
                // (at its start, say): for those, staleness decides (the profile's staleAfter), not this death.
                if (d != null && d.heardSinceBirth) {
                    online(d, false, c.at());
                }
            }
            case SEEN -> {
                if (d != null) {
                    d.heardSinceBirth = true;
                    d.lastSeen = Math.max(d.lastSeen, c.at());
                    if (!d.online) {
                        online(d, true, c.at());
                    }
                }
            }
        }
    }

    private void online(DeviceAlarms d, boolean up, long at) {
        d.online = up;
        if (up) {
            d.lastSeen = Math.max(d.lastSeen, at);
        }
        for (Watch w : d.watches) {
            transition(w, d.source, d.area, w.tracker.onOnline(up, at), at);
        }
    }

    private void sample(Sample s, DeviceAlarms d) {
        if (EdgeRegistry.NODE_LEVEL.equals(s.device()) || s.historical()) {
            return;
        }
        if (d == null || d.watches.isEmpty()) {
            return;
        }
        // Bad (0) and stale (500) values say the sensor cannot be trusted: they neither raise nor clear.
        boolean usable = s.quality() >= 64 && s.quality() <= 192;
        for (Watch w : d.watches) {
            if (usable && s.metric().equals(w.resource)) {
                transition(w, d.source, d.area, w.tracker.onReading(s.value(), s.timestamp()), s.timestamp());
            }
        }
    }

    private void kpiReading(KpiReading r) {
        AlertSettings.KpiRule rule = r.rule();
        String key = Alert.key(rule.name(), r.source());
        Watch w = kpiWatches.get(key);
        if (w == null) {
            AlarmDefinition def = new AlarmDefinition(rule.name(), "kpi", rule.condition(), Duration.ZERO,
                    rule.severity(), rule.deadband() > 0 ? OptionalDouble.of(rule.deadband()) : OptionalDouble.empty(),
                    false, rule.message());
            w = new Watch(def, "kpi", new AlarmTracker(def));
            kpiWatches.put(key, w);
            Alert a = open.get(key);
            if (a != null && a.active) {
                w.tracker.restoreActive(a.conditionSince.toEpochMilli());
            }
        }
        transition(w, r.source(), r.area(), w.tracker.onReading(r.value(), r.at()), r.at());
    }

    private void transition(Watch w, String source, String area, AlarmTracker.Transition t, long at) {
        switch (t) {
            case RAISED -> conditionRaised(w, source, area);
            case CLEARED -> conditionCleared(w, source, area, at);
            case NONE -> {
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ the rules

    private void conditionRaised(Watch w, String source, String area) {
        conditionsRaised.incrementAndGet();
        String key = Alert.key(w.rule.name(), source);
        Alert existing = open.get(key);
        if (existing != null && existing.active) {
            return; // taken up after a restart or a rebirth: the same fault
        }
        if (outOfService.contains(source)) {
            suppressedOutOfService.incrementAndGet();
            return;
        }
        if (existing == null && causeActive(w.rule.name(), area)) {
            suppressedByDesign.incrementAndGet();
            return;
        }
        if (existing == null && consequences.contains(w.rule.name()) && !settings.consequenceDelay().isZero()) {
            consequenceDue.put(key, clock.millis() + settings.consequenceDelay().toMillis());
            return;
        }
        raise(w, source, area);
    }

    private void raise(Watch w, String source, String area) {
        long now = clock.millis();
        Instant nowInstant = Instant.ofEpochMilli(now);
        String key = Alert.key(w.rule.name(), source);
        consequenceDue.remove(key);
        Alert a = open.get(key);
        if (a != null) {
            a.active = true;
            a.acknowledged = false;
            a.state = Alert.ACTIVE;
            a.clearedAt = null;
            a.closeDueAt = 0;
            a.occurrences++;
            a.value = text(w.tracker.conditionValue());
            reactivations.incrementAndGet();
            event(a, "reactivated", SYSTEM, null);
        } else {
            a = new Alert(w.rule.name(), w.ruleSource, source, area, w.rule.severity().name().toLowerCase(Locale.ROOT),
                    w.rule.message(), w.rule.latch());
            a.conditionSince = Instant.ofEpochMilli(w.tracker.conditionSince() >= 0 ? w.tracker.conditionSince() : now);
            a.raisedAt = nowInstant;
            a.value = text(w.tracker.conditionValue());
            open.put(key, a);
            alertsRaised.incrementAndGet();
            Alert flood = open.get(Alert.key(FLOOD_RULE, "area:" + area));
            if (flood != null && flood.active) {
                a.suppressedBy = "flood:" + area;
                floodSuppressed.incrementAndGet();
            }
            event(a, "raised", SYSTEM, null);
            if (a.suppressedBy == null) {
                countTowardsFlood(area, now);
            }
        }
        Deque<Long> raises = raisesByKey.computeIfAbsent(key, k -> new ArrayDeque<>());
        raises.addLast(now);
        prune(raises, now - settings.chatterWindow().toMillis());
        if (!a.chattering && raises.size() >= settings.chatterCount()) {
            a.chattering = true;
            event(a, "chattering", SYSTEM, raises.size() + " raises within " + settings.chatterWindow().toSeconds() + " s");
        }
    }

    private void conditionCleared(Watch w, String source, String area, long at) {
        String key = Alert.key(w.rule.name(), source);
        consequenceDue.remove(key);
        Alert a = open.get(key);
        if (a != null && a.active) {
            a.active = false;
            a.clearedAt = Instant.ofEpochMilli(clock.millis());
            a.state = Alert.CLEARED;
            event(a, "cleared", SYSTEM, null);
            if (a.chattering) {
                a.closeDueAt = clock.millis() + settings.chatterWindow().toMillis();
                touch(a);
            } else if (a.acknowledged || !a.latch) {
                close(a, SYSTEM, "condition cleared");
            }
        }
        releaseConsequences(w.rule.name(), area);
    }

    private boolean causeActive(String rule, String area) {
        Set<String> causes = suppressedBy.get(rule);
        if (causes == null) {
            return false;
        }
        for (DeviceAlarms d : devices.values()) {
            if (!d.area.equals(area)) {
                continue;
            }
            for (Watch w : d.watches) {
                if (causes.contains(w.rule.name()) && w.tracker.active()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A cause cleared: consequences whose condition still holds raise now, unless another cause still holds. */
    private void releaseConsequences(String causeRule, String area) {
        for (DeviceAlarms d : devices.values()) {
            if (!d.area.equals(area)) {
                continue;
            }
            for (Watch w : d.watches) {
                Set<String> causes = suppressedBy.get(w.rule.name());
                if (causes != null && causes.contains(causeRule) && w.tracker.active()
                        && !open.containsKey(Alert.key(w.rule.name(), d.source)) && !causeActive(w.rule.name(), area)
                        && !outOfService.contains(d.source)) {
                    raise(w, d.source, area);
                }
            }
        }
    }

    private void countTowardsFlood(String area, long now) {
        Deque<Long> raises = raisesByArea.computeIfAbsent(area, k -> new ArrayDeque<>());
        raises.addLast(now);
        prune(raises, now - settings.floodWindow().toMillis());
        String key = Alert.key(FLOOD_RULE, "area:" + area);
        if (raises.size() > settings.floodLimit() && !open.containsKey(key)) {
            Alert flood = new Alert(FLOOD_RULE, SYSTEM, "area:" + area, area, "red",
                    "Alert flood in " + area + ": more than " + settings.floodLimit() + " alerts within "
                            + settings.floodWindow().toMinutes() + " min; further alerts there are held behind this one",
                    false);
            flood.conditionSince = Instant.ofEpochMilli(now);
            flood.raisedAt = flood.conditionSince;
            flood.value = Integer.toString(raises.size());
            open.put(key, flood);
            alertsRaised.incrementAndGet();
            event(flood, "raised", SYSTEM, null);
        }
    }

    private void close(Alert a, String actor, String comment) {
        Instant now = Instant.ofEpochMilli(clock.millis());
        a.state = Alert.CLOSED;
        a.closedAt = now;
        a.closedBy = actor;
        a.closeDueAt = 0;
        open.remove(a.key());
        event(a, "closed", actor, comment);
        if (FLOOD_RULE.equals(a.rule)) {
            String mark = "flood:" + a.area;
            for (Alert other : open.values()) {
                if (mark.equals(other.suppressedBy)) {
                    other.suppressedBy = null;
                    event(other, "unsuppressed", SYSTEM, "the flood in " + a.area + " is over");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ time

    private void tick(long now) {
        Instant nowInstant = Instant.ofEpochMilli(now);
        for (DeviceAlarms d : devices.values()) {
            if (d.online && d.profile != null && now - d.lastSeen > d.profile.staleAfter().toMillis()) {
                online(d, false, d.lastSeen + d.profile.staleAfter().toMillis());
            }
            for (Watch w : d.watches) {
                transition(w, d.source, d.area, w.tracker.tick(now), now);
            }
        }
        if (!consequenceDue.isEmpty()) {
            for (Map.Entry<String, Long> e : new ArrayList<>(consequenceDue.entrySet())) {
                if (e.getValue() <= now) {
                    consequenceDue.remove(e.getKey());
                    raiseDeferred(e.getKey());
                }
            }
        }
        for (Alert a : new ArrayList<>(open.values())) {
            if (a.closeDueAt > 0 && now >= a.closeDueAt && !a.active) {
                close(a, SYSTEM, "condition stayed clear");
                continue;
            }
            if (a.shelvedUntil != null && !a.shelvedUntil.isAfter(nowInstant)) {
                a.shelvedUntil = null;
                event(a, "unshelved", SYSTEM, "shelving expired");
            }
            if (a.active && !a.acknowledged && a.escalatedAt == null && "red".equals(a.severity)
                    && a.suppressedBy == null && !a.shelved(nowInstant)
                    && now - a.raisedAt.toEpochMilli() >= settings.escalateAfter().toMillis()) {
                a.escalatedAt = nowInstant;
                event(a, "escalated", SYSTEM, "not acknowledged within " + settings.escalateAfter().toSeconds() + " s");
            }
            if (FLOOD_RULE.equals(a.rule) && a.active) {
                Deque<Long> raises = raisesByArea.getOrDefault(a.area, new ArrayDeque<>());
                prune(raises, now - settings.floodWindow().toMillis());
                if (raises.size() <= settings.floodLimit() / 2) {
                    a.active = false;
                    a.clearedAt = nowInstant;
                    event(a, "cleared", SYSTEM, null);
                    close(a, SYSTEM, "fewer than " + (settings.floodLimit() / 2 + 1) + " alerts within the window");
                }
            }
        }
    }

    private void raiseDeferred(String key) {
        int split = key.indexOf('\u0000');
        String source = key.substring(split + 1);
        Watch w = watchFor(key.substring(0, split), source);
        DeviceAlarms d = devices.get(source);
        if (w == null || d == null || !w.tracker.active() || open.containsKey(key)) {
            return;
        }
        if (causeActive(w.rule.name(), d.area)) {
            suppressedByDesign.incrementAndGet();
            return;
        }
        raise(w, d.source, d.area);
    }

    // ------------------------------------------------------------------------------------------------ people

    private AlertView command(AlertCommand c) throws AlertException {
        Instant now = Instant.ofEpochMilli(clock.millis());
        if (c instanceof AlertCommand.OutOfService o) {
            return outOfService(o, now);
        }
        if (c instanceof AlertCommand.ReturnToService r) {
            return returnToService(r, now);
        }
        Alert a = openAlert(alertId(c));
        if (c instanceof AlertCommand.Acknowledge ack) {
            if (!a.acknowledged) {
                acknowledge(a, ack.user(), now, ack.comment());
                if (!a.active) {
                    close(a, ack.user(), null);
                }
            }
        } else if (c instanceof AlertCommand.Shelve s) {
            if (s.reason() == null || s.reason().isBlank()) {
                throw new AlertException(AlertException.Kind.BAD_REQUEST, "shelving needs a reason");
            }
            if (s.until() == null || !s.until().isAfter(now)) {
                throw new AlertException(AlertException.Kind.BAD_REQUEST, "the shelving expiry must be in the future,"
                        + " got " + s.until());
            }
            if (Duration.between(now, s.until()).compareTo(settings.maxShelve()) > 0) {
                throw new AlertException(AlertException.Kind.BAD_REQUEST, "an alert may be shelved for at most "
                        + settings.maxShelve().toHours() + " h (wareedge.alerts.max-shelve)");
            }
            a.shelvedUntil = s.until();
            a.shelvedBy = s.user();
            a.shelveReason = s.reason().trim();
            event(a, "shelved", s.user(), a.shelveReason + " (until " + s.until() + ")");
        } else if (c instanceof AlertCommand.Unshelve u) {
            if (a.shelvedUntil != null) {
                a.shelvedUntil = null;
                event(a, "unshelved", u.user(), null);
            }
        } else if (c instanceof AlertCommand.Resolve r) {
            if (!a.acknowledged) {
                acknowledge(a, r.user(), now, null);
            }
            close(a, r.user(), blankToNull(r.comment()));
        } else if (c instanceof AlertCommand.Comment m) {
            if (m.comment() == null || m.comment().isBlank()) {
                throw new AlertException(AlertException.Kind.BAD_REQUEST, "the comment is empty");
            }
            event(a, "commented", m.user(), m.comment().trim());
        }
        return a.view();
    }

    private static long alertId(AlertCommand c) {
        if (c instanceof AlertCommand.Acknowledge x) {
            return x.alertId();
        } else if (c instanceof AlertCommand.Shelve x) {
            return x.alertId();
        } else if (c instanceof AlertCommand.Unshelve x) {
            return x.alertId();
        } else if (c instanceof AlertCommand.Resolve x) {
            return x.alertId();
        } else if (c instanceof AlertCommand.Comment x) {
            return x.alertId();
        }
        throw new IllegalArgumentException("not a command about one alert: " + c);
    }

    private void acknowledge(Alert a, String user, Instant now, String comment) {
        a.acknowledged = true;
        if (a.ackedAt == null) {
            a.ackedAt = now;
            a.ackedBy = user;
        }
        if (a.active) {
            a.state = Alert.ACKNOWLEDGED;
        }
        event(a, "acknowledged", user, blankToNull(comment));
    }

    private Alert openAlert(long id) throws AlertException {
        Alert a = openById.get(id);
        if (a != null) {
            return a;
        }
        try {
            if (store.alert(id).isPresent()) {
                throw new AlertException(AlertException.Kind.CONFLICT, "alert " + id + " is closed");
            }
        } catch (SQLException e) {
            throw new AlertException(AlertException.Kind.UNAVAILABLE, "cannot look alert " + id + " up: " + e.getMessage());
        }
        throw new AlertException(AlertException.Kind.NOT_FOUND, "no alert " + id);
    }

    private AlertView outOfService(AlertCommand.OutOfService o, Instant now) throws AlertException {
        if (!devices.containsKey(o.source())) {
            throw new AlertException(AlertException.Kind.NOT_FOUND, "no device " + o.source()
                    + " (give group/node/device, e.g. dc-north/gateway-1/conveyor-2)");
        }
        if (o.reason() == null || o.reason().isBlank()) {
            throw new AlertException(AlertException.Kind.BAD_REQUEST, "taking a device out of service needs a reason");
        }
        if (outOfService.add(o.source())) {
            serviceChanges.add(new AlertStore.ServiceChange(o.source(), true, o.user(), o.reason().trim(), now));
            for (Alert a : open.values()) {
                if (a.source.equals(o.source()) && a.suppressedBy == null) {
                    a.suppressedBy = "out-of-service";
                    event(a, "suppressed", o.user(), "out of service: " + o.reason().trim());
                }
            }
        }
        return null;
    }

    private AlertView returnToService(AlertCommand.ReturnToService r, Instant now) throws AlertException {
        if (!outOfService.remove(r.source())) {
            throw new AlertException(AlertException.Kind.NOT_FOUND, r.source() + " is not out of service");
        }
        serviceChanges.add(new AlertStore.ServiceChange(r.source(), false, r.user(), null, now));
        for (Alert a : open.values()) {
            if (a.source.equals(r.source()) && "out-of-service".equals(a.suppressedBy)) {
                a.suppressedBy = null;
                event(a, "unsuppressed", r.user(), "back in service");
            }
        }
        DeviceAlarms d = devices.get(r.source());
        if (d != null) {
            for (Watch w : d.watches) {
                if (w.tracker.active() && !open.containsKey(Alert.key(w.rule.name(), d.source))) {
                    raise(w, d.source, d.area);
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void event(Alert a, String action, String actor, String comment) {
        touch(a);
        Instant at = Instant.ofEpochMilli(clock.millis());
        events.add(new AlertStore.PendingEvent(a, action, actor, comment, at, a.view()));
    }

    private void touch(Alert a) {
        if (changed.put(a, Boolean.TRUE) == null) {
            changedOrder.add(a);
        }
    }

    private Watch watchFor(String rule, String source) {
        DeviceAlarms d = devices.get(source);
        if (d == null) {
            return null;
        }
        for (Watch w : d.watches) {
            if (w.rule.name().equals(rule)) {
                return w;
            }
        }
        return null;
    }

    private DeviceProfile profile(String id) {
        if (id == null) {
            return null;
        }
        DeviceProfile p = profiles.find(id).orElse(null);
        if (p == null && unknownProfiles.add(id)) {
            LOG.warn("device profile '{}' is not known to this server: its devices raise no profile alarms", id);
        }
        return p;
    }

    private static String areaOr(String area, String node) {
        return area == null || area.isBlank() ? node : area;
    }

    private static void prune(Deque<Long> times, long before) {
        while (!times.isEmpty() && times.peekFirst() < before) {
            times.removeFirst();
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** One rule watched on one source. */
    private static final class Watch {
        final AlarmDefinition rule;
        final String ruleSource;
        final String resource;
        final AlarmTracker tracker;

        Watch(AlarmDefinition rule, String ruleSource, AlarmTracker tracker) {
            this.rule = rule;
            this.ruleSource = ruleSource;
            this.resource = rule.resource();
            this.tracker = tracker;
        }
    }

    /** A device's alarms, connection and area. */
    private static final class DeviceAlarms {
        final String source;
        String area;
        DeviceProfile profile;
        List<Watch> watches = List.of();
        boolean online;
        /** Data came since the last birth; until then a death only means "not heard yet". */
        boolean heardSinceBirth;
        long lastSeen;

        DeviceAlarms(String source, String area) {
            this.source = source;
            this.area = area;
        }

        void setProfile(DeviceProfile p) {
            profile = p;
            List<Watch> w = new ArrayList<>();
            if (p != null) {
                for (AlarmDefinition a : p.alarms()) {
                    w.add(new Watch(a, "profile:" + p.id(), new AlarmTracker(a)));
                }
            }
            watches = w;
        }
    }
}
