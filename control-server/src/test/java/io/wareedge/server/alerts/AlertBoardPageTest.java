package io.wareedge.server.alerts;

import io.wareedge.embedded.Closing;
import io.wareedge.server.testing.Browsers;
import io.wareedge.server.testing.FlakyProxy;
import io.wareedge.server.testing.TestEdgeNode;
import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.Metric;
import io.wareedge.server.testing.ServerUnderTest;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The maintenance alert board in a real headless chromium, fed by a Sparkplug edge node through a real control
 * server: a conveyor jams, the jam is on the board within two seconds, a technician acknowledges it, looks at the
 * conveyor's readings and resolves it, all by tapping the page. Then the board loses its feed (the network between
 * browser and server goes down) while an alert is raised and closed and another raised and acknowledged; back on
 * the network it shows exactly what the server has, once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertBoardPageTest {
    private static final String GROUP = "dc-board";
    private static final String NODE = "line-1-plc";
    private static final String CONVEYOR_2 = "conveyor-2";
    private static final String CONVEYOR_3 = "conveyor-3";
    private static final Path SCREENSHOT = Path.of("target", "alert-board.png");

    @TempDir
    static Path dir;

    private ServerUnderTest services;
    private FlakyProxy network;
    private ChromeDriver browser;
    private TestEdgeNode edge;
    private ScheduledExecutorService plc;
    private final AtomicReference<Exception> plcFailure = new AtomicReference<>();

    @BeforeAll
    void start() throws Exception {
        services = ServerUnderTest.start(dir, Map.of());
        network = new FlakyProxy(services.server().url());
        // a landscape tablet or a wall screen: the selected alert's details sit beside the board
        browser = Browsers.headlessChromium(dir.resolve("chromium"), 1280, 900);
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);

        edge = TestEdgeNode.start(services.broker().url(), GROUP, NODE);
        edge.deviceBirth(CONVEYOR_2, "conveyor-plc-opcua", "conveyor-plc", conveyorBirth());
        edge.deviceBirth(CONVEYOR_3, "conveyor-plc-opcua", "conveyor-plc", conveyorBirth());
        await().until(() -> "ONLINE".equals(services.api().object(devicePath(CONVEYOR_2)).get("state"))
                && "ONLINE".equals(services.api().object(devicePath(CONVEYOR_3)).get("state")));
        // The profile judges a conveyor that says nothing for 10 s offline (a red alert of its own): the PLC
        // publishes its motor current every second, as the real one does every 250 ms.
        plc = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-plc"));
        plc.scheduleAtFixedRate(() -> {
            try {
                long now = System.currentTimeMillis();
                for (String device : List.of(CONVEYOR_2, CONVEYOR_3)) {
                    edge.deviceData(device, List.of(Metric.of("motorCurrent", now, DataType.FLOAT, 4.2 + (now % 7) / 10.0)));
                }
            } catch (Exception e) {
                plcFailure.compareAndSet(null, e);
            }
        }, 0, 1, TimeUnit.SECONDS);
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
        Closing.all(edge, network, services);
    }

    private static List<Metric> conveyorBirth() {
        long now = System.currentTimeMillis();
        return List.of(
                Metric.of("Device/Area", now, DataType.STRING, "line-1"),
                Metric.of("running", now, DataType.BOOLEAN, true),
                withUnit(Metric.of("speed", now, DataType.FLOAT, 1.2), "m/s"),
                withUnit(Metric.of("motorCurrent", now, DataType.FLOAT, 4.2), "A"),
                withUnit(Metric.of("motorTemperature", now, DataType.FLOAT, 45.0), "degC"),
                Metric.of("itemCount", now, DataType.UINT32, 0L),
                Metric.of("jam", now, DataType.BOOLEAN, false),
                Metric.of("faultCode", now, DataType.INT16, 0L),
                withUnit(Metric.of("speedSetpoint", now, DataType.FLOAT, 1.2), "m/s"));
    }

    private static Metric withUnit(Metric m, String unit) {
        return m.withProperties(Map.of(Metric.ENG_UNIT, unit));
    }

    private static String devicePath(String device) {
        return "/api/devices/" + GROUP + "/" + NODE + "/" + device;
    }

    private static String source(String device) {
        return GROUP + "/" + NODE + "/" + device;
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions();
    }

    private void send(String device, String metric, DataType type, Object value) throws Exception {
        edge.deviceData(device, List.of(Metric.of(metric, System.currentTimeMillis(), type, value)));
    }

    // ---- the page ----

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private String text(String id) {
        return byId(id).getText();
    }

    private List<WebElement> cards() {
        return browser.findElements(By.cssSelector("#cards .card"));
    }

    private List<WebElement> cardsOf(long alertId) {
        return browser.findElements(By.cssSelector("#cards .card[data-id='" + alertId + "']"));
    }

    /** The one card of an alert; fails (also inside an await, which then tries again) when there are none or two. */
    private WebElement card(long alertId) {
        List<WebElement> found = cardsOf(alertId);
        if (found.size() != 1) {
            throw new IllegalStateException(found.size() + " cards of alert " + alertId);
        }
        return found.get(0);
    }

    private void logIn(String password) {
        WebElement user = byId("username");
        user.clear();
        user.sendKeys(services.server().adminUser());
        WebElement pw = byId("password");
        pw.clear();
        pw.sendKeys(password);
        byId("login-btn").click();
    }

    /** The board, logged in and live, whichever test runs first. */
    private void openBoard() {
        if (!browser.getCurrentUrl().contains("/alerts/")) {
            browser.get(network.url().resolve("/alerts").toString());
        }
        await().until(() -> byId("login-screen").isDisplayed() || byId("board-screen").isDisplayed());
        if (byId("login-screen").isDisplayed()) {
            logIn(services.server().adminPassword());
        }
        await().until(() -> text("link").equals("live"));
    }

    private long pageLastEventId() {
        String id = byId("link").getAttribute("data-last-event-id");
        return id == null ? -1 : Long.parseLong(id);
    }

    // ---- the API ----

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> openAlerts() {
        return (List<Map<String, Object>>) services.api().object("/api/alerts?state=open").get("alerts");
    }

    private long openAlert(String rule, String device) {
        return openAlerts().stream()
                .filter(a -> rule.equals(a.get("rule")) && source(device).equals(a.get("source")))
                .mapToLong(a -> ((Number) a.get("id")).longValue())
                .findFirst().orElse(-1);
    }

    private static List<String> actions(List<Map<String, Object>> history) {
        List<String> out = new ArrayList<>();
        history.forEach(e -> out.add(e.get("action") + " by " + e.get("actor")));
        return out;
    }

    @Test
    @Order(1)
    void aJamIsOnTheBoardWithinTwoSecondsAndIsAcknowledgedInspectedAndResolvedThere() throws Exception {
        browser.get(network.url().resolve("/alerts").toString());
        await().until(() -> byId("login-screen").isDisplayed());
        assertThat(browser.getCurrentUrl()).endsWith("/alerts/index.html");
        logIn("not-the-password");
        await().until(() -> text("message").contains("Wrong user name or password"));
        logIn(services.server().adminPassword());
        await().until(() -> byId("board-screen").isDisplayed() && text("link").equals("live"));
        await().until(() -> byId("all-normal").isDisplayed());
        assertThat(text("all-normal")).contains("All normal");
        assertThat(cards()).isEmpty();

        // the conveyor jams: on the board within two seconds of the PLC's message
        long published = System.nanoTime();
        send(CONVEYOR_2, "jam", DataType.BOOLEAN, true);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
                .until(() -> !cards().isEmpty());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published);
        System.out.println("jam DDATA published -> card on the board: " + millis + " ms");
        assertThat(millis).as("ms from the DDATA to the card").isLessThan(2000);

        long jam = openAlert("jam", CONVEYOR_2);
        assertThat(jam).isPositive();
        WebElement c = card(jam);
        assertThat(c.getAttribute("class")).contains("red").contains("active");
        assertThat(c.getAttribute("data-state")).isEqualTo("active");
        assertThat(c.findElement(By.className("msg")).getText()).isEqualTo("Conveyor jam");
        assertThat(c.findElement(By.className("device")).getText()).isEqualTo(CONVEYOR_2);
        assertThat(c.findElement(By.className("area")).getText()).isEqualTo("line-1");
        assertThat(c.findElement(By.className("state")).getText()).isEqualTo("Active");
        assertThat(c.findElement(By.className("age")).getText()).matches("\\d+ s");
        assertThat(byId("all-normal").isDisplayed()).isFalse();
        assertThat(text("counts")).isEqualTo("1 red");
        assertThat(browser.findElement(By.tagName("body")).getAttribute("class")).contains("state-red");

        // one tap: acknowledged, by whom
        c.findElement(By.cssSelector("button.ack")).click();
        await().until(() -> "acknowledged".equals(card(jam).getAttribute("data-state")));
        assertThat(card(jam).findElement(By.className("state")).getText()).isEqualTo("Acknowledged by admin");
        assertThat(card(jam).findElement(By.cssSelector("button.ack")).isDisplayed()).isFalse();

        // open it: the conveyor's readings beside the board, its trail below
        card(jam).findElement(By.className("card-main")).click();
        await().until(() -> byId("detail").isDisplayed() && text("d-message").equals("Conveyor jam"));
        await().until(() -> browser.findElements(By.cssSelector("#now tbody tr")).stream()
                .anyMatch(r -> r.getText().startsWith("jam true")));
        await().until(() -> browser.findElements(By.cssSelector("#readings tbody tr")).stream()
                .anyMatch(r -> r.getText().contains("motorCurrent")));
        assertThat(text("device-state")).startsWith("ONLINE").contains("conveyor-plc-opcua");
        assertThat(text("now")).contains("motorCurrent").contains(" A");
        WebElement detail = byId("detail");
        assertThat(detail.getLocation().getX()).as("details beside the card")
                .isGreaterThanOrEqualTo(card(jam).getLocation().getX() + card(jam).getSize().getWidth());
        await().until(() -> text("history").contains("raised by system") && text("history").contains("acknowledged by admin"));
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);

        // resolve: the first tap arms the button, the second closes the alert; the card goes, the board is green
        card(jam).findElement(By.cssSelector("button.resolve")).click();
        await().until(() -> card(jam).findElement(By.cssSelector("button.resolve")).getText().equals("Tap again to resolve"));
        assertThat(services.api().object("/api/alerts/" + jam).get("state")).as("one tap does not resolve").isEqualTo("acknowledged");
        card(jam).findElement(By.cssSelector("button.resolve")).click();
        await().until(() -> cardsOf(jam).isEmpty() && byId("all-normal").isDisplayed());
        assertThat(byId("detail").isDisplayed()).isFalse();
        assertThat(text("message")).contains("Resolved");

        assertThat(actions(services.api().list("/api/alerts/" + jam + "/history")))
                .containsExactly("raised by system", "acknowledged by admin", "closed by admin");
        assertThat(services.api().object("/api/alerts/" + jam).get("closedBy")).isEqualTo("admin");
        assertThat(plcFailure.get()).isNull();
    }

    @Test
    @Order(2)
    void afterLosingItsFeedTheBoardShowsWhatTheServerHasOnce() throws Exception {
        openBoard();
        // start from a clear line: the jam of the first test is gone at the PLC too
        send(CONVEYOR_2, "jam", DataType.BOOLEAN, false);
        await().until(() -> openAlerts().isEmpty() && byId("all-normal").isDisplayed());
        long before = pageLastEventId();

        network.mode(FlakyProxy.Mode.DOWN);
        await().until(() -> text("link").equals("reconnecting…"));
        assertThat(text("all-normal")).as("a board without its feed vouches only for the past").startsWith("All normal at ");
        assertThat(byId("all-normal").getAttribute("class")).contains("unsure");

        // while the board is cut off: a PLC fault is raised and resolved, a jam elsewhere raised and acknowledged
        send(CONVEYOR_2, "faultCode", DataType.INT16, 301L);
        await().until(() -> openAlert("plcFault", CONVEYOR_2) > 0);
        long fault = openAlert("plcFault", CONVEYOR_2);
        services.api().post("/api/alerts/" + fault + "/resolve", "{\"comment\": \"drive reset\"}", "application/json");
        send(CONVEYOR_3, "jam", DataType.BOOLEAN, true);
        await().until(() -> openAlert("jam", CONVEYOR_3) > 0);
        long jam = openAlert("jam", CONVEYOR_3);
        services.api().post("/api/alerts/" + jam + "/acknowledge", "{}", "application/json");
        assertThat(cards()).as("nothing reached the page").isEmpty();
        assertThat(pageLastEventId()).isEqualTo(before);
        assertThat(text("link")).isEqualTo("reconnecting…");

        // back: the page resumes after the last event it applied and catches up
        network.mode(FlakyProxy.Mode.PASS);
        long serverLast = ((Number) services.api().object("/api/alerts?state=open").get("lastEventId")).longValue();
        await().until(() -> text("link").equals("live") && pageLastEventId() == serverLast);
        await().until(() -> cards().size() == 1 && "acknowledged".equals(card(jam).getAttribute("data-state")));
        assertThat(cardsOf(fault)).as("raised and closed while away").isEmpty();
        assertThat(card(jam).findElement(By.className("device")).getText()).isEqualTo(CONVEYOR_3);
        assertThat(byId("all-normal").isDisplayed()).isFalse();

        // cut again with nothing new: the resume replays nothing twice
        network.mode(FlakyProxy.Mode.DOWN);
        await().until(() -> text("link").equals("reconnecting…"));
        network.mode(FlakyProxy.Mode.PASS);
        await().until(() -> text("link").equals("live"));
        assertThat(cards()).hasSize(1);
        assertThat(cardsOf(jam)).hasSize(1);
        assertThat(pageLastEventId()).isEqualTo(serverLast);

        // the filters offer what is on the board
        assertThat(browser.findElements(By.cssSelector("#device-filter option")).stream().map(WebElement::getText))
                .containsExactly("All devices", CONVEYOR_3);
        assertThat(browser.findElements(By.cssSelector("#area-filter option")).stream().map(WebElement::getText))
                .containsExactly("All areas", "line-1");

        // shelved from the page: off the board, which turns green; the toggle shows it with its expiry
        card(jam).findElement(By.cssSelector("button.shelve")).click();
        await().until(() -> byId("shelve-box").isDisplayed() && byId("detail").isDisplayed());
        browser.findElement(By.cssSelector(".chip[data-reason='Repair scheduled']")).click();
        browser.findElement(By.cssSelector(".shelve-for[data-for='15m']")).click();
        await().until(() -> cardsOf(jam).isEmpty() && byId("all-normal").isDisplayed());
        assertThat(text("all-normal-note")).isEqualTo("1 shelved or suppressed");
        Map<String, Object> shelved = services.api().object("/api/alerts/" + jam);
        assertThat(shelved.get("shelvedBy")).isEqualTo("admin");
        assertThat(shelved.get("shelveReason")).isEqualTo("Repair scheduled");
        assertThat(Duration.between(Instant.now(), Instant.parse((String) shelved.get("shelvedUntil"))))
                .isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15));
        byId("hidden-toggle").click();
        await().until(() -> card(jam).findElement(By.cssSelector(".badge.shelved")).getText().startsWith("Shelved until "));
        card(jam).findElement(By.cssSelector("button.unshelve")).click();
        await().until(() -> card(jam).findElements(By.cssSelector(".badge.shelved")).isEmpty());
        assertThat(services.api().object("/api/alerts/" + jam)).doesNotContainKey("shelvedUntil");
        byId("hidden-toggle").click();

        // a comment, into the alert's trail
        card(jam).findElement(By.cssSelector("button.comment")).click();
        await().until(() -> byId("comment-text").isDisplayed());
        byId("comment-text").sendKeys("belt realigned, rollers checked");
        byId("comment-send").click();
        await().until(() -> text("history").contains("commented by admin: belt realigned, rollers checked"));
        assertThat(actions(services.api().list("/api/alerts/" + jam + "/history"))).containsExactly("raised by system",
                "acknowledged by admin", "shelved by admin", "unshelved by admin", "commented by admin");

        // resolved elsewhere: the live board follows
        services.api().post("/api/alerts/" + jam + "/resolve", "{}", "application/json");
        await().until(() -> cards().isEmpty() && byId("all-normal").isDisplayed());
        send(CONVEYOR_2, "faultCode", DataType.INT16, 0L);
        send(CONVEYOR_3, "jam", DataType.BOOLEAN, false);
        assertThat(plcFailure.get()).isNull();
    }
}
