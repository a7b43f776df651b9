package io.wareedge.warehouse;

import io.wareedge.server.ControlServer;
import io.wareedge.server.orders.OrderIn;
import io.wareedge.server.orders.OrderIntake;
import io.wareedge.server.orders.OrderRows;
import io.wareedge.server.picking.PickingCatalog;
import io.wareedge.server.picking.PickingViews;
import io.wareedge.sim.picker.PickerSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picking in the one-process warehouse: three pick zones of 60 locations, one SKU each (barcodes, some RFID
 * tagged), six pickers (four simulated, two left for people on the handheld page), and an order feed. Each order
 * has lines to pick and labelled parcels; when its last line is picked its parcels go to the sorter, so an order
 * goes open → picking → picked → sorted.
 */
final class PickingDemo implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PickingDemo.class);
    static final String[] ZONES = {"ZA", "ZB", "ZC"};
    static final int LOCATIONS_PER_ZONE = 60;
    static final String PIN = "1234";
    static final List<String> SIMULATED = List.of("B-1001", "B-1002", "B-1003", "B-1004");
    static final List<String> FOR_PEOPLE = List.of("B-1005", "B-1006");

    private final ScheduledExecutorService feed;
    private final PickerSimulator pickers;
    private final Map<String, Order> open = new ConcurrentHashMap<>();
    /** Parcels of picked orders waiting for the sorter's induction; bounded: the feed slows if the sorter stops. */
    private final Queue<String> toSort = new ArrayBlockingQueue<>(10_000);
    private final AtomicInteger created = new AtomicInteger();

    private record Order(List<String> parcels, AtomicInteger linesLeft) {
    }

    private PickingDemo(ControlServer server, Duration orderInterval, PickerSimulator.Settings speed) {
        setUpCatalogue(server);
        OrderIntake intake = server.service(OrderIntake.class);
        Random random = new Random(3);
        String prefix = "PO-" + Long.toString(System.currentTimeMillis() / 1000, 36).toUpperCase() + "-";
        this.feed = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warehouse-order-feed");
            t.setDaemon(true);
            return t;
        });
        feed.scheduleWithFixedDelay(() -> newOrder(intake, random, prefix), 0, orderInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        this.pickers = new PickerSimulator(server.url(), speed, this::taskDone).start(SIMULATED, PIN);
    }

    static PickingDemo start(ControlServer server) {
        double factor = Double.parseDouble(System.getProperty("wareedge.sim.picker-speed", "1"));
        Duration interval = Duration.parse("PT" + System.getProperty("wareedge.sim.order-interval", "15s").toUpperCase());
        return new PickingDemo(server, interval, PickerSimulator.Settings.human().faster(factor));
    }

    /** The next parcel of a picked order for the sorter, or null. */
    String nextPickedParcel() {
        return toSort.poll();
    }

    PickerSimulator pickers() {
        return pickers;
    }

    int ordersCreated() {
        return created.get();
    }

    private static void setUpCatalogue(ControlServer server) {
        PickingCatalog catalog = server.service(PickingCatalog.class);
        List<PickingViews.ZoneIn> zones = new ArrayList<>();
        List<PickingViews.SkuIn> skus = new ArrayList<>();
        List<PickingViews.LocationIn> locations = new ArrayList<>();
        int seq = 0;
        for (int z = 0; z < ZONES.length; z++) {
            String zone = ZONES[z];
            // each zone's totes leave on one segment of conveyor line 1: a jam there stops picking in the zone
            zones.add(new PickingViews.ZoneIn(zone, SortationDemo.SITE + "/gateway-1/conveyor-" + (z + 1), List.of("jam")));
            for (int l = 1; l <= LOCATIONS_PER_ZONE; l++) {
                String sku = sku(zone, l);
                List<String> epcs = l % 4 == 0 ? List.of(String.format("3034257BF7194E40%08X", zone.hashCode() * 100 + l)) : List.of();
                skus.add(new PickingViews.SkuIn(sku, "Demo item " + zone + "-" + l, List.of(barcode(zone, l)), epcs));
                String aisle = zone.substring(1) + ((l - 1) / 20 + 1);
                locations.add(new PickingViews.LocationIn(location(zone, l), zone, aisle,
                        String.valueOf((l - 1) % 20 + 1), String.valueOf(1 + l % 3), seq += 10, sku));
            }
        }
        List<PickingViews.PickerIn> people = new ArrayList<>();
        List<String> all = new ArrayList<>(SIMULATED);
        all.addAll(FOR_PEOPLE);
        for (int i = 0; i < all.size(); i++) {
            people.add(new PickingViews.PickerIn(all.get(i), i < SIMULATED.size() ? "Simulated picker " + (i + 1)
                    : "Floor staff " + (i + 1 - SIMULATED.size()), PIN, List.of("picker"), List.of(ZONES)));
        }
        try {
            List<PickingViews.RowProblem> problems = new ArrayList<>();
            problems.addAll(catalog.putZones(SortationDemo.SITE, zones).rejected());
            problems.addAll(catalog.putSkus(SortationDemo.SITE, skus).rejected());
            problems.addAll(catalog.putLocations(SortationDemo.SITE, locations).rejected());
            problems.addAll(catalog.putPickers(SortationDemo.SITE, people).rejected());
            if (!problems.isEmpty()) {
                throw new IllegalStateException("demo catalogue refused: " + problems);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("setting up the demo catalogue failed: " + e.getMessage(), e);
        }
    }

    static String sku(String zone, int l) {
        return "SKU-" + zone + "-" + String.format("%03d", l);
    }

    static String barcode(String zone, int l) {
        return String.format("4006381%06d", (zone.charAt(1) - 'A') * 1000 + l);
    }

    static String location(String zone, int l) {
        return zone + "-" + String.format("%02d-%03d", (l - 1) / 20 + 1, l);
    }

    private void newOrder(OrderIntake intake, Random random, String prefix) {
        try {
            String id = prefix + String.format("%05d", created.get() + 1);
            List<OrderIn.LineIn> lines = new ArrayList<>();
            int n = 1 + random.nextInt(4);
            for (int i = 0; i < n; i++) {
                String zone = ZONES[random.nextInt(ZONES.length)];
                lines.add(new OrderIn.LineIn(i + 1, sku(zone, 1 + random.nextInt(LOCATIONS_PER_ZONE)),
                        random.nextInt(5) == 0 ? 2 + random.nextInt(3) : 1));
            }
            List<String> parcels = new ArrayList<>();
            for (int p = 1; p <= 1 + n / 2; p++) {
                parcels.add(id.replace("-", "") + "P" + p);
            }
            String destination = SortationDemo.DESTINATIONS[random.nextInt(SortationDemo.DESTINATIONS.length)];
            open.put(id, new Order(parcels, new AtomicInteger(n)));
            var result = intake.add(OrderRows.fromJson(List.of(new OrderIn(id, SortationDemo.SITE, destination,
                    parcels, random.nextInt(10) == 0 ? 5 : 0, null, lines))));
            if (result.accepted() == 1) {
                created.incrementAndGet();
            } else {
                open.remove(id);
                LOG.warn("demo order {} refused: {}", id, result.rejected());
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("demo order feed: {}", e.toString());
        }
    }

    private void taskDone(PickerSimulator.Done done) {
        Order o = open.get(done.order());
        if (o != null && o.linesLeft().decrementAndGet() == 0) {
            open.remove(done.order());
            o.parcels().forEach(toSort::offer);
        }
    }

    @Override
    public void close() {
        feed.shutdownNow();
        pickers.close();
    }
}
