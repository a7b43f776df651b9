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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Picking benchmark: a site with {@code --pickers} logged-in pickers (1,000) and {@code --lines} open order lines
 * (100,000) over 10 zones of 1,000 locations, in PostgreSQL. Driver threads play the handhelds over HTTP: each
 * takes its pickers in turn and, for each, confirms its current task (location, item, quantity) with no think
 * time, so the server runs as fast as it can at the given concurrency. {@code --flow=page} (default) does what the
 * handheld page does: the confirmation asks for the next task in its answer, and {@code GET /api/handheld/task} is
 * only called by a handheld that has no task in hand. {@code --flow=separate} asks {@code GET} for every task and
 * then confirms it (two requests per task, as the page did before 2026-11-30). {@code --flow=page,separate} runs
 * both, one after the other at each concurrency level, on the same server and data. Each driver thread has its own
 * blocking keep-alive connection ({@code --driver=jdk}: the JDK's HTTP client instead, which costs the shared cores
 * several thread wake-ups per request).
 *
 * <p>Prints, per concurrency level: confirmations per second held, and p50/p99/max of {@code GET} task and of the
 * confirmation (page flow: with the next task in its answer), next to the same driver's round trip to
 * {@code GET /health} (the HTTP floor on this machine) in the same run. Before each level the pool is topped up
 * with new orders to {@code --lines} open lines again, so that every level starts with the pool the figure names.
 *
 * <p>Run: {@code ./bench picking [--pickers=1000] [--lines=100000] [--concurrency=4,16,64] [--duration=20]
 * [--warmup=120] [--driver=socket|jdk] [--flow=page|separate|page,separate]}
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
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "120"));
        int[] levels = Arrays.stream(a.getOrDefault("concurrency", "4,16,64").split(",")).mapToInt(Integer::parseInt).toArray();
        boolean jdkClient = a.getOrDefault("driver", "socket").equals("jdk");
        List<Flow> flows = Arrays.stream(a.getOrDefault("flow", "page").split(",")).map(Flow::of).toList();
        Path work = BenchArgs.workDir("wareedge-pick-bench", a);
        System.out.printf("picking bench: %,d pickers, %,d open lines in %d zones x %,d locations, concurrency %s, %d s per level after %d s warm-up, %s%n",
                pickers, lines, ZONES, LOCATIONS_PER_ZONE, Arrays.toString(levels), duration, warmup,
                flows.stream().map(f -> f.description).collect(java.util.stream.Collectors.joining("; ")));
        try (PostgresServer pg = PostgresServer.startAny(work.resolve("pg"));
             EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(work.resolve("broker"), 0);
             ControlServer server = ExternalDatabaseServer.start(pg, broker.url(), work.resolve("server"), "bench")) {
            System.out.printf("%s, control server %s (in this JVM), %d cores%n", pg.description(), server.url(),
                    Runtime.getRuntime().availableProcessors());
            long t0 = System.nanoTime();
            OrderSource orders = new OrderSource(server);
            seed(server, pickers);
            orders.add(lines);
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
            for (Flow flow : flows) {
                if (warmup > 0) {
                    run(http, hands, flow, levels[levels.length - 1], Math.max(1, warmup / flows.size()));
                }
            }
            // confirm column: the confirmation's round trip (page flow: with the next task in its answer)
            // CPU column: ms of CPU per confirmation, this JVM (server and driver) + PostgreSQL (all its processes);
            // xacts: PostgreSQL transactions committed per confirmation; JIT s: the compilers' time during the level
            // (a level measured while the JIT still compiles is not the server's steady state)
            System.out.printf("%n%-6s %-8s %10s | %-26s | %8s | %-26s | %-26s | %-17s | %6s | %5s | %s%n", "conc.",
                    "flow", "confirms/s", "GET task p50/p99/max ms", "GET n", "confirm p50/p99/max ms",
                    "GET /health p50/p99/max ms", "CPU ms JVM+PG", "xacts", "JIT s", "errors");
            for (int level : levels) {
                for (Flow flow : flows) { // flows alternate at each level: their ratio is measured in the same run
                    orders.add(lines - openLines(server));
                    CpuSample before = CpuSample.take(work.resolve("pg"), server);
                    Result r = run(http, hands, flow, level, duration);
                    CpuSample after = CpuSample.take(work.resolve("pg"), server);
                    System.out.printf("%-6d %-8s %10.0f | %-26s | %8d | %-26s | %-26s | %-17s | %6s | %5s | %d%n",
                            level, flow.name().toLowerCase(java.util.Locale.ROOT), r.confirmsPerSecond,
                            r.next.summary(), r.next.size, r.confirm.summary(), r.health.summary(),
                            before.perConfirm(after, r.confirms), before.transactionsPerConfirm(after, r.confirms),
                            before.jitSeconds(after), r.errors);
                    if (r.empty > 0) {
                        System.out.printf("       ^ not valid: %,d answers had nothing to pick (the pool ran dry; "
                                + "give more --lines or fewer levels)%n", r.empty);
                    }
                }
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

    private static void seed(ControlServer server, int pickers) throws Exception {
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
    }

    /** Orders of 4 lines (1-3 units each) at random locations of a random zone, one in 20 urgent. */
    private static final class OrderSource {
        private final OrderIntake intake;
        private final Random random = new Random(5);
        private int order;

        OrderSource(ControlServer server) {
            this.intake = server.service(OrderIntake.class);
        }

        void add(long lines) throws Exception {
            int linesPerOrder = 4;
            long written = 0;
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

    /** How a handheld goes through a scan cycle. */
    private enum Flow {
        PAGE("page flow: each confirmation's answer carries the next task (GET task only when a handheld has none)"),
        SEPARATE("separate flow: GET task, then confirm, for every task");

        final String description;

        Flow(String description) {
            this.description = description;
        }

        static Flow of(String value) {
            return switch (value) {
                case "page" -> PAGE;
                case "separate" -> SEPARATE;
                default -> throw new IllegalArgumentException("--flow must be page or separate, got " + value);
            };
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

    /** {@code empty}: "next task" answers with nothing to pick (the pool ran dry for that picker's zones). */
    private record Result(double confirmsPerSecond, long confirms, Latencies next, Latencies confirm, Latencies health,
                          long errors, long empty) {
    }

    /** CPU ticks of this JVM and of the PostgreSQL server, and the transactions PostgreSQL committed, at one moment. */
    private record CpuSample(long jvmTicks, long postgresTicks, long transactions, long jitMillis) {
        static CpuSample take(Path pgData, ControlServer server) throws Exception {
            long jvm = TelemetryBench.ProcStat.of(ProcessHandle.current().pid()).cpuTicks();
            long jit = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long pg = TelemetryBench.ProcStat.postgresTicks(pgData);
            try (var c = server.service(javax.sql.DataSource.class).getConnection();
                 var s = c.createStatement();
                 var rs = s.executeQuery("SELECT sum(xact_commit) FROM pg_stat_database")) {
                rs.next();
                return new CpuSample(jvm, pg, rs.getLong(1), jit);
            }
        }

        String perConfirm(CpuSample after, long confirms) {
            double perTick = 1000.0 / TelemetryBench.ProcStat.TICKS_PER_SECOND / Math.max(1, confirms);
            return String.format("%.2f + %s", (after.jvmTicks - jvmTicks) * perTick, postgresTicks < 0 ? "?"
                    : String.format("%.2f", (after.postgresTicks - postgresTicks) * perTick));
        }

        /** Time the JIT compilers spent between the two samples: near 0 once the server is warm. */
        String jitSeconds(CpuSample after) {
            return String.format("%.1f", (after.jitMillis - jitMillis) / 1000.0);
        }

        String transactionsPerConfirm(CpuSample after, long confirms) {
            return String.format("%.2f", (after.transactions - transactions) / (double) Math.max(1, confirms));
        }
    }

    private record WorkerResult(long confirms, Latencies next, Latencies confirm, Latencies health, long errors,
                                long empty) {
    }

    /**
     * {@code threads} closed-loop workers for {@code seconds}; worker i plays pickers i, i+threads, ... in turn.
     * One request in ten is a {@code GET /health} from the same worker, the HTTP floor measured alongside.
     */
    private static Result run(HandheldClient.Transport http, List<HandheldClient> hands, Flow flow, int threads,
                              int seconds) throws Exception {
        // the walk each handheld has in hand (page flow); a handheld belongs to one worker at a time
        Map<HandheldClient, JsonNode> walks = new ConcurrentHashMap<>();
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
                long empty = 0;
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
                    JsonNode walk = walks.get(h);
                    if (walk == null) {
                        long t1 = System.nanoTime();
                        Reply task = h.task();
                        next.add(System.nanoTime() - t1);
                        if (task.status() != 200) {
                            if (task.status() == 204) {
                                empty++;
                            } else {
                                errors++;
                            }
                            continue;
                        }
                        walk = task.body();
                    }
                    JsonNode t = walk.path("tasks").get(0);
                    long t2 = System.nanoTime();
                    String id = HandheldClient.newActionId();
                    String location = t.path("location").asText();
                    String code = t.path("codes").get(0).asText();
                    Reply c = flow == Flow.PAGE
                            ? h.confirmAndNext(id, t.path("id").asLong(), location, code, t.path("remaining").asInt())
                            : h.confirm(id, t.path("id").asLong(), location, code, t.path("remaining").asInt());
                    confirm.add(System.nanoTime() - t2);
                    if (c.status() == 200) {
                        confirms++;
                    } else {
                        errors++;
                    }
                    if (flow == Flow.PAGE && c.status() == 200 && c.body().has("next")) {
                        walks.put(h, c.body().path("next"));
                    } else {
                        walks.remove(h);
                    }
                }
                return new WorkerResult(confirms, next, confirm, floor, errors, empty);
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        Latencies next = new Latencies();
        Latencies confirm = new Latencies();
        Latencies floor = new Latencies();
        long confirms = 0;
        long errors = 0;
        long empty = 0;
        for (Future<WorkerResult> f : futures) {
            WorkerResult r = f.get();
            confirms += r.confirms();
            errors += r.errors();
            empty += r.empty();
            next.addAll(r.next());
            confirm.addAll(r.confirm());
            floor.addAll(r.health());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Result(confirms / elapsed, confirms, next, confirm, floor, errors, empty);
    }
}
