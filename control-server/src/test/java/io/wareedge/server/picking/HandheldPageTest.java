package io.wareedge.server.picking;

import io.wareedge.embedded.Closing;
import io.wareedge.server.testing.Browsers;
import io.wareedge.server.testing.FlakyProxy;
import io.wareedge.server.testing.ServerUnderTest;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handheld page in a real headless chromium, talking to a real control server through a network the test
 * breaks: a picker logs in (after a wrong PIN), is refused a wrong location and a wrong item, picks one unit, picks
 * three with the quantity field, short-picks a line, and works on through a Wi-Fi drop (nothing reaches the
 * server) and through lost answers (the server recorded it, the handheld never heard): every scan arrives once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandheldPageTest {
    @TempDir
    static Path dir;

    private ServerUnderTest services;
    private FlakyProxy network;
    private ChromeDriver browser;
    private final PickingSite site = new PickingSite("hh", 1, 6, 1);

    @BeforeAll
    void start() throws Exception {
        // one walk holds all five orders, so the picker can go on while the Wi-Fi is down
        services = ServerUnderTest.start(dir, Map.of("wareedge.picking.batch-orders", "5"));
        network = new FlakyProxy(services.server().url());
        browser = Browsers.headlessChromium(dir.resolve("chromium"), 400, 800);
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        Closing.all(network, services);
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100));
    }

    /** What a scanner does: types the code into the focused field and presses Enter. */
    private void scan(String code) {
        browser.switchTo().activeElement().sendKeys(code + Keys.ENTER);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private boolean flashedError() {
        return browser.findElement(By.tagName("body")).getAttribute("class").contains("error");
    }

    private long db(String sql) throws Exception {
        return services.postgres().scalar(sql);
    }

    private long actionsFor(String order) throws Exception {
        return db("SELECT count(*) FROM pick_actions a JOIN pick_tasks t ON t.id = a.task_id WHERE t.order_id = '" + order + "'");
    }

    @Test
    void aPickerWorksThroughAWalkWithWrongScansAShortPickAndWiFiDrops() throws Exception {
        site.create(services.api(), Map.of());
        services.api().post("/api/sites/hh/orders/import", """
                order,line,sku,quantity
                HH-1,1,%s,1
                HH-2,1,%s,3
                HH-3,1,%s,2
                HH-4,1,%s,1
                HH-5,1,%s,1
                """.formatted(site.sku(1, 1), site.sku(1, 2), site.sku(1, 3), site.sku(1, 4), site.sku(1, 5)), "text/csv");

        browser.get(network.url().resolve("/handheld").toString());
        await().until(() -> browser.findElement(By.id("badge")).isDisplayed());
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("badge");

        // log in: a wrong PIN first
        scan(site.badge(1));
        scan("9999");
        await().until(() -> text("message").contains("wrong PIN"));
        assertThat(flashedError()).isTrue();
        browser.findElement(By.id("badge")).clear();
        browser.findElement(By.id("badge")).sendKeys(site.badge(1) + Keys.ENTER);
        scan(PickingSite.PIN);
        await().until(() -> text("location").equals(site.location(1, 1)));
        assertThat(text("tote")).isEqualTo("A");
        assertThat(text("qty-remaining")).isEqualTo("1");
        assertThat(text("sku")).isEqualTo(site.sku(1, 1));

        // wrong location, then wrong item: refused on the spot, nothing recorded
        scan(site.location(1, 2));
        assertThat(flashedError()).isTrue();
        assertThat(text("message")).contains("Wrong location");
        scan(site.location(1, 1));
        await().until(() -> text("step").contains("Scan the item"));
        scan(site.barcode(site.sku(1, 2)));
        assertThat(flashedError()).isTrue();
        assertThat(text("message")).contains("Wrong item");
        assertThat(actionsFor("HH-1")).isZero();

        // the right item: one unit, confirmed by the scan itself
        scan(site.barcode(site.sku(1, 1)));
        await().until(() -> text("location").equals(site.location(1, 2)) && text("pending").equals("0"));
        await().until(() -> db("SELECT count(*) FROM pick_tasks WHERE order_id = 'HH-1' AND state = 'done'") == 1);

        // three units with the quantity field
        scan(site.location(1, 2));
        scan(site.barcode(site.sku(1, 2)));
        await().until(() -> browser.findElement(By.id("qty")).isDisplayed());
        WebElement qty = browser.findElement(By.id("qty"));
        qty.clear();
        qty.sendKeys("4" + Keys.ENTER);
        assertThat(flashedError()).as("more than the open quantity").isTrue();
        qty = browser.findElement(By.id("qty"));
        qty.clear();
        qty.sendKeys("3" + Keys.ENTER);
        await().until(() -> text("location").equals(site.location(1, 3)));
        await().until(() -> db("SELECT picked FROM order_lines WHERE order_id = 'HH-2'") == 3);

        // short-pick: one of two found
        browser.findElement(By.id("short-btn")).click();
        WebElement found = browser.findElement(By.id("short-found"));
        found.clear();
        found.sendKeys("1");
        browser.findElement(By.cssSelector(".reason[data-reason='not-found']")).click();
        await().until(() -> text("location").equals(site.location(1, 4)));
        await().until(() -> db("SELECT count(*) FROM pick_tasks WHERE order_id = 'HH-3' AND state = 'short' AND picked = 1") == 1);

        // Wi-Fi gone: the scan is kept on the handheld, nothing reaches the server, the walk goes on
        network.mode(FlakyProxy.Mode.DOWN);
        scan(site.location(1, 4));
        scan(site.barcode(site.sku(1, 4)));
        await().until(() -> text("status").equals("offline") && text("pending").equals("1"));
        assertThat(text("location")).isEqualTo(site.location(1, 5));
        assertThat(actionsFor("HH-4")).isZero();

        // back, but answers get lost: the server records the scans, the handheld resends them
        network.mode(FlakyProxy.Mode.ANSWERS_LOST);
        scan(site.location(1, 5));
        scan(site.barcode(site.sku(1, 5)));
        // the outbox goes in order: HH-4 reaches the server (again and again), HH-5 waits behind it
        await().until(() -> actionsFor("HH-4") == 1);
        assertThat(text("pending")).as("the handheld has not heard back").isEqualTo("2");
        assertThat(actionsFor("HH-5")).isZero();

        // Wi-Fi back for good: everything sent, nothing twice
        network.mode(FlakyProxy.Mode.PASS);
        await().until(() -> text("pending").equals("0") && text("status").equals("online"));
        await().until(() -> browser.findElement(By.id("idle")).isDisplayed());
        assertThat(actionsFor("HH-4")).isEqualTo(1);
        assertThat(actionsFor("HH-5")).isEqualTo(1);
        assertThat(db("SELECT sum(picked) FROM order_lines WHERE order_id IN ('HH-4', 'HH-5')")).isEqualTo(2);
        for (String order : new String[]{"HH-1", "HH-2", "HH-3", "HH-4", "HH-5"}) {
            assertThat(services.api().object("/api/orders/" + order).get("state")).as(order).isEqualTo("picked");
        }
    }
}
