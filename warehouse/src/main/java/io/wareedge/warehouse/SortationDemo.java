package io.wareedge.warehouse;

import io.wareedge.server.ControlServer;
import io.wareedge.server.sortation.SortPlans;
import io.wareedge.server.orders.OrderIn;
import io.wareedge.server.orders.OrderIntake;
import io.wareedge.server.orders.OrderRows;
import io.wareedge.sim.sorter.SorterSettings;
import io.wareedge.sim.sorter.SorterSimulator;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The sorter of the one-process warehouse: a 12-chute sorter (chute 12 rejects) serving carriers and stores, a
 * set of open orders whose parcels it sorts, and the simulated sorter inducting those parcels (plus the odd label
 * nobody knows). The layout and orders go in through the control server's sortation service, like an API client.
 */
final class SortationDemo {
    static final String SITE = "dc-north";
    static final String SORTER = "sorter-1";
    static final int ORDERS = 2_000;
    static final String[] DESTINATIONS = {"DHL-1", "DHL-2", "UPS-1", "UPS-2", "FEDEX-1", "STORE-001",
            "STORE-002", "STORE-003", "STORE-004", "STORE-005"};

    static final String LAYOUT = """
            {"chutes": [
               {"number": 1, "destinations": ["DHL-1"]}, {"number": 2, "destinations": ["DHL-1", "DHL-2"]},
               {"number": 3, "destinations": ["DHL-2"]}, {"number": 4, "destinations": ["UPS-1"]},
               {"number": 5, "destinations": ["UPS-2"]}, {"number": 6, "destinations": ["FEDEX-1"]},
               {"number": 7, "destinations": ["STORE-001"]}, {"number": 8, "destinations": ["STORE-002"]},
               {"number": 9, "destinations": ["STORE-003"]}, {"number": 10, "destinations": ["STORE-004"]},
               {"number": 11, "destinations": ["STORE-005", "UPS-1"]}, {"number": 12, "destinations": []}],
             "rejectChute": 12, "maxRecirculations": 2, "noRead": "reject", "unknownCode": "recirculate",
             "multiRead": "reject"}""";

    private SortationDemo() {
    }

    /** Puts the layout and the demo orders in (idempotent: existing orders are left as they are). */
    static List<String> setUp(ControlServer server) {
        SortPlans plans = server.service(SortPlans.class);
        List<OrderIn> orders = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        for (int i = 1; i <= ORDERS; i++) {
            List<String> units = new ArrayList<>();
            for (int u = 1; u <= 1 + i % 3; u++) {
                units.add(String.format("PCL%06d%02d", i, u));
            }
            codes.addAll(units);
            orders.add(new OrderIn(String.format("SO-%06d", i), SITE, DESTINATIONS[i % DESTINATIONS.length], units,
                    null, null, null));
        }
        try {
            plans.putLayout(SITE, SORTER, LAYOUT.getBytes(StandardCharsets.UTF_8));
            server.service(OrderIntake.class).add(OrderRows.fromJson(orders));
        } catch (SQLException e) {
            throw new IllegalStateException("setting up the demo sorter failed: " + e.getMessage(), e);
        }
        return codes;
    }

    /**
     * The simulated sorter inducting the orders' parcels: parcels of freshly picked orders first (they arrive on
     * the conveyor from the pick zones), otherwise one of the open orders' parcels; one in 200 labels is unknown.
     */
    static SorterSimulator startSorter(String brokerUrl, List<String> codes, Supplier<String> picked, double rate) {
        Random random = new Random(7);
        SorterSettings settings = SorterSettings.defaults(SORTER).withRate(rate);
        return new SorterSimulator(brokerUrl, settings, () -> {
            String fromPicking = picked.get();
            if (fromPicking != null) {
                return fromPicking;
            }
            synchronized (random) {
                return random.nextInt(200) == 0 ? "UNKNOWN" + random.nextInt(1_000_000)
                        : codes.get(random.nextInt(codes.size()));
            }
        }).start();
    }
}
