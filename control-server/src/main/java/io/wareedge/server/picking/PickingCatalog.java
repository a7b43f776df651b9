package io.wareedge.server.picking;

import io.wareedge.server.picking.PickingViews.ImportResult;
import io.wareedge.server.picking.PickingViews.LocationIn;
import io.wareedge.server.picking.PickingViews.PickerIn;
import io.wareedge.server.picking.PickingViews.RowProblem;
import io.wareedge.server.picking.PickingViews.SkuIn;
import io.wareedge.server.picking.PickingViews.ZoneIn;
import io.wareedge.server.security.PasswordHashes;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The picking catalogue of a site: zones, SKUs with their barcodes and EPCs, storage locations, pickers. Each
 * import adds or replaces rows by their key; a bad row is refused with its row and field, the others go in.
 */
@Singleton
public final class PickingCatalog {
    /** Ids people type or scan: letters, digits and - _ . / : (no spaces, no commas: they travel in CSV). */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}");
    /** An RFID EPC as a scanner reads it: 96 or 128 bits in hex. */
    static final Pattern EPC = Pattern.compile("(?i)[0-9a-f]{24}|[0-9a-f]{32}");
    private static final Pattern PIN = Pattern.compile("[0-9]{4,8}");
    private static final Set<String> ROLES = Set.of("picker", "supervisor");
    /** See {@link PasswordHashes#hash(String, int)}: the lock-out, not the hash cost, protects a PIN. */
    private static final int PIN_HASH_ITERATIONS = 10_000;

    private final DataSource dataSource;

    public PickingCatalog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A row's key and what is wrong with it, or nothing. */
    private interface RowWriter<T> {
        /** @return the problem, or null when the row was written */
        RowProblem write(Connection c, int row, T value) throws SQLException;
    }

    private <T> ImportResult importRows(List<T> rows, RowWriter<T> writer) throws SQLException {
        List<RowProblem> rejected = new ArrayList<>();
        int accepted = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < rows.size(); i++) {
                RowProblem p = rows.get(i) == null ? new RowProblem(i, null, "row", "null instead of an object")
                        : writer.write(c, i, rows.get(i));
                if (p == null) {
                    accepted++;
                } else {
                    rejected.add(p);
                }
            }
            c.commit();
            if (accepted >= ANALYZE_AFTER_ROWS) {
                analyze(c);
            }
        }
        return new ImportResult(accepted, rejected);
    }

    /** Rows changed in one import after which the planner's statistics are refreshed at once. */
    public static final int ANALYZE_AFTER_ROWS = 500;

    /**
     * A first import turns empty tables into large ones; until autovacuum notices, the planner would join them as
     * if they were empty (a scan of every location per task), so a large import refreshes the statistics itself.
     */
    public static void analyze(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("ANALYZE zones, skus, sku_codes, locations, pickers, orders, order_lines, pick_tasks");
        } finally {
            c.setAutoCommit(auto);
        }
    }

    // ---- zones ----

    public ImportResult putZones(String site, List<ZoneIn> zones) throws SQLException {
        checkSite(site);
        return importRows(zones, (c, row, z) -> {
            if (!isId(z.zone())) {
                return new RowProblem(row, z.zone(), "zone", "zone must be an id (letters, digits, - _ . / :)");
            }
            if (z.conveyor() != null && z.conveyor().split("/").length != 3) {
                return new RowProblem(row, z.zone(), "conveyor", "conveyor must be group/node/device, got '" + z.conveyor() + "'");
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO zones (site, zone, conveyor, fault_metrics) VALUES (?, ?, ?, ?)
                    ON CONFLICT (site, zone) DO UPDATE SET conveyor = excluded.conveyor,
                        fault_metrics = excluded.fault_metrics""")) {
                ps.setString(1, site);
                ps.setString(2, z.zone());
                ps.setString(3, z.conveyor());
                ps.setArray(4, c.createArrayOf("text", z.faultMetrics() == null ? new Object[0] : z.faultMetrics().toArray()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- SKUs ----

    public ImportResult putSkus(String site, List<SkuIn> skus) throws SQLException {
        checkSite(site);
        return importRows(skus, (c, row, s) -> {
            if (!isId(s.sku())) {
                return new RowProblem(row, s.sku(), "sku", "SKU must be an id (letters, digits, - _ . / :)");
            }
            if (s.description() == null || s.description().isBlank() || s.description().length() > 200) {
                return new RowProblem(row, s.sku(), "description", "description must be 1..200 characters");
            }
            List<String> barcodes = s.barcodes() == null ? List.of() : s.barcodes();
            List<String> epcs = s.epcs() == null ? List.of() : s.epcs();
            for (String b : barcodes) {
                if (!isId(b)) {
                    return new RowProblem(row, s.sku(), "barcodes", "barcode '" + b + "' is not a scannable code");
                }
            }
            for (String e : epcs) {
                if (e == null || !EPC.matcher(e).matches()) {
                    return new RowProblem(row, s.sku(), "epcs", "EPC '" + e + "' must be 24 or 32 hex digits");
                }
            }
            Set<String> codes = new HashSet<>();
            barcodes.forEach(codes::add);
            epcs.forEach(e -> codes.add(e.toUpperCase(java.util.Locale.ROOT)));
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT code, sku FROM sku_codes WHERE site = ? AND code = ANY (?) AND sku <> ?")) {
                ps.setString(1, site);
                ps.setArray(2, c.createArrayOf("text", codes.toArray()));
                ps.setString(3, s.sku());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new RowProblem(row, s.sku(), "barcodes", "code " + rs.getString(1)
                                + " belongs to SKU " + rs.getString(2) + " already: a scan must name one SKU");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO skus (site, sku, description) VALUES (?, ?, ?)
                    ON CONFLICT (site, sku) DO UPDATE SET description = excluded.description""")) {
                ps.setString(1, site);
                ps.setString(2, s.sku());
                ps.setString(3, s.description().strip());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sku_codes WHERE site = ? AND sku = ?")) {
                ps.setString(1, site);
                ps.setString(2, s.sku());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sku_codes (site, code, sku, kind) VALUES (?, ?, ?, ?)")) {
                for (String b : new HashSet<>(barcodes)) {
                    ps.setString(1, site);
                    ps.setString(2, b);
                    ps.setString(3, s.sku());
                    ps.setString(4, "barcode");
                    ps.addBatch();
                }
                for (String e : new HashSet<>(epcs)) {
                    ps.setString(1, site);
                    ps.setString(2, e.toUpperCase(java.util.Locale.ROOT));
                    ps.setString(3, s.sku());
                    ps.setString(4, "epc");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    // ---- locations ----

    public ImportResult putLocations(String site, List<LocationIn> locations) throws SQLException {
        checkSite(site);
        return importRows(locations, (c, row, l) -> {
            if (!isId(l.location())) {
                return new RowProblem(row, l.location(), "location", "location must be an id (its label's barcode)");
            }
            for (String[] f : new String[][]{{"aisle", l.aisle()}, {"bay", l.bay()}, {"level", l.level()}}) {
                if (f[1] == null || f[1].isBlank() || f[1].length() > 16) {
                    return new RowProblem(row, l.location(), f[0], f[0] + " must be 1..16 characters");
                }
            }
            if (l.pickSeq() == null || l.pickSeq() < 0) {
                return new RowProblem(row, l.location(), "pickSeq", "pick sequence must be a whole number >= 0");
            }
            if (!exists(c, "SELECT 1 FROM zones WHERE site = ? AND zone = ?", site, l.zone())) {
                return new RowProblem(row, l.location(), "zone", "unknown zone '" + l.zone() + "' (import zones first)");
            }
            if (l.sku() != null && !exists(c, "SELECT 1 FROM skus WHERE site = ? AND sku = ?", site, l.sku())) {
                return new RowProblem(row, l.location(), "sku", "unknown SKU '" + l.sku() + "' (import SKUs first)");
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO locations (site, location, zone, aisle, bay, level, pick_seq, sku)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (site, location) DO UPDATE SET zone = excluded.zone, aisle = excluded.aisle,
                        bay = excluded.bay, level = excluded.level, pick_seq = excluded.pick_seq, sku = excluded.sku""")) {
                ps.setString(1, site);
                ps.setString(2, l.location());
                ps.setString(3, l.zone());
                ps.setString(4, l.aisle().strip());
                ps.setString(5, l.bay().strip());
                ps.setString(6, l.level().strip());
                ps.setInt(7, l.pickSeq());
                ps.setString(8, l.sku());
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- pickers ----

    public ImportResult putPickers(String site, List<PickerIn> pickers) throws SQLException {
        checkSite(site);
        return importRows(pickers, (c, row, p) -> {
            if (!isId(p.badge())) {
                return new RowProblem(row, p.badge(), "badge", "badge must be an id (the code its card scans as)");
            }
            if (p.name() == null || p.name().isBlank() || p.name().length() > 100) {
                return new RowProblem(row, p.badge(), "name", "name must be 1..100 characters");
            }
            if (p.pin() == null || !PIN.matcher(p.pin()).matches()) {
                return new RowProblem(row, p.badge(), "pin", "PIN must be 4..8 digits");
            }
            List<String> roles = p.roles() == null || p.roles().isEmpty() ? List.of("picker") : p.roles();
            if (!ROLES.containsAll(roles)) {
                return new RowProblem(row, p.badge(), "roles", "roles must be among " + ROLES + ", got " + roles);
            }
            if (p.zones() == null || p.zones().isEmpty()) {
                return new RowProblem(row, p.badge(), "zones", "a picker needs at least one zone");
            }
            for (String z : p.zones()) {
                if (!exists(c, "SELECT 1 FROM zones WHERE site = ? AND zone = ?", site, z)) {
                    return new RowProblem(row, p.badge(), "zones", "unknown zone '" + z + "'");
                }
            }
            if (exists(c, "SELECT 1 FROM pickers WHERE site <> ? AND badge = ?", site, p.badge())) {
                return new RowProblem(row, p.badge(), "badge", "badge " + p.badge() + " belongs to another site");
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO pickers (badge, site, name, pin_hash, roles, zones) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (badge) DO UPDATE SET name = excluded.name, pin_hash = excluded.pin_hash,
                        roles = excluded.roles, zones = excluded.zones, failed_pins = 0, locked_until = NULL""")) {
                ps.setString(1, p.badge());
                ps.setString(2, site);
                ps.setString(3, p.name().strip());
                ps.setString(4, PasswordHashes.hash(p.pin(), PIN_HASH_ITERATIONS));
                ps.setArray(5, c.createArrayOf("text", roles.toArray()));
                ps.setArray(6, c.createArrayOf("text", p.zones().toArray()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- CSV forms ----

    /** Rows read from a CSV file, with the spreadsheet row number of each (the header is row 1). */
    public record CsvImport<T>(List<T> rows, List<Integer> numbers) {
        /** The result with JSON-style indexes turned into the file's row numbers. */
        public ImportResult renumber(ImportResult r) {
            return new ImportResult(r.accepted(), r.rejected().stream()
                    .map(p -> new RowProblem(numbers.get(p.row()), p.id(), p.field(), p.message())).toList());
        }
    }

    private static <T> CsvImport<T> fromCsv(String text, java.util.function.Function<Csv.Row, T> mapper) {
        List<Csv.Row> rows = Csv.parse(text);
        return new CsvImport<>(rows.stream().map(mapper).toList(), rows.stream().map(Csv.Row::number).toList());
    }

    public static CsvImport<ZoneIn> zonesFromCsv(String text) {
        return fromCsv(text, r -> new ZoneIn(r.get("zone"), r.get("conveyor"), list(r.get("fault_metrics"))));
    }

    public static CsvImport<SkuIn> skusFromCsv(String text) {
        return fromCsv(text, r -> new SkuIn(r.get("sku"), r.get("description"), list(r.get("barcodes")),
                list(r.get("epcs"))));
    }

    public static CsvImport<LocationIn> locationsFromCsv(String text) {
        return fromCsv(text, r -> {
            Integer seq;
            try {
                seq = r.get("pick_seq") == null ? null : Integer.valueOf(r.get("pick_seq"));
            } catch (NumberFormatException e) {
                seq = -1;
            }
            return new LocationIn(r.get("location"), r.get("zone"), r.get("aisle"), r.get("bay"), r.get("level"), seq,
                    r.get("sku"));
        });
    }

    public static CsvImport<PickerIn> pickersFromCsv(String text) {
        return fromCsv(text, r -> new PickerIn(r.get("badge"), r.get("name"), r.get("pin"), list(r.get("roles")),
                list(r.get("zones"))));
    }

    private static List<String> list(String pipeSeparated) {
        return pipeSeparated == null ? List.of()
                : Arrays.stream(pipeSeparated.split("\\|")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static boolean isId(String s) {
        return s != null && ID.matcher(s).matches();
    }

    static void checkSite(String site) {
        if (!isId(site)) {
            throw new IllegalArgumentException("site must be an id (letters, digits, - _ . / :), got '" + site + "'");
        }
    }

    private static boolean exists(Connection c, String sql, String a, String b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, a);
            ps.setString(2, b);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
