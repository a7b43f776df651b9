package io.wareedge.warehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.embedded.PostgresServer;
import io.wareedge.server.ControlServer;
import io.wareedge.server.orders.OrderIn;
import io.wareedge.server.orders.OrderIntake;
import io.wareedge.server.orders.OrderRows;
import io.wareedge.server.picking.PickingCatalog;
import io.wareedge.server.picking.PickingViews;
import io.wareedge.sim.picker.HandheldClient;
import io.wareedge.sim.picker.HandheldClient.Reply;
import io.wareedge.warehouse.ExternalDatabaseServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Picking benchmark: a site with {@code --pickers} logged-in pickers (1,000) and {@code --lines} open order lines
 * (100,000) over 10 zones of 1,000 locations, in PostgreSQL. Driver threads play the handhelds over HTTP: each
 * takes its pickers in turn and, for each, asks for the next task and confirms it (location, item, quantity) with
 * no think time, so the server runs as fast as it can at the given concurrency. Each driver thread has its own
 * blocking keep-alive connection ({@code --driver=jdk}: the JDK's HTTP client instead, which costs the shared cores
 * several thread wake-ups per request).
 *
 * <p>Prints, per concurrency level: confirmations per second held, and p50/p99/max of "next task" and of
 * "confirm", next to the same driver's round trip to {@code GET /health} (the HTTP floor on this machine) in the
 * same run.
 *
 * <p>Run: {@code ./bench picking [--pickers=1000] [--lines=100000] [--concurrency=4,16,64] [--duration=20]
 * [--warmup=30] [--driver=socket|jdk]}
 */
public final class PickBench {
    private static final int ZONES = 10;
    private static final int LOCATIONS_PER_ZONE = 1_000;
    private static final String SITE = "bench";
    private static final String PIN = "1234";

    public static void main(String[] args) throws Exception {
        BenchArgs.quietLogging();
        Map<String, String> a = BenchArgs.parse(args);
        int pickers = Integer.parseInt(a.getOrDefault("pickers", "1000"));
        int lines = Integer.parseInt(a.getOrDefault("lines", "100000"));
        int duration = Integer.parseInt(a.getOrDefault("duration", "20"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "30"));
        int[] levels = Arrays.stream(a.getOrDefault("concurrency", "4,16,64").split(",")).mapToInt(Integer::parseInt).toArray();
        boolean jdkClient = a.getOrDefault("driver", "socket").equals("jdk");
        Path work = BenchArgs.workDir("wareedge-pick-bench", a);
        System.out.printf("picking bench: %,d pickers, %,d open lines in %d zones x %,d locations, concurrency %s, %d s per level after %d s warm-up%n",
                pickers, lines, ZONES, LOCATIONS_PER_ZONE, Arrays.toString(levels), duration, warmup);
        try (PostgresServer pg = PostgresServer.startAny(work.resolve("pg"));
             EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(work.resolve("broker"), 0);
             ControlServer server = ExternalDatabaseServer.start(pg, broker.url(), work.resolve("server"), "bench")) {
            System.out.printf("%s, control server %s (in this JVM), %d cores%n", pg.description(), server.url(),
                    Runtime.getRuntime().availableProcessors());
            long t0 = System.nanoTime();
            seed(server, pickers, lines);
            System.out.printf("set-up: catalogue, %,d pickers and %,d lines in %.0f s%n", pickers, lines,
                    (System.nanoTime() - t0) / 1e9);

            HandheldClient.Transport http = jdkClient
                    ? HandheldClient.transport(HandheldClient.newHttpClient(), server.url()) : new KeepAliveHttp(server.url());
            List<HandheldClient> hands = new ArrayList<>();
            for (int p = 0; p < pickers; p++) {
                HandheldClient h = new HandheldClient(http);
                Reply r = h.login(badge(p), PIN);
                if (r.status() != 200) {
                    throw new IllegalStateException("log-in of " + badge(p) + " failed: " + r.body());
                }
                hands.add(h);
            }
            if (warmup > 0) {
                run(http, hands, levels[levels.length - 1], warmup);
            }
            System.out.printf("%n%-6s %10s | %-26s | %-26s | %-26s | %s%n", "conc.", "confirms/s", "next task p50/p99/max ms",
                    "confirm p50/p99/max ms", "GET /health p50/p99/max ms", "errors");
            for (int level : levels) {
                Result r = run(http, hands, level, duration);
                System.out.printf("%-6d %10.0f | %-26s | %-26s | %-26s | %d%n", level, r.confirmsPerSecond,
                        r.next.summary(), r.confirm.summary(), r.health.summary(), r.errors);
            }
            System.out.printf("%nopen lines left: %,d of %,d%n", openLines(server), lines);
        }
    }

    private static String badge(int p) {
        return String.format("BP-%04d", p);
    }

    private static String sku(int zone, int l) {
        return String.format("BS-%02d-%04d", zone, l);
    }

    private static void seed(ControlServer server, int pickers, int lines) throws Exception {
        PickingCatalog catalog = server.service(PickingCatalog.class);
        List<PickingViews.ZoneIn> zones = new ArrayList<>();
        List<PickingViews.SkuIn> skus = new ArrayList<>();
        List<PickingViews.LocationIn> locations = new ArrayList<>();
        for (int z = 0; z < ZONES; z++) {
            zones.add(new PickingViews.ZoneIn("BZ" + z, null, List.of()));
            for (int l = 0; l < LOCATIONS_PER_ZONE; l++) {
                skus.add(new PickingViews.SkuIn(sku(z, l), "Bench item " + z + "-" + l, List.of("BC" + sku(z, l)), List.of()));
                locations.add(new PickingViews.LocationIn(String.format("BL-%02d-%04d", z, l), "BZ" + z,
                        String.valueOf(l / 50), String.valueOf(l % 50), "1", l * 10, sku(z, l)));
            }
        }
        check(catalog.putZones(SITE, zones));
        check(catalog.putSkus(SITE, skus));
        check(catalog.putLocations(SITE, locations));
        List<PickingViews.PickerIn> people = new ArrayList<>();
        for (int p = 0; p < pickers; p++) {
            people.add(new PickingViews.PickerIn(badge(p), "Bench picker " + p, PIN, List.of("picker"),
                    List.of("BZ" + (p % ZONES), "BZ" + ((p + 1) % ZONES))));
        }
        check(catalog.putPickers(SITE, people));
        OrderIntake intake = server.service(OrderIntake.class);
        Random random = new Random(5);
        int linesPerOrder = 4;
        int order = 0;
        int written = 0;
        while (written < lines) {
            List<OrderIn> chunk = new ArrayList<>();
            for (int i = 0; i < 500 && written < lines; i++) {
                int zone = random.nextInt(ZONES);
                List<OrderIn.LineIn> ls = new ArrayList<>();
                for (int l = 0; l < linesPerOrder && written < lines; l++, written++) {
                    ls.add(new OrderIn.LineIn(l + 1, sku(zone, random.nextInt(LOCATIONS_PER_ZONE)), 1 + random.nextInt(3)));
                }
                chunk.add(new OrderIn(String.format("BO-%06d", order++), SITE, null, List.of(),
                        random.nextInt(20) == 0 ? 5 : 0, null, ls));
            }
            PickingViews.ImportResult r = intake.add(OrderRows.fromJson(chunk));
            if (!r.rejected().isEmpty()) {
                throw new IllegalStateException("bench orders refused: " + r.rejected().subList(0, 1));
            }
        }
    }

    private static void check(PickingViews.ImportResult r) {
        if (!r.rejected().isEmpty()) {
            throw new IllegalStateException("bench catalogue refused: " + r.rejected().subList(0, Math.min(3, r.rejected().size())));
        }
    }

    private static long openLines(ControlServer server) throws Exception {
        try (var c = server.service(javax.sql.DataSource.class).getConnection();
             var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM pick_tasks WHERE site = 'bench' AND state IN ('open', 'held')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Latencies of one kind of request, in nanoseconds. */
    private static final class Latencies {
        private long[] values = new long[1 << 16];
        private int size;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        void addAll(Latencies other) {
            for (int i = 0; i < other.size; i++) {
                add(other.values[i]);
            }
        }

        String summary() {
            if (size == 0) {
                return "-";
            }
            long[] v = Arrays.copyOf(values, size);
            Arrays.sort(v);
            return String.format("%.2f / %.2f / %.1f", v[size / 2] / 1e6, v[(int) Math.min(size - 1, size * 0.99)] / 1e6,
                    v[size - 1] / 1e6);
        }
    }

    private record Result(double confirmsPerSecond, Latencies next, Latencies confirm, Latencies health, long errors) {
    }

    private record WorkerResult(long confirms, Latencies next, Latencies confirm, Latencies health, long errors) {
    }

    /**
     * {@code threads} closed-loop workers for {@code seconds}; worker i plays pickers i, i+threads, ... in turn.
     * One request in ten is a {@code GET /health} from the same worker, the HTTP floor measured alongside.
     */
    private static Result run(HandheldClient.Transport http, List<HandheldClient> hands, int threads,
                              int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-handheld");
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<WorkerResult>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < threads; w++) {
            int first = w;
            futures.add(pool.submit(() -> {
                Latencies next = new Latencies();
                Latencies confirm = new Latencies();
                Latencies floor = new Latencies();
                long confirms = 0;
                long errors = 0;
                int i = first;
                int n = 0;
                while (!stop.get()) {
                    HandheldClient h = hands.get(i);
                    i = (i + threads) % hands.size();
                    if (i < threads && i != first) {
                        i = first;
                    }
                    if (++n % 10 == 0) {
                        long t = System.nanoTime();
                        HandheldClient.Answer r = http.exchange("GET", "/health", List.of(), null);
                        floor.add(System.nanoTime() - t);
                        if (r.status() != 200) {
                            errors++;
                        }
                    }
                    long t1 = System.nanoTime();
                    Reply task = h.task();
                    next.add(System.nanoTime() - t1);
                    if (task.status() != 200) {
                        if (task.status() != 204) {
                            errors++;
                        }
                        continue;
                    }
                    JsonNode t = task.body().path("tasks").get(0);
                    long t2 = System.nanoTime();
                    Reply c = h.confirm(HandheldClient.newActionId(), t.path("id").asLong(), t.path("location").asText(),
                            t.path("codes").get(0).asText(), t.path("remaining").asInt());
                    confirm.add(System.nanoTime() - t2);
                    if (c.status() == 200) {
                        confirms++;
                    } else {
                        errors++;
                    }
                }
                return new WorkerResult(confirms, next, confirm, floor, errors);
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        Latencies next = new Latencies();
        Latencies confirm = new Latencies();
        Latencies floor = new Latencies();
        long confirms = 0;
        long errors = 0;
        for (Future<WorkerResult> f : futures) {
            WorkerResult r = f.get();
            confirms += r.confirms();
            errors += r.errors();
            next.addAll(r.next());
            confirm.addAll(r.confirm());
            floor.addAll(r.health());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Result(confirms / elapsed, next, confirm, floor, errors);
    }
}
