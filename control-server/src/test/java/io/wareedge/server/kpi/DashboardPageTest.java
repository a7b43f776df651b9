package io.wareedge.server.kpi;

import io.wareedge.embedded.Closing;
import io.wareedge.server.testing.Browsers;
import io.wareedge.server.testing.TestEdgeNode;
import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.Metric;
import io.wareedge.server.testing.ServerUnderTest;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import javax.imageio.ImageIO;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations dashboard in a real headless chromium against a real control server: the last hour of sortation,
 * picking and orders written straight into PostgreSQL (as the sortation and picking services would have), a sorter
 * and a conveyor on a Sparkplug edge node, and the conveyor jammed (a red alert raised by the server's own alert
 * engine). The page must chart the data, colour the conveyor red, list the jam and the late order, and a screenshot
 * of it must show the red tile where the page says it is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardPageTest {
    private static final String SITE = "dc-dash";
    private static final String NODE = "line-plc";
    private static final String CONVEYOR = "conveyor-7";
    private static final String SORTER = "S1";
    private static final Path SCREENSHOT = Path.of("target", "dashboard.png");
    private static final int WIDTH = 1600;
    private static final int HEIGHT = 1000;
    /** .tile.red in dashboard.css */
    private static final int TILE_RED = 0xd00000;

    @TempDir
    static Path dir;

    private ServerUnderTest services;
    private ChromeDriver browser;
    private TestEdgeNode edge;
    private ScheduledExecutorService plc;
    private final AtomicReference<Exception> plcFailure = new AtomicReference<>();

    @BeforeAll
    void start() throws Exception {
        services = ServerUnderTest.start(dir, Map.of());
        browser = Browsers.headlessChromium(dir.resolve("chromium"), WIDTH, HEIGHT);
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
        script();

        edge = TestEdgeNode.start(services.broker().url(), SITE, NODE);
        long now = System.currentTimeMillis();
        edge.deviceBirth(CONVEYOR, "conveyor-plc-opcua", "conveyor-plc", List.of(
                Metric.of("Device/Area", now, DataType.STRING, "line-7"),
                Metric.of("running", now, DataType.BOOLEAN, true),
                Metric.of("motorCurrent", now, DataType.FLOAT, 4.2),
                Metric.of("jam", now, DataType.BOOLEAN, false),
                Metric.of("faultCode", now, DataType.INT16, 0L)));
        edge.deviceBirth(SORTER, "generic-sorter", "sorter", List.of(
                Metric.of("Device/Area", now, DataType.STRING, "sortation"),
                Metric.of("state", now, DataType.STRING, "running"),
                Metric.of("speed", now, DataType.FLOAT, 2.0)));
        // Both profiles judge a device that says nothing for a few seconds offline: the PLCs keep talking, as real
        // ones do, so only the jam colours a tile.
        plc = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-plc"));
        plc.scheduleAtFixedRate(() -> {
            try {
                long t = System.currentTimeMillis();
                edge.deviceData(CONVEYOR, List.of(Metric.of("motorCurrent", t, DataType.FLOAT, 4.2 + (t % 7) / 10.0)));
                edge.deviceData(SORTER, List.of(Metric.of("speed", t, DataType.FLOAT, 2.0)));
            } catch (Exception e) {
                plcFailure.compareAndSet(null, e);
            }
        }, 0, 1, TimeUnit.SECONDS);
        await().until(() -> "ONLINE".equals(services.api().object(devicePath(CONVEYOR)).get("state"))
                && "ONLINE".equals(services.api().object(devicePath(SORTER)).get("state")));
        edge.deviceData(CONVEYOR, List.of(Metric.of("jam", System.currentTimeMillis(), DataType.BOOLEAN, true)));
        await().until(() -> openJam() != null);
    }

    @AfterAll
    void stop() throws Exception {
        if (plc != null) {
            plc.shutdownNow();
            plc.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (browser != null) {
            browser.quit();
        }
        Closing.all(edge, services);
    }

    /**
     * The last hours at the site, relative to the database's now(): over the last 30 minutes sorter S1 diverts an
     * item every 20 s (90), S2 two of every three (60); zones ZA and ZB confirm picks in each of 5 earlier hours;
     * five orders were picked within 8 to 12 minutes; DO-LATE arrived 20 minutes ago and is not picked (late),
     * DO-SOON 12 minutes ago (3 minutes left).
     */
    private void script() throws Exception {
        StringBuilder sql = new StringBuilder("INSERT INTO sorters (site, sorter, layout, reject_chute) VALUES ('" + SITE
                + "', 'S1', '{}', 12), ('" + SITE + "', 'S2', '{}', 12);");
        sql.append("INSERT INTO sort_decisions (site, sorter, seq, pass, agent, codes, chute, rejected, reason, destination,"
                + " plan_version, inducted_at, decided_at) SELECT '" + SITE + "', s, g, 0, 'gw', ARRAY['C' || g], 1, false,"
                + " 'plan', 'D', 1, now() - g * interval '20 seconds' - interval '5 seconds', now() - g * interval '20 seconds'"
                + " - interval '5 seconds' FROM generate_series(0, 89) g, (VALUES ('S1'), ('S2')) v(s) WHERE s = 'S1' OR g % 3 <> 0;");
        sql.append("INSERT INTO sort_results (site, sorter, seq, pass, agent, chute, rejected, outcome, destination, correct, at)"
                + " SELECT '" + SITE + "', s, g, 0, 'gw', 1, false, 'diverted', 'D', true, now() - g * interval '20 seconds'"
                + " FROM generate_series(0, 89) g, (VALUES ('S1'), ('S2')) v(s) WHERE s = 'S1' OR g % 3 <> 0;");
        for (int o = 0; o < 5; o++) {
            sql.append(order("DO-" + o, (o + 1) * 60 + 20, 8 + o));
            for (String zone : List.of("ZA", "ZB")) {
                sql.append("INSERT INTO pick_tasks (site, order_id, line_no, sku, quantity, picked, location, zone, pick_seq,"
                        + " priority, due_at, due_slot, state, done_at, done_by) VALUES ('" + SITE + "', 'DO-" + o + "', 1,"
                        + " 'SKU', 2, 1, 'L-" + zone + "', '" + zone + "', 1, 0, now(), now(), 'done', now() - interval '"
                        + ((o + 1) * 60 + 15) + " minutes', 'B1');");
            }
        }
        sql.append(order("DO-LATE", 20, -1)).append(order("DO-SOON", 12, -1));
        services.postgres().execute(sql.toString());
    }

    private String order(String id, int minutesAgo, int pickedAfter) {
        return "INSERT INTO orders (id, site, created_at, picked_at) VALUES ('" + id + "', '" + SITE + "', now() - interval '"
                + minutesAgo + " minutes', " + (pickedAfter < 0 ? "NULL" : "now() - interval '" + (minutesAgo - pickedAfter)
                + " minutes'") + ");"
                + "INSERT INTO order_lines (order_id, line_no, sku, quantity) VALUES ('" + id + "', 1, 'SKU', 2);";
    }

    private static String devicePath(String device) {
        return "/api/devices/" + SITE + "/" + NODE + "/" + device;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> openJam() {
        List<Map<String, Object>> open = (List<Map<String, Object>>) services.api().object("/api/alerts?state=open").get("alerts");
        return open.stream().filter(a -> "jam".equals(a.get("rule"))
                && (SITE + "/" + NODE + "/" + CONVEYOR).equals(a.get("source"))).findFirst().orElse(null);
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
    }

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private WebElement tile(String device) {
        return browser.findElement(By.cssSelector(".tile[data-source='" + SITE + "/" + NODE + "/" + device + "']"));
    }

    private Object js(String script) {
        return browser.executeScript(script);
    }

    @Test
    void theDashboardChartsTheSiteAndShowsTheJamAndTheLateOrderInRed() throws Exception {
        browser.get(services.server().url().resolve("/dashboard?site=" + SITE).toString());
        await().until(() -> byId("login-screen").isDisplayed());
        assertThat(browser.getCurrentUrl()).endsWith("/dashboard/index.html?site=" + SITE);
        byId("username").sendKeys(services.server().adminUser());
        byId("password").sendKeys(services.server().adminPassword());
        byId("login-btn").click();
        await().until(() -> byId("dashboard-screen").isDisplayed()
                && ((Number) js("return window.dashboard.rounds")).intValue() >= 1);
        assertThat(byId("site").getAttribute("value")).isEqualTo(SITE);

        // the charts: uPlot canvases, their series, and the data the page gave them
        assertThat(browser.findElements(By.cssSelector("#charts .uplot canvas"))).hasSize(3);
        assertThat(js("return window.dashboard.charts.sorted.series.slice(1).map(s => s.label)"))
                .isEqualTo(List.of("S1", "S2"));
        assertThat(js("return window.dashboard.charts.sorted.data.slice(1)"
                + ".map(s => s.reduce((a, v) => a + (v || 0), 0))")).as("items sorted per sorter in the last hour")
                .isEqualTo(List.of(90L, 60L));
        assertThat(js("return window.dashboard.charts.sorted.data[0].length")).as("a point per minute").isEqualTo(60L);
        assertThat(js("return window.dashboard.charts.picks.series.slice(1).map(s => s.label)"))
                .isEqualTo(List.of("ZA", "ZB"));
        assertThat(js("return window.dashboard.charts.picks.data.slice(1)"
                + ".map(s => s.filter(v => v !== null && v > 0).length)")).as("hours with picks per zone")
                .isEqualTo(List.of(5L, 5L));
        assertThat(js("return window.dashboard.charts.cycle.series.slice(1).map(s => s.label)"))
                .isEqualTo(List.of("p50 min", "p90 min", "% within target"));
        assertThat(js("return window.dashboard.charts.cycle.data[1].filter(v => v !== null)"
                + ".every(v => v >= 8 && v <= 12)")).as("cycle times between 8 and 12 minutes").isEqualTo(true);
        for (String chart : List.of("sorted", "picks", "cycle")) {
            Number painted = (Number) js("const c = document.querySelector('#chart-" + chart + " canvas');"
                    + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;");
            assertThat(painted.longValue()).as(chart + " canvas painted").isGreaterThan(1000);
        }

        // devices in three colours: the jammed conveyor red, the sorter green
        await().until(() -> tile(CONVEYOR).getAttribute("class").contains("red"));
        assertThat(tile(CONVEYOR).getText()).contains(CONVEYOR).contains("red alert");
        assertThat(tile(SORTER).getAttribute("class")).contains("green");

        // the jam among the worst open alerts, the late order red and the one with 3 minutes left yellow
        List<WebElement> alerts = browser.findElements(By.cssSelector("#alerts li"));
        assertThat(alerts).isNotEmpty();
        assertThat(alerts.get(0).getAttribute("class")).isEqualTo("red");
        assertThat(alerts.get(0).getText()).contains("Conveyor jam").contains(CONVEYOR);
        List<WebElement> orders = browser.findElements(By.cssSelector("#orders tbody tr"));
        assertThat(orders).extracting(r -> r.getAttribute("data-id")).containsExactly("DO-LATE", "DO-SOON");
        assertThat(orders.get(0).getAttribute("class")).isEqualTo("late");
        assertThat(orders.get(0).getText()).contains("late").contains("0 / 1");
        assertThat(orders.get(1).getAttribute("class")).isEqualTo("soon");

        // the screenshot: the viewport's size, and the red tile painted where the page laid it out
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        double ratio = ((Number) js("return window.devicePixelRatio")).doubleValue();
        long viewWidth = (Long) js("return window.innerWidth");
        long viewHeight = (Long) js("return window.innerHeight");
        assertThat(image.getWidth()).isEqualTo((int) Math.round(viewWidth * ratio));
        assertThat(image.getHeight()).isEqualTo((int) Math.round(viewHeight * ratio));
        WebElement red = tile(CONVEYOR);
        Rectangle box = new Rectangle((int) (red.getLocation().getX() * ratio), (int) (red.getLocation().getY() * ratio),
                (int) (red.getSize().getWidth() * ratio), (int) (red.getSize().getHeight() * ratio));
        assertThat(new Rectangle(image.getWidth(), image.getHeight()).contains(box)).as("tile on screen").isTrue();
        long inTile = redPixels(image, box);
        long area = (long) box.width * box.height;
        // the tile's text and rounded corners aside, it is red
        assertThat(inTile).as("red pixels in the conveyor tile").isGreaterThan(area * 7 / 10);
        WebElement green = tile(SORTER);
        Rectangle greenBox = new Rectangle((int) (green.getLocation().getX() * ratio),
                (int) (green.getLocation().getY() * ratio), (int) (green.getSize().getWidth() * ratio),
                (int) (green.getSize().getHeight() * ratio));
        assertThat(redPixels(image, greenBox)).as("no red in the sorter's tile").isZero();
        assertThat(plcFailure.get()).isNull();
    }

    private static long redPixels(BufferedImage image, Rectangle box) {
        long n = 0;
        for (int y = box.y; y < box.y + box.height; y++) {
            for (int x = box.x; x < box.x + box.width; x++) {
                if (near(image.getRGB(x, y), TILE_RED)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean near(int rgb, int target) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xff) - ((target >> shift) & 0xff)) > 24) {
                return false;
            }
        }
        return true;
    }
}
