package io.wareedge.sim.sorter;

import io.wareedge.sparkplug.MessageCallback;
import io.wareedge.embedded.MosquittoBroker;


import org.eclipse.paho.mqttv5.client.MqttClient;

import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The simulated sorter against Mosquitto, answered by a responder that plays the edge agent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SorterSimulatorTest {
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+),\"pass\":(\\d+)");
    private static final Pattern OUTCOME = Pattern.compile("\"chute\":(\\d+),\"outcome\":\"([a-z-]+)\"");

    @TempDir
    static Path dir;

    private MosquittoBroker broker;
    private MqttClient responder;
    private MqttClient commander;
    private final AtomicLong inductions = new AtomicLong();
    private final Map<String, String> resultsByPass = new ConcurrentHashMap<>();
    private final AtomicLong duplicateResults = new AtomicLong();
    private final List<String> chuteStates = new CopyOnWriteArrayList<>();
    private final Set<String> passesSeen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger secondCommands = new AtomicInteger();
    private final AtomicInteger commandsSent = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(MosquittoBroker.isInstalled() || System.getenv("CI") != null, "mosquitto not installed");
        broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        responder = new MqttClient(broker.url(), "responder", new MemoryPersistence());
        responder.setCallback(new MessageCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                String json = new String(message.getPayload(), StandardCharsets.UTF_8);
                if (topic.endsWith("/induction")) {
                    onInduction(json);
                } else if (topic.endsWith("/result")) {
                    Matcher m = SEQ.matcher(json);
                    Matcher o = OUTCOME.matcher(json);
                    if (m.find() && o.find() && resultsByPass.put(m.group(1) + "/" + m.group(2), o.group(2)) != null) {
                        duplicateResults.incrementAndGet();
                    }
                } else if (topic.contains("/chutes/")) {
                    chuteStates.add(topic.substring(topic.lastIndexOf('/') + 1) + "=" + json);
                }
            }

        });
        responder.connect();
        commander = new MqttClient(broker.url(), "commander", new MemoryPersistence());
        commander.connect();
        responder.subscribe(new String[]{"sorters/s1/induction", "sorters/s1/result", "sorters/s1/chutes/+"}, new int[]{1, 1, 1});
    }

    /**
     * Label L-n goes to chute n % 10 + 1 (chute 1 gets the most: L-0, L-10 ...); every 7th item gets no answer on
     * its first pass; every 5th answered one gets a second, different command that must be ignored.
     */
    private void onInduction(String json) throws MqttException {
        inductions.incrementAndGet();
        Matcher m = SEQ.matcher(json);
        if (!m.find()) {
            throw new AssertionError("induction without seq/pass: " + json);
        }
        long seq = Long.parseLong(m.group(1));
        int pass = Integer.parseInt(m.group(2));
        passesSeen.add(seq + "/" + pass);
        if (seq % 7 == 0 && pass == 0) {
            return;
        }
        Matcher label = Pattern.compile("\\[\"L-(\\d+)\"").matcher(json);
        int chute = label.find() ? Integer.parseInt(label.group(1)) % 10 + 1 : 11;
        divert(seq, pass, chute);
        if (seq % 5 == 0) {
            secondCommands.incrementAndGet();
            divert(seq, pass, chute == 1 ? 2 : 1);
        }
    }

    private void divert(long seq, int pass, int chute) throws MqttException {
        MqttMessage m = new MqttMessage(("{\"seq\":" + seq + ",\"pass\":" + pass + ",\"chute\":" + chute
                + ",\"reason\":\"plan\"}").getBytes(StandardCharsets.UTF_8));
        // From another client: a blocking publish on the client whose callback thread this is cannot complete.
        m.setQos(1);
        commander.publish("sorters/s1/divert", m);
        commandsSent.incrementAndGet();
    }

    @AfterAll
    void stop() throws Exception {
        if (responder != null) {
            responder.disconnect();
        }
        if (commander != null) {
            commander.disconnect();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyPassGetsExactlyOneResultFollowingTheFirstCommandAndChutesFillAndEmpty() {
        AtomicLong labels = new AtomicLong();
        SorterSettings settings = SorterSettings.defaults("s1").withRate(200)
                .withChutes(11, 11, 15, Duration.ofMillis(700))
                .withTiming(Duration.ofMillis(150), Duration.ofMillis(10), Duration.ofMillis(500))
                .withShares(0.05, 0.03, 0, 0.02, 0.02, 0.01);
        try (SorterSimulator sim = new SorterSimulator(broker.url(), settings, () -> "L-" + labels.getAndIncrement()).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> sim.stats().items() >= 500);
            sim.pauseInduction();
            await().atMost(Duration.ofSeconds(20)).until(() -> sim.onSorter() == 0);
            SorterStats s = sim.stats();
            await().atMost(Duration.ofSeconds(10)).failFast(() -> false)
                    .alias("results seen " + resultsByPass.size() + " of " + s.results() + ", inductions seen "
                            + inductions.get() + " of " + s.inducted())
                    .until(() -> resultsByPass.size() == s.results() && inductions.get() == s.inducted());
            assertThat(s.results()).as("one result per pass").isEqualTo(s.inducted());
            assertThat(duplicateResults).hasValue(0);
            assertThat(s.inducted()).isGreaterThan(s.items()); // some items went round again
            assertThat(s.divertedTotal() + s.recirculated() + s.missed() + s.chuteFull() + s.jams()).isEqualTo(s.results());
            // Unanswered first passes were missed and came back as pass 1.
            long unanswered = passesSeen.stream().filter(k -> k.endsWith("/0") && Long.parseLong(k.split("/")[0]) % 7 == 0).count();
            assertThat(s.missed()).isGreaterThanOrEqualTo(unanswered);
            assertThat(passesSeen.stream().filter(k -> k.endsWith("/1") && Long.parseLong(k.split("/")[0]) % 7 == 0).count())
                    .isGreaterThan(0);
            // Every command arrived; a pass's second, different command was ignored (or came too late to matter).
            await().atMost(Duration.ofSeconds(10)).until(() -> sim.stats().commands() == commandsSent.get());
            SorterStats after = sim.stats();
            assertThat(after.commandsIgnored()).isPositive().isLessThanOrEqualTo(secondCommands.get());
            assertThat(after.commandsIgnored() + after.commandsLate()).isGreaterThanOrEqualTo(secondCommands.get());
            // Chute 1 takes a tenth of the labels: it filled, items found it full, an operator emptied it.
            assertThat(s.chuteFull()).isGreaterThan(0);
            assertThat(chuteStates).anyMatch(c -> c.startsWith("1=") && c.contains("\"full\""));
            int fullAt = indexOf("1=", "\"full\"");
            assertThat(chuteStates.subList(fullAt, chuteStates.size())).anyMatch(c -> c.startsWith("1=") && c.contains("\"available\""));
            // 5 % of reads configured: every pass is a read, so the share is of inductions, not items.
            assertThat((double) s.noReads() / s.inducted()).isBetween(0.02, 0.09);
            assertThat(s.diverted()).containsKey(1);
        }
    }

    private int indexOf(String prefix, String content) {
        for (int i = 0; i < chuteStates.size(); i++) {
            if (chuteStates.get(i).startsWith(prefix) && chuteStates.get(i).contains(content)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void badSettingsFailNamingTheSetting() {
        assertThatThrownBy(() -> SorterSettings.defaults("s1").withChutes(10, 11, 5, Duration.ofSeconds(1)))
                .hasMessageContaining("rejectChute").hasMessageContaining("got 11");
        assertThatThrownBy(() -> SorterSettings.defaults("s1").withRate(0)).hasMessageContaining("inductionRate");
        assertThatThrownBy(() -> SorterSettings.defaults("s1").withShares(0.6, 0.6, 0, 0, 0, 0))
                .hasMessageContaining("must be <= 1");
        assertThatThrownBy(() -> SorterSettings.defaults("s1").withTiming(Duration.ofSeconds(1), Duration.ofMillis(50),
                Duration.ofMillis(500))).hasMessageContaining("loopTime");
    }
}
