package io.wareedge.server.picking;

import io.wareedge.server.testing.ApiClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A site for picking tests, set up through the API: {@code zones} zones of {@code locationsPerZone} locations each,
 * one SKU per location (barcode {@code BC-<sku>}), and pickers {@code <site>-P001...} with PIN 1234 in every zone.
 */
public record PickingSite(String site, int zones, int locationsPerZone, int pickers) {
    public static final String PIN = "1234";

    public String zone(int z) {
        return "Z" + z;
    }

    public String sku(int z, int l) {
        return site + "-S" + z + "-" + l;
    }

    public String location(int z, int l) {
        return site + "-L" + z + "-" + String.format("%03d", l);
    }

    public String badge(int p) {
        return site + "-P" + String.format("%03d", p);
    }

    public String barcode(String sku) {
        return "BC-" + sku;
    }

    public void create(ApiClient api, Map<Integer, String> conveyors) {
        StringBuilder zonesCsv = new StringBuilder("zone,conveyor,fault_metrics\n");
        StringBuilder skus = new StringBuilder("sku,description,barcodes,epcs\n");
        StringBuilder locations = new StringBuilder("location,zone,aisle,bay,level,pick_seq,sku\n");
        for (int z = 1; z <= zones; z++) {
            zonesCsv.append(zone(z)).append(',').append(conveyors.getOrDefault(z, "")).append(",jam\n");
            for (int l = 1; l <= locationsPerZone; l++) {
                skus.append(sku(z, l)).append(",Item ").append(z).append('-').append(l).append(',')
                        .append(barcode(sku(z, l))).append(",\n");
                locations.append(location(z, l)).append(',').append(zone(z)).append(",A").append(z).append(",B")
                        .append(l).append(",1,").append(l * 10).append(',').append(sku(z, l)).append('\n');
            }
        }
        StringBuilder pickersCsv = new StringBuilder("badge,name,pin,roles,zones\n");
        List<String> allZones = new ArrayList<>();
        for (int z = 1; z <= zones; z++) {
            allZones.add(zone(z));
        }
        for (int p = 1; p <= pickers; p++) {
            pickersCsv.append(badge(p)).append(",Picker ").append(p).append(',').append(PIN).append(",picker,")
                    .append(String.join("|", allZones)).append('\n');
        }
        accepted(api.post("/api/sites/" + site + "/zones", zonesCsv.toString(), "text/csv"), zones);
        accepted(api.post("/api/sites/" + site + "/skus", skus.toString(), "text/csv"), zones * locationsPerZone);
        accepted(api.post("/api/sites/" + site + "/locations", locations.toString(), "text/csv"), zones * locationsPerZone);
        accepted(api.post("/api/sites/" + site + "/pickers", pickersCsv.toString(), "text/csv"), pickers);
    }

    private static void accepted(Map<String, Object> result, int expected) {
        assertThat(result.get("rejected")).as("%s", result).asList().isEmpty();
        assertThat(((Number) result.get("accepted")).intValue()).isEqualTo(expected);
    }
}
