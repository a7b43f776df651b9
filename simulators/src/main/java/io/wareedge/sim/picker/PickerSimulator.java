package io.wareedge.sim.picker;

import com.fasterxml.jackson.databind.JsonNode;
import io.wareedge.sim.picker.HandheldClient.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Floor staff with handhelds: each simulated picker logs in with badge and PIN and works through the tasks the
 * control server hands out at human speed — walking along the pick path, scanning the location, scanning the item
 * (its barcode or EPC), confirming the quantity — now and then scanning a wrong location first (the page refuses
 * it) or short-picking a line. Each picker is one named thread; {@link #close} logs them out.
 */
public final class PickerSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PickerSimulator.class);

    /**
     * @param walkPerStep   walking time per unit of pick sequence between two locations (capped at 20 s per walk)
     * @param scanTime      time to aim the scanner and read one code
     * @param wrongScanShare share of tasks where the picker first scans a wrong location
     * @param shortShare    share of tasks short-picked (the item is not there)
     * @param idlePoll      how often a picker without work asks again
     */
    public record Settings(Duration walkPerStep, Duration scanTime, double wrongScanShare, double shortShare,
                           Duration idlePoll) {
        public static Settings human() {
            return new Settings(Duration.ofMillis(100), Duration.ofMillis(1500), 0.03, 0.02, Duration.ofSeconds(3));
        }

        /** Everything {@code factor} times faster (tests). */
        public Settings faster(double factor) {
            return new Settings(scale(walkPerStep, factor), scale(scanTime, factor), wrongScanShare, shortShare,
                    scale(idlePoll, factor));
        }

        private static Duration scale(Duration d, double factor) {
            return Duration.ofNanos((long) (d.toNanos() / factor));
        }
    }

    /** A finished task: its order and whether it was short-picked. */
    public record Done(String badge, long task, String order, boolean shortPicked) {
    }

    public record Stats(long tasksDone, long shortPicks, long wrongScans, long refused, long errors) {
    }

    private final URI server;
    private final Settings settings;
    private final Consumer<Done> onDone;
    private final HttpClient http = HandheldClient.newHttpClient();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong shorts = new AtomicLong();
    private final AtomicLong wrongScans = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean running = true;

    public PickerSimulator(URI server, Settings settings, Consumer<Done> onDone) {
        this.server = server;
        this.settings = settings;
        this.onDone = onDone;
    }

    /** Starts one picker per badge (all with the same PIN). */
    public PickerSimulator start(List<String> badges, String pin) {
        long seed = 11;
        for (String badge : badges) {
            Random random = new Random(seed++);
            Thread t = new Thread(() -> work(badge, pin, random), "sim-picker-" + badge);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    public Stats stats() {
        return new Stats(done.get(), shorts.get(), wrongScans.get(), refused.get(), errors.get());
    }

    private void work(String badge, String pin, Random random) {
        HandheldClient h = new HandheldClient(http, server);
        int lastSeq = 0;
        JsonNode walk = null; // as the handheld page: the walk the last action's answer carried
        try {
            while (running && !login(h, badge, pin)) {
                pause(settings.idlePoll());
            }
            while (running) {
                try {
                    if (walk == null) {
                        Reply r = h.task();
                        if (r.status() == 401) {
                            login(h, badge, pin);
                            continue;
                        }
                        if (r.status() != 200) {
                            pause(settings.idlePoll());
                            continue;
                        }
                        walk = r.body();
                    }
                    JsonNode t = walk.path("tasks").get(0);
                    int seq = t.path("pickSeq").asInt();
                    pause(settings.walkPerStep().multipliedBy(Math.min(200, Math.abs(seq - lastSeq) + 5)));
                    lastSeq = seq;
                    walk = pick(h, badge, t, random);
                } catch (java.io.IOException e) {
                    errors.incrementAndGet();
                    pause(settings.idlePoll());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                h.logout();
            } catch (Exception e) {
                // the server logs idle handhelds out
            }
        }
    }

    private boolean login(HandheldClient h, String badge, String pin) throws InterruptedException {
        try {
            Reply r = h.login(badge, pin);
            if (r.status() != 200) {
                LOG.warn("simulated picker {} cannot log in: {}", badge, r.error());
            }
            return r.status() == 200;
        } catch (java.io.IOException e) {
            errors.incrementAndGet();
            return false;
        }
    }

    /** Picks the task; returns the walk after it, or null to ask for it (nothing open, or the action was refused). */
    private JsonNode pick(HandheldClient h, String badge, JsonNode t, Random random)
            throws java.io.IOException, InterruptedException {
        long id = t.path("id").asLong();
        int remaining = t.path("remaining").asInt();
        String location = t.path("location").asText();
        pause(settings.scanTime());
        if (random.nextDouble() < settings.wrongScanShare()) {
            // the page checks the location itself; the server would refuse it too: count it and scan again
            wrongScans.incrementAndGet();
            pause(settings.scanTime());
        }
        Reply r;
        if (random.nextDouble() < settings.shortShare()) {
            int found = random.nextInt(remaining);
            pause(settings.scanTime().multipliedBy(found));
            r = h.shortPickAndNext(HandheldClient.newActionId(), id, found, "not-found");
            if (r.status() == 200) {
                shorts.incrementAndGet();
            }
        } else {
            List<String> codes = new ArrayList<>();
            t.path("codes").forEach(c -> codes.add(c.asText()));
            String item = codes.isEmpty() ? t.path("sku").asText() : codes.get(random.nextInt(codes.size()));
            pause(settings.scanTime().multipliedBy(Math.min(remaining, 5)));
            r = h.confirmAndNext(HandheldClient.newActionId(), id, location, item, remaining);
        }
        if (r.status() == 200) {
            done.incrementAndGet();
            if (!"held".equals(r.body().path("taskState").asText())) {
                onDone.accept(new Done(badge, id, t.path("order").asText(), "short".equals(r.body().path("taskState").asText())));
            }
        } else {
            refused.incrementAndGet(); // timed out meanwhile, re-planned away: ask for the next task
        }
        return r.status() == 200 && r.body().has("next") ? r.body().path("next") : null;
    }

    private void pause(Duration d) throws InterruptedException {
        if (!running) {
            throw new InterruptedException("stopping");
        }
        Thread.sleep(Math.max(0, d.toMillis()));
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
