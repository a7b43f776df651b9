package io.wareedge.sim.sorter;

import io.wareedge.sparkplug.MessageCallback;
import io.wareedge.sparkplug.TcpNoDelaySocketFactory;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sortation system speaking docs/sorter-protocol.md over MQTT: items enter at a fixed rate, are scanned
 * (sometimes badly), travel to the commanded chute and are diverted, miss, find the chute full, jam, or go round
 * again. Chutes fill up and are emptied by an operator after a while.
 *
 * <p>Threading: one thread ({@code sorter-sim-<name>}) owns the timeline (a priority queue of due events), the
 * chutes and the random source; Paho's callback thread only records the first divert command of a pass (items are
 * in a concurrent map, and a pass's command slot is guarded by the item's monitor).
 */
public final class SorterSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SorterSimulator.class);
    private static final int LATE_COMMANDS_LOGGED = 10;
    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");
    private static final Pattern PASS = Pattern.compile("\"pass\"\\s*:\\s*(\\d+)");
    private static final Pattern CHUTE = Pattern.compile("\"chute\"\\s*:\\s*(\\d+)");
    /** Paho's "too many publishes in progress". */
    private static final int MAX_INFLIGHT = 32202;

    private final SorterSettings settings;
    private final Supplier<String> codes;
    private final MqttAsyncClient client;
    private final String prefix;
    private final Thread thread;
    private final Random random;
    private final Map<Long, Item> items = new ConcurrentHashMap<>();
    private final PriorityQueue<Event> timeline = new PriorityQueue<>();
    private final int[] fill;
    private final boolean[] full;
    private final boolean[] disabled;
    private final AtomicLong nextSeq;
    private volatile boolean inducting = true;
    private volatile boolean closed;
    private volatile String state = "running";

    private final LongAdder inducted = new LongAdder();
    private final LongAdder itemCount = new LongAdder();
    private final LongAdder noReads = new LongAdder();
    private final LongAdder multiReads = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder results = new LongAdder();
    private final Map<Integer, LongAdder> diverted = new ConcurrentHashMap<>();
    private final LongAdder recirculated = new LongAdder();
    private final LongAdder missed = new LongAdder();
    private final LongAdder chuteFull = new LongAdder();
    private final LongAdder jams = new LongAdder();
    private final LongAdder takenOff = new LongAdder();
    private final LongAdder commands = new LongAdder();
    private final LongAdder commandsIgnored = new LongAdder();
    private final LongAdder commandsLate = new LongAdder();

    /** One item on the sorter. The command slot of the current pass is guarded by the item's monitor. */
    private static final class Item {
        final long seq;
        final String label;
        int pass;
        long inductedAtNanos;
        int command = -1;
        boolean deadlinePassed;

        Item(long seq, String label) {
            this.seq = seq;
            this.label = label;
        }
    }

    private enum Kind { INDUCT_NEXT, INDUCT_AGAIN, DEADLINE, DIVERT_POINT, EMPTY_CHUTE, STATUS }

    private record Event(long dueNanos, long order, Kind kind, Item item, int chute) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(dueNanos, o.dueNanos);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private long eventOrder;

    /**
     * @param codes the labels of the items, one per new item (for example the unit codes of open orders)
     */
    public SorterSimulator(String brokerUrl, SorterSettings settings, Supplier<String> codes) {
        this.settings = settings;
        this.codes = codes;
        this.prefix = "sorters/" + settings.sorter() + "/";
        this.random = new Random(settings.seed());
        this.fill = new int[settings.chutes() + 1];
        this.full = new boolean[settings.chutes() + 1];
        this.disabled = new boolean[settings.chutes() + 1];
        // Clock-based, so a restarted simulator does not reuse the numbers of items the server has seen.
        this.nextSeq = new AtomicLong(System.currentTimeMillis() * 1000);
        try {
            client = new MqttAsyncClient(brokerUrl, "sorter-sim-" + settings.sorter() + "-" + System.nanoTime(),
                    new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("broker url " + brokerUrl + ": " + e.getMessage(), e);
        }
        client.setCallback(new Callback());
        thread = new Thread(this::run, "sorter-sim-" + settings.sorter());
        thread.setDaemon(true);
    }

    /** Connects, publishes status and chute states, and starts inducting. */
    public SorterSimulator start() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 5);
        o.setKeepAliveInterval(10);
        o.setSocketFactory(TcpNoDelaySocketFactory.INSTANCE);
        o.setWill(prefix + "status", new MqttMessage("{\"state\":\"offline\"}".getBytes(StandardCharsets.UTF_8), 1, true, null));
        try {
            client.connect(o).waitForCompletion(15_000);
        } catch (MqttException e) {
            throw new IllegalStateException("sorter simulator " + settings.sorter() + " cannot connect: " + e.getMessage(), e);
        }
        for (int c = 1; c <= settings.chutes(); c++) {
            publishChute(c);
        }
        publishStatus();
        long now = System.nanoTime();
        schedule(now, Kind.INDUCT_NEXT, null, 0);
        schedule(now + 2_000_000_000L, Kind.STATUS, null, 0);
        thread.start();
        LOG.info("sorter simulator {}: {} chutes (reject {}), {} items/s", settings.sorter(), settings.chutes(),
                settings.rejectChute(), settings.inductionRate());
        return this;
    }

    public SorterSettings settings() {
        return settings;
    }

    /** Stops putting new items on the sorter; items already on it go on to the end. */
    public void pauseInduction() {
        inducting = false;
    }

    public void resumeInduction() {
        inducting = true;
    }

    /** Items on the sorter now (inducted, not yet diverted, jammed or taken off). */
    public int onSorter() {
        return items.size();
    }

    /** Takes a chute out of use (or back); published as its retained state. */
    public void setChuteDisabled(int chute, boolean off) {
        checkChute(chute);
        synchronized (timeline) {
            disabled[chute] = off;
            publishChute(chute);
        }
    }

    public SorterStats stats() {
        Map<Integer, Long> byChute = new TreeMap<>();
        diverted.forEach((c, n) -> byChute.put(c, n.sum()));
        return new SorterStats(inducted.sum(), itemCount.sum(), noReads.sum(), multiReads.sum(), malformed.sum(),
                results.sum(), byChute, recirculated.sum(), missed.sum(), chuteFull.sum(), jams.sum(), takenOff.sum(), commands.sum(),
                commandsIgnored.sum(), commandsLate.sum(), items.size());
    }

    // ---- the timeline (simulator thread) ----

    private void schedule(long due, Kind kind, Item item, int chute) {
        synchronized (timeline) {
            timeline.add(new Event(due, eventOrder++, kind, item, chute));
        }
    }

    private void run() {
        long interval = (long) (1e9 / settings.inductionRate());
        while (!closed) {
            Event next;
            synchronized (timeline) {
                next = timeline.peek();
            }
            long wait = next == null ? 1_000_000 : next.dueNanos() - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(Math.min(wait, 5_000_000));
                continue;
            }
            synchronized (timeline) {
                timeline.poll();
                try {
                    handle(next, interval);
                } catch (RuntimeException e) {
                    LOG.warn("sorter simulator {}: {}", settings.sorter(), e.toString());
                }
            }
        }
    }

    private void handle(Event e, long interval) {
        switch (e.kind()) {
            case INDUCT_NEXT:
                if (inducting && state.equals("running")) {
                    Item item = new Item(nextSeq.getAndIncrement(), codes.get());
                    items.put(item.seq, item);
                    itemCount.increment();
                    induct(item, e.dueNanos());
                }
                schedule(e.dueNanos() + interval, Kind.INDUCT_NEXT, null, 0);
                break;
            case INDUCT_AGAIN:
                e.item().pass++;
                induct(e.item(), e.dueNanos());
                break;
            case DEADLINE:
                deadline(e.item());
                break;
            case DIVERT_POINT:
                divert(e.item(), e.chute());
                break;
            case EMPTY_CHUTE:
                fill[e.chute()] = 0;
                full[e.chute()] = false;
                publishChute(e.chute());
                break;
            case STATUS:
                publishStatus();
                schedule(e.dueNanos() + 2_000_000_000L, Kind.STATUS, null, 0);
                break;
            default:
                throw new IllegalStateException(e.kind().name());
        }
    }

    private void induct(Item item, long now) {
        synchronized (item) {
            item.command = -1;
            item.deadlinePassed = false;
            item.inductedAtNanos = now;
        }
        String codesJson = read(item);
        inducted.increment();
        publish(prefix + "induction", "{\"seq\":" + item.seq + ",\"pass\":" + item.pass + ",\"codes\":" + codesJson
                + ",\"ts\":" + System.currentTimeMillis() + "}", false);
        schedule(now + settings.firstChuteTravel().toNanos(), Kind.DEADLINE, item, 0);
    }

    /** What the scanner reads this pass, as a JSON array. */
    private String read(Item item) {
        double r = random.nextDouble();
        double t = settings.noReadShare();
        if (r < t) {
            noReads.increment();
            return "[]";
        }
        t += settings.multiReadShare();
        if (r < t) {
            multiReads.increment();
            String other = codes.get();
            // Two different labels on one item: the scanner saw a neighbour's label too.
            return "[\"" + item.label + "\",\"" + (other.equals(item.label) ? other + "X" : other) + "\"]";
        }
        t += settings.malformedShare();
        if (r < t) {
            malformed.increment();
            return "[\"" + item.label.substring(0, Math.max(1, item.label.length() / 2)) + " \\u0007\"]";
        }
        t += settings.doubleReadShare();
        if (r < t) {
            return "[\"" + item.label + "\",\"" + item.label + "\"]";
        }
        return "[\"" + item.label + "\"]";
    }

    /** The item reaches the first chute: without a command it stays on. */
    private void deadline(Item item) {
        int command;
        synchronized (item) {
            item.deadlinePassed = true;
            command = item.command;
        }
        if (command < 0) {
            result(item, 0, "missed");
            missed.increment();
            stayOn(item);
        } else if (command == 0 || command > settings.chutes()) {
            // chute 0, or a chute this sorter does not have: it passes every divert.
            result(item, 0, command == 0 ? "recirculated" : "missed");
            (command == 0 ? recirculated : missed).increment();
            stayOn(item);
        } else {
            long due = item.inductedAtNanos + settings.travelTo(command).toNanos();
            schedule(due, Kind.DIVERT_POINT, item, command);
        }
    }

    private void divert(Item item, int chute) {
        double r = random.nextDouble();
        if (r < settings.jamShare()) {
            jams.increment();
            result(item, chute, "jam");
            items.remove(item.seq);
        } else if (r < settings.jamShare() + settings.missedDivertShare() || disabled[chute]) {
            missed.increment();
            result(item, 0, "missed");
            stayOn(item);
        } else if (full[chute]) {
            chuteFull.increment();
            result(item, 0, "chute-full");
            stayOn(item);
        } else {
            diverted.computeIfAbsent(chute, c -> new LongAdder()).increment();
            result(item, chute, "diverted");
            items.remove(item.seq);
            if (++fill[chute] >= settings.chuteCapacity()) {
                full[chute] = true;
                publishChute(chute);
                schedule(System.nanoTime() + settings.emptyAfter().toNanos(), Kind.EMPTY_CHUTE, null, chute);
            }
        }
    }

    private void stayOn(Item item) {
        if (item.pass + 1 >= settings.maxPasses()) {
            // Round too often: an operator takes it off by hand; the sorter reports nothing more for it.
            takenOff.increment();
            items.remove(item.seq);
            return;
        }
        schedule(item.inductedAtNanos + settings.loopTime().toNanos(), Kind.INDUCT_AGAIN, item, 0);
    }

    private void result(Item item, int chute, String outcome) {
        results.increment();
        publish(prefix + "result", "{\"seq\":" + item.seq + ",\"pass\":" + item.pass + ",\"chute\":" + chute
                + ",\"outcome\":\"" + outcome + "\",\"ts\":" + System.currentTimeMillis() + "}", false);
    }

    private void publishChute(int chute) {
        String s = disabled[chute] ? "disabled" : full[chute] ? "full" : "available";
        int percent = (int) Math.min(100, Math.round(100.0 * fill[chute] / settings.chuteCapacity()));
        publish(prefix + "chutes/" + chute, "{\"state\":\"" + s + "\",\"fill\":" + percent + ",\"ts\":"
                + System.currentTimeMillis() + "}", true);
    }

    private void publishStatus() {
        double speed = 2.0;
        publish(prefix + "status", "{\"state\":\"" + state + "\",\"speed\":" + speed + ",\"inducted\":" + inducted.sum()
                + ",\"ts\":" + System.currentTimeMillis() + "}", true);
    }

    private void publish(String topic, String json, boolean retained) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!closed) {
            try {
                MqttMessage m = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                m.setRetained(retained);
                client.publish(topic, m);
                return;
            } catch (MqttException e) {
                if (System.nanoTime() > deadline) {
                    LOG.warn("sorter simulator {}: {} not published: {}", settings.sorter(), topic, e.toString());
                    return;
                }
                // Broker slow (receive maximum reached) or reconnecting: a real sorter's controller buffers too.
                LockSupport.parkNanos(e.getReasonCode() == MAX_INFLIGHT ? 50_000 : 10_000_000);
            }
        }
    }

    private void checkChute(int chute) {
        if (chute < 1 || chute > settings.chutes()) {
            throw new IllegalArgumentException("chute must be 1.." + settings.chutes() + ", got " + chute);
        }
    }

    // ---- commands (Paho callback thread) ----

    private void onDivert(byte[] payload) {
        String json = new String(payload, StandardCharsets.UTF_8);
        Matcher seq = SEQ.matcher(json);
        Matcher pass = PASS.matcher(json);
        Matcher chute = CHUTE.matcher(json);
        commands.increment();
        if (!seq.find() || !chute.find()) {
            commandsIgnored.increment();
            return;
        }
        int p = pass.find() ? Integer.parseInt(pass.group(1)) : 0;
        Item item = items.get(Long.parseLong(seq.group(1)));
        if (item == null) {
            late(json, "the item is no longer on the sorter");
            return;
        }
        synchronized (item) {
            if (item.pass != p || item.deadlinePassed) {
                late(json, "the item is on pass " + item.pass + ", inducted "
                        + (System.nanoTime() - item.inductedAtNanos) / 1_000_000 + " ms ago");
            } else if (item.command >= 0) {
                commandsIgnored.increment();
            } else {
                item.command = Integer.parseInt(chute.group(1));
            }
        }
    }

    /** Counts a late command; the first few are logged with when they came, so a stall can be told from a trickle. */
    private void late(String command, String why) {
        commandsLate.increment();
        if (commandsLate.sum() <= LATE_COMMANDS_LOGGED) {
            LOG.warn("sorter simulator {}: late divert command {}: {}", settings.sorter(), command, why);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client.isConnected()) {
                client.publish(prefix + "status", ("{\"state\":\"stopped\",\"ts\":" + System.currentTimeMillis() + "}")
                        .getBytes(StandardCharsets.UTF_8), 1, true)
                        .waitForCompletion(2_000);
                client.disconnect(1_000).waitForCompletion(3_000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("closing sorter simulator: {}", e.toString());
        }
    }

    private final class Callback extends MessageCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            try {
                client.subscribe(prefix + "divert", 1);
            } catch (MqttException e) {
                LOG.warn("sorter simulator {}: cannot subscribe to diverts: {}", settings.sorter(), e.toString());
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            onDivert(message.getPayload());
        }

    }
}
