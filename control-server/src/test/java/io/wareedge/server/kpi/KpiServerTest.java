package io.wareedge.server.kpi;

import io.wareedge.embedded.Closing;
import io.micronaut.http.HttpRequest;
import io.wareedge.server.testing.ServerUnderTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KPIs against a scripted hour whose right answers are known in advance (written straight into PostgreSQL, as the
 * ingest, picking and alert services would have): 08:00-09:00 UTC on 2026-01-05, inside the early shift.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KpiServerTest {
    private static final String SITE = "kpi-site";
    private static final String HOUR = "from=2026-01-05T08:00:00Z&to=2026-01-05T09:00:00Z";

    @TempDir
    static Path dir;

    private ServerUnderTest services;

    @BeforeAll
    void start() throws Exception {
        services = ServerUnderTest.start(dir, Map.of());
        script();
    }

    @AfterAll
    void stop() throws Exception {
        Closing.all(services);
    }

    /** The scripted hour. */
    private void script() throws Exception {
        StringBuilder sql = new StringBuilder("INSERT INTO sorters (site, sorter, layout, reject_chute) VALUES ('"
                + SITE + "', 'S1', '{}', 12);");
        // 10 items inducted: 2 no-reads (rejected), one of the others recirculated once (pass 0 to chute 0).
        for (int seq = 0; seq < 10; seq++) {
            boolean noRead = seq < 2;
            boolean recirculated = seq == 2;
            sql.append(decision(seq, 0, noRead ? "'{}'" : "'{C" + seq + "}'", noRead ? 12 : recirculated ? 0 : 1, noRead,
                    noRead ? "no-read" : recirculated ? "chutes-unavailable" : "plan", "08:10:00"));
        }
        sql.append(decision(2, 1, "'{C2}'", 1, false, "plan", "08:12:00"));
        // results: 7 diverted to the right chute, 1 diverted to a wrong one; the no-reads' reject diverts are rejected
        for (int seq = 2; seq < 10; seq++) {
            int pass = seq == 2 ? 1 : 0;
            sql.append("INSERT INTO sort_results (site, sorter, seq, pass, agent, chute, rejected, outcome, destination,"
                    + " correct, at) VALUES ('" + SITE + "', 'S1', " + seq + ", " + pass + ", 'gw', 1, false, 'diverted',"
                    + " 'D', " + (seq != 9) + ", '2026-01-05T08:20:00Z');");
        }
        for (int seq = 0; seq < 2; seq++) {
            sql.append("INSERT INTO sort_results (site, sorter, seq, pass, agent, chute, rejected, outcome, destination,"
                    + " correct, at) VALUES ('" + SITE + "', 'S1', " + seq + ", 0, 'gw', 12, true, 'diverted', NULL, false,"
                    + " '2026-01-05T08:20:00Z');");
        }
        // 4 orders at 08:00; picked after 5, 10 and 20 minutes; one not picked
        int[] pickedAfter = {5, 10, 20, -1};
        for (int o = 0; o < 4; o++) {
            String picked = pickedAfter[o] < 0 ? "NULL" : "'2026-01-05T08:00:00Z'::timestamptz + interval '" + pickedAfter[o] + " minutes'";
            sql.append("INSERT INTO orders (id, site, created_at, picked_at) VALUES ('KO-").append(o).append("', '")
                    .append(SITE).append("', '2026-01-05T08:00:00Z', ").append(picked).append(");");
            sql.append("INSERT INTO order_lines (order_id, line_no, sku, quantity) VALUES ('KO-").append(o)
                    .append("', 1, 'SKU', 3);");
        }
        // zone ZA: picker B1 confirms 3 tasks, B2 confirms 2 and short-picks 1 (8 units picked in all)
        String[][] tasks = {{"B1", "done", "2"}, {"B1", "done", "1"}, {"B1", "done", "1"}, {"B2", "done", "2"},
                {"B2", "done", "1"}, {"B2", "short", "1"}};
        for (int i = 0; i < tasks.length; i++) {
            sql.append("INSERT INTO pick_tasks (site, order_id, line_no, sku, quantity, picked, location, zone, pick_seq,"
                    + " priority, due_at, due_slot, state, done_at, done_by) VALUES ('" + SITE + "', 'KO-" + (i % 4)
                    + "', 1, 'SKU', 3, " + tasks[i][2] + ", 'L1', 'ZA', 1, 0, '2026-01-05T09:00:00Z',"
                    + " '2026-01-05T09:00:00Z', '" + tasks[i][1] + "', '2026-01-05T08:30:00Z', '" + tasks[i][0] + "');");
        }
        // alerts: 2 red (one acknowledged after 60 s and closed after 300 s), 1 yellow; a flood from 08:30 to 08:45
        sql.append(alert("jam", SITE + "/gw/c1", "red", "08:05:00", "'2026-01-05T08:06:00Z'", "'2026-01-05T08:10:00Z'"));
        sql.append(alert("jam", SITE + "/gw/c2", "red", "08:15:00", "NULL", "NULL"));
        sql.append(alert("highTemperature", SITE + "/gw/t1", "yellow", "08:20:00", "NULL", "NULL"));
        sql.append(alert("flood", "area:line-1", "red", "08:30:00", "NULL", "'2026-01-05T08:45:00Z'"));
        // conveyor gw/c1: online from 07:00, dead 08:30-08:45; running from 07:30, stopped 08:15-08:50
        sql.append("INSERT INTO edge_nodes (id, group_id, node_id, online) VALUES (900, '" + SITE + "', 'gw', true);");
        sql.append("INSERT INTO devices (id, edge_node_id, device_id, online, profile) VALUES (900, 900, 'c1', true,"
                + " 'conveyor-plc-opcua');");
        sql.append("INSERT INTO metrics (id, device_id, name, data_type) VALUES (900, 900, 'running', 'BOOLEAN');");
        String[][] changes = {{"07:00:00", "true"}, {"08:30:00", "false"}, {"08:45:00", "true"}};
        for (String[] ch : changes) {
            sql.append("INSERT INTO device_state_changes (device_id, at, online) VALUES (900, '2026-01-05T" + ch[0]
                    + "Z', " + ch[1] + ");");
        }
        String[][] running = {{"07:30:00", "true"}, {"08:15:00", "false"}, {"08:50:00", "true"}, {"09:30:00", "false"}};
        for (String[] r : running) {
            sql.append("INSERT INTO readings (metric_ids, device_id, ts, value_bool) VALUES ('{900}', 900, '2026-01-05T"
                    + r[0] + "Z', '{" + r[1] + "}');");
        }
        services.postgres().execute(sql.toString());
    }

    private static String decision(int seq, int pass, String codes, int chute, boolean rejected, String reason,
                                   String time) {
        return "INSERT INTO sort_decisions (site, sorter, seq, pass, agent, codes, chute, rejected, reason, destination,"
                + " plan_version, inducted_at, decided_at) VALUES ('" + SITE + "', 'S1', " + seq + ", " + pass + ", 'gw', "
                + codes + ", " + chute + ", " + rejected + ", '" + reason + "', " + (rejected ? "NULL" : "'D'")
                + ", 1, '2026-01-05T" + time + "Z', '2026-01-05T" + time + "Z');";
    }

    private static String alert(String rule, String source, String severity, String raised, String acked, String closed) {
        return "INSERT INTO alerts (rule, rule_source, source, area, severity, message, latch, state, active,"
                + " acknowledged, condition_since, raised_at, acked_at, closed_at) VALUES ('" + rule + "', 'test', '"
                + source + "', 'line-1', '" + severity + "', 'm', true, " + ("NULL".equals(closed) ? "'active'" : "'closed'")
                + ", " + "NULL".equals(closed) + ", " + !"NULL".equals(acked) + ", '2026-01-05T" + raised + "Z', '2026-01-05T"
                + raised + "Z', " + acked + ", " + closed + ");";
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> only(String kind, String query) {
        Map<String, Object> table = services.api().object("/api/sites/" + SITE + "/kpis/" + kind + "?" + query);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) table.get("rows");
        assertThat(rows).hasSize(1);
        List<String> columns = (List<String>) table.get("columns");
        List<Object> values = (List<Object>) rows.get(0).get("values");
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            out.put(columns.get(i), values.get(i));
        }
        out.put("window", rows.get(0).get("window"));
        out.put("key", rows.get(0).get("key"));
        return out;
    }

    @Test
    void sortationPerHourAndPerShift() {
        Map<String, Object> hour = only("sortation", "bucket=hour&" + HOUR);
        assertThat(hour).containsEntry("key", "S1").containsEntry("inducted", 10).containsEntry("sorted", 8)
                .containsEntry("recirculated", 1).containsEntry("rejected", 2).containsEntry("noReads", 2)
                .containsEntry("multiReads", 0).containsEntry("withDestination", 8).containsEntry("correct", 7)
                .containsEntry("accuracy", 0.875).containsEntry("noReadRate", 0.2)
                .containsEntry("sortedPerHour", 8.0);
        Map<String, Object> shift = only("sortation", "bucket=shift&" + HOUR);
        assertThat(shift).containsEntry("window", "early").containsEntry("inducted", 10).containsEntry("sortedPerHour", 1.0);
        List<?> minutes = (List<?>) services.api().object("/api/sites/" + SITE + "/kpis/sortation?bucket=minute&" + HOUR).get("rows");
        assertThat(minutes).hasSize(60);
    }

    @Test
    void pickingPerZoneAndPerPicker() {
        Map<String, Object> zone = only("zones", "bucket=hour&" + HOUR);
        assertThat(zone).containsEntry("key", "ZA").containsEntry("picks", 6).containsEntry("confirmed", 5)
                .containsEntry("shortPicked", 1).containsEntry("units", 8).containsEntry("picksPerHour", 6.0);
        Map<String, Object> table = services.api().object("/api/sites/" + SITE + "/kpis/pickers?bucket=hour&" + HOUR);
        assertThat(table.get("rows").toString()).contains("key=B1").contains("key=B2");
    }

    @Test
    void orderCycleTimesAndTheShareWithinTarget() {
        Map<String, Object> orders = only("orders", "bucket=hour&" + HOUR);
        assertThat(orders).containsEntry("arrived", 4).containsEntry("toPick", 4).containsEntry("picked", 3)
                .containsEntry("pickedWithinTarget", 0.5).containsEntry("pickSecondsP50", 600.0)
                .containsEntry("pickSecondsP90", 1080.0).containsEntry("toSort", 0);
    }

    @Test
    void alertsBySeverityWithMttaMttrAndTheShareOfTimeInFlood() {
        Map<String, Object> alerts = only("alerts", "bucket=hour&" + HOUR);
        assertThat(alerts).containsEntry("red", 2).containsEntry("yellow", 1).containsEntry("acknowledged", 1)
                .containsEntry("mttaSeconds", 60.0).containsEntry("mttrSeconds", 300.0).containsEntry("floodShare", 0.25);
    }

    @Test
    void deviceAvailabilityRunningShareAndFaults() {
        Map<String, Object> device = only("devices", "bucket=hour&" + HOUR);
        assertThat(device).containsEntry("key", "gw/c1").containsEntry("onlineSeconds", 2700.0)
                .containsEntry("availability", 0.75).containsEntry("runningSeconds", 1500.0)
                .containsEntry("runningShare", 0.4167).containsEntry("faults", 1);
    }

    /**
     * A line that started long before the window and never changed: the reading that started it is gone (older than
     * the readings retention), and its last value still says it runs.
     */
    @Test
    void aLineRunningUnchangedSinceBeforeTheRetentionCountsAsRunning() throws Exception {
        services.postgres().execute("""
                INSERT INTO devices (id, edge_node_id, device_id, online, profile) VALUES (901, 900, 'c2', true,
                    'conveyor-plc-opcua');
                INSERT INTO metrics (id, device_id, name, data_type, value_bool, quality, value_ts) VALUES
                    (901, 901, 'running', 'BOOLEAN', true, 192, '2025-12-20T06:00:00Z');""");
        try {
            Map<String, Object> table = services.api().object("/api/sites/" + SITE + "/kpis/devices?bucket=hour&" + HOUR);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) table.get("rows");
            assertThat(rows).filteredOn(r -> "gw/c2".equals(r.get("key")))
                    .singleElement().extracting(r -> ((List<?>) r.get("values")).subList(2, 4))
                    .isEqualTo(List.of(3600.0, 1.0));
        } finally {
            services.postgres().execute("DELETE FROM metrics WHERE id = 901; DELETE FROM devices WHERE id = 901;");
        }
    }

    @Test
    void csvForASpreadsheet() {
        String csv = services.api().raw().retrieve(HttpRequest.GET("/api/sites/" + SITE + "/kpis/sortation?bucket=hour&format=csv&" + HOUR)
                .basicAuth(services.server().adminUser(), services.server().adminPassword()), String.class);
        assertThat(csv.split("\r\n")).containsExactly(
                "start,end,window,key,inducted,sorted,recirculated,rejected,noReads,multiReads,missed,withDestination,correct,accuracy,noReadRate,multiReadRate,sortedPerHour",
                "2026-01-05T08:00:00Z,2026-01-05T09:00:00Z,hour,S1,10,8,1,2,2,0,0,8,7,0.875,0.2,0.0,8.0");
    }

    @Test
    void badRequestsSayWhatIsWrong() {
        String base = "/api/sites/" + SITE + "/kpis/";
        for (String bad : new String[]{"nothing?bucket=hour", "sortation?bucket=week", "sortation?from=yesterday",
                "sortation?bucket=minute&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"}) {
            assertThat(services.api().status(HttpRequest.GET(base + bad).basicAuth(services.server().adminUser(), services.server().adminPassword())))
                    .as(bad).isEqualTo(400);
        }
    }
}
