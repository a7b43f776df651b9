package io.wareedge.edge;

import io.wareedge.embedded.Closing;
import io.wareedge.sparkplug.MessageCallback;
import com.fasterxml.jackson.databind.JsonNode;
import io.wareedge.edge.config.AgentConfig;
import io.wareedge.edge.config.AgentConfigLoader;
import io.wareedge.edge.config.ConfigException;
import io.wareedge.edge.sortation.PlanReplica;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.embedded.MosquittoBroker;
import io.wareedge.sortation.Chute;
import io.wareedge.sortation.SortJson;
import io.wareedge.sortation.SortPlan;
import io.wareedge.sortation.SorterLayout;
import io.wareedge.sortation.UnresolvedAction;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Sortation at the edge between two real brokers: a test sorter on Mosquitto (the gateway broker) inducts items
 * and reads divert commands; the plan arrives from the site broker (embedded HiveMQ) as the control server would
 * publish it; decisions and results go upstream as sort events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SortationIT {

    private static final String SORTER = "s1";

    @TempDir
    static Path dir;

    private MosquittoBroker deviceBroker;
    private EmbeddedMqttBroker uplinkBroker;
    private SparkplugObserver host;
    private EdgeAgent agent;
    private TestSorter sorter;
    private AgentConfig config;
    private final AtomicLong seqs = new AtomicLong(1_000);

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(MosquittoBroker.isInstalled() || System.getenv("CI") != null, "mosquitto not installed");
        deviceBroker = MosquittoBroker.start(dir.resolve("mosquitto"));
        uplinkBroker = EmbeddedMqttBroker.start(dir.resolve("hivemq"), 0);
        host = new SparkplugObserver(uplinkBroker.url());
        host.announceHost("test-host");
        sorter = new TestSorter(deviceBroker.url());
        config = AgentConfigLoader.parse("""
                site: dc
                agentId: gw-1
                dataDir: agent
                uplink:
                  url: %s
                  primaryHostId: test-host
                  initialBackoff: 50ms
                  maxBackoff: 500ms
                deviceBrokers:
                  - name: local
                    url: %s
                devices:
                  - name: s1
                    profile: generic-sorter
                    address: { device: s1 }
                """.formatted(uplinkBroker.url(), deviceBroker.url()), dir);
        publishPlan(plan(1, Map.of("C-A1", "A", "C-A2", "A", "C-B", "B", "C-X", "X")));
        agent = EdgeAgent.start(config);
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.isUplinkConnected()
                && agent.sorters().get(SORTER).decisions().plan() != null);
    }

    @AfterAll
    void stop() throws Exception {
        Closing.all(agent, sorter, host, uplinkBroker, deviceBroker);
    }

    /** Chutes 1 and 2 serve A, 3 serves B, 99 rejects; X has no chute. */
    private static SortPlan plan(long version, Map<String, String> codes) {
        SorterLayout layout = new SorterLayout(List.of(new Chute(1, List.of("A")), new Chute(2, List.of("A")),
                new Chute(3, List.of("B")), new Chute(4, List.of("B2")), new Chute(99, List.of())), 99, 2,
                UnresolvedAction.REJECT, UnresolvedAction.RECIRCULATE, UnresolvedAction.REJECT);
        return new SortPlan(SORTER, version, layout, codes);
    }

    private void publishPlan(SortPlan plan) throws MqttException {
        host.publishRetained(PlanReplica.topic("dc", SORTER), SortJson.planSnapshot(plan));
    }

    private JsonNode decide(int pass, String... codes) throws Exception {
        long seq = seqs.incrementAndGet();
        sorter.induct(seq, pass, codes);
        await().atMost(Duration.ofSeconds(10)).until(() -> sorter.divert(seq, pass) != null);
        return sorter.divert(seq, pass);
    }

    private static void assertDivert(JsonNode divert, int chute, String reason) {
        assertThat(divert.get("chute").asInt()).as("chute of %s", divert).isEqualTo(chute);
        assertThat(divert.get("reason").asText()).as("reason of %s", divert).isEqualTo(reason);
    }

    @Test
    void everyRuleAnswersOverTheBroker() throws Exception {
        assertDivert(decide(0, "C-A1"), 1, "plan");
        assertDivert(decide(0, "C-B"), 3, "plan");
        assertDivert(decide(0), 99, "no-read");
        assertDivert(decide(0, "C-A1", "C-A1"), 1, "plan");           // one label read twice
        assertDivert(decide(0, "C-A1", "C-A2"), 1, "plan");           // two labels, one destination
        assertDivert(decide(0, "C-A1", "C-B"), 99, "multi-read");
        assertDivert(decide(0, "UNKNOWN-1"), 0, "unknown-code");      // recirculate: the plan may catch up
        assertDivert(decide(2, "UNKNOWN-1"), 99, "unknown-code");     // last pass: reject
        assertDivert(decide(3, "C-A1"), 99, "max-recirculations");
        assertDivert(decide(0, "C-X"), 99, "destination-not-on-sorter");
        assertDivert(decide(0, "bad code"), 99, "malformed-code");
    }

    @Test
    void fullAndDisabledChutesMoveItemsToAlternatesThenRecirculate() throws Exception {
        try {
            sorter.chute(1, "full");
            await().until(() -> decide(0, "C-A1").get("chute").asInt() == 2);
            assertDivert(decide(0, "C-A1"), 2, "alternate-chute");
            sorter.chute(2, "disabled");
            await().until(() -> decide(0, "C-A1").get("chute").asInt() == 0);
            assertDivert(decide(0, "C-A1"), 0, "chutes-unavailable");
        } finally {
            sorter.chute(1, "available");
            sorter.chute(2, "available");
        }
        await().until(() -> decide(0, "C-A1").get("chute").asInt() == 1);
    }

    @Test
    void duplicateInductionGetsTheSameDecisionAndIsReportedOnce() throws Exception {
        long seq = seqs.incrementAndGet();
        sorter.induct(seq, 0, "C-B");
        sorter.induct(seq, 0, "C-A1"); // same item and pass, read differently: still the first answer
        await().until(() -> sorter.diverts(seq, 0).size() == 2);
        assertThat(sorter.diverts(seq, 0)).allSatisfy(d -> assertDivert(d, 3, "plan"));
        await().until(() -> host.sortEvents("decided").stream().anyMatch(e -> e.get("seq").asLong() == seq));
        assertThat(host.sortEvents("decided").stream().filter(e -> e.get("seq").asLong() == seq)).hasSize(1);
    }

    @Test
    void resultsAreMatchedToTheirCommandsAndBadOnesDeadLettered() throws Exception {
        long seq = seqs.get() + 1;
        decide(0, "C-A1");
        sorter.result(seq, 0, 1, "diverted");
        sorter.result(seq, 0, 1, "diverted"); // a second result for the same item and pass counts once
        long neverSent = seqs.incrementAndGet() + 1_000_000;
        sorter.result(neverSent, 0, 1, "diverted");
        long seq2 = seqs.get() + 1;
        decide(0, "C-B");
        sorter.result(seq2, 0, 42, "diverted"); // chute 42 is not on this sorter
        long seq3 = seqs.get() + 1;
        decide(0, "C-B");
        sorter.result(seq3, 0, 1, "diverted"); // reached a chute of another destination
        await().until(() -> host.deadLetters.stream().anyMatch(d -> d.contains("SORT_RESULT_NO_SUCH_COMMAND"))
                && host.deadLetters.stream().anyMatch(d -> d.contains("SORT_RESULT_UNKNOWN_CHUTE"))
                && completed(seq3) != null);
        JsonNode ok = completed(seq);
        assertThat(ok.get("outcome").asText()).isEqualTo("diverted");
        assertThat(ok.get("destination").asText()).isEqualTo("A");
        assertThat(ok.get("correct").asBoolean()).isTrue();
        assertThat(completed(seq3).get("correct").asBoolean()).isFalse();
        assertThat(host.sortEvents("completed").stream().filter(e -> e.get("seq").asLong() == seq)).hasSize(1);
        assertThat(completed(neverSent)).isNull();
        assertThat(completed(seq2)).isNull();
    }

    private JsonNode completed(long seq) {
        return host.sortEvents("completed").stream().filter(e -> e.get("seq").asLong() == seq).findFirst().orElse(null);
    }

    @Test
    void planUpdatesWhileItemsFlowTakeEffectWithoutLosingAnItem() throws Exception {
        long first = seqs.get() + 1;
        int items = 600;
        Thread feeder = new Thread(() -> {
            try {
                for (int i = 0; i < items; i++) {
                    sorter.induct(seqs.incrementAndGet(), 0, "C-NEW");
                    if (i % 10 == 0) {
                        Thread.sleep(2);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } catch (Error e) {
                throw e;
            }
        }, "test-feeder");
        feeder.start();
        await().until(() -> sorter.divertCount() > 0 && sorter.divert(first + 50, 0) != null);
        publishPlan(plan(2, Map.of("C-A1", "A", "C-A2", "A", "C-B", "B", "C-X", "X", "C-NEW", "B2")));
        feeder.join(60_000);
        long last = first + items - 1;
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (long s = first; s <= last; s++) {
                if (sorter.divert(s, 0) == null) {
                    return false;
                }
            }
            return true;
        });
        // Before the new plan: unknown (recirculate); after: chute 4. Once switched, never back.
        boolean switched = false;
        for (long s = first; s <= last; s++) {
            JsonNode d = sorter.divert(s, 0);
            assertThat(sorter.diverts(s, 0)).hasSize(1);
            if (d.get("chute").asInt() == 4) {
                switched = true;
            } else {
                assertThat(switched).as("item %d decided with the old plan after the new one", s).isFalse();
                assertDivert(d, 0, "unknown-code");
            }
        }
        assertThat(switched).isTrue();
        assertDivert(sorter.divert(last, 0), 4, "plan");
    }

    @Test
    void sortingGoesOnWhileTheControlServerIsAwayAndEveryEventArrivesOnceAfterwards() throws Exception {
        host.announceHost("test-host", false);
        await().until(() -> !agent.isUplinkSending());
        long eventsBefore = host.sortEvents.size();
        long first = seqs.get() + 1;
        int items = 300;
        for (int i = 0; i < items; i++) {
            sorter.induct(seqs.incrementAndGet(), 0, "C-B");
        }
        long last = first + items - 1;
        await().atMost(Duration.ofSeconds(20)).until(() -> sorter.divert(last, 0) != null);
        for (long s = first; s <= last; s++) {
            assertDivert(sorter.divert(s, 0), 3, "plan");
        }
        assertThat(host.sortEvents.size()).as("nothing sent while the host is offline").isEqualTo(eventsBefore);
        host.announceHost("test-host", true);
        await().atMost(Duration.ofSeconds(20)).until(() -> host.sortEvents("decided").stream()
                .filter(e -> e.get("seq").asLong() >= first && e.get("seq").asLong() <= last).count() == items);
    }

    @Test
    void anAgentRestartedWithoutItsUplinkSortsWithTheStoredPlan() throws Exception {
        agent.close();
        uplinkBroker.stop();
        try {
            agent = EdgeAgent.start(config);
            assertThat(agent.sorters().get(SORTER).decisions().plan()).isNotNull();
            assertDivert(decide(0, "C-B"), 3, "plan");
        } finally {
            uplinkBroker.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.isUplinkConnected());
    }

    @Test
    void aSorterProfileWithoutTheDivertCommandIsRejectedAtStart() {
        AgentConfig bad = AgentConfigLoader.parse("""
                site: dc
                agentId: gw-2
                dataDir: agent2
                profileDirs: [%s]
                uplink: { url: %s }
                deviceBrokers:
                  - name: local
                    url: %s
                devices:
                  - name: s9
                    profile: sorter-without-divert
                    address: { device: s9 }
                """.formatted(testProfiles(), uplinkBroker.url(), deviceBroker.url()), dir);
        assertThatThrownBy(() -> EdgeAgent.start(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("devices[0].profile").hasMessageContaining("command 'divert'");
    }

    private Path testProfiles() {
        try {
            return Path.of(getClass().getResource("/test-profiles").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sorter's side of the protocol, driven by the test. */
    static final class TestSorter implements AutoCloseable {
        private final MqttClient client;
        private final Map<String, List<JsonNode>> diverts = new ConcurrentHashMap<>();

        TestSorter(String url) throws MqttException {
            client = new MqttClient(url, "test-sorter-" + System.nanoTime(), new MemoryPersistence());
            client.setCallback(new io.wareedge.sparkplug.MessageCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    JsonNode d = SortJson.parse(message.getPayload());
                    diverts.computeIfAbsent(d.get("seq").asLong() + "/" + d.get("pass").asInt(),
                            k -> new CopyOnWriteArrayList<>()).add(d);
                }

            });
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            client.connect(o);
            client.subscribe(new String[]{"sorters/" + SORTER + "/divert"}, new int[]{1});
        }

        void induct(long seq, int pass, String... codes) throws MqttException {
            StringBuilder json = new StringBuilder("{\"seq\":" + seq + ",\"pass\":" + pass + ",\"codes\":[");
            for (int i = 0; i < codes.length; i++) {
                json.append(i == 0 ? "" : ",").append('"').append(codes[i]).append('"');
            }
            json.append("],\"ts\":").append(System.currentTimeMillis()).append('}');
            publish("sorters/" + SORTER + "/induction", json.toString(), false);
        }

        void result(long seq, int pass, int chute, String outcome) throws MqttException {
            publish("sorters/" + SORTER + "/result", "{\"seq\":" + seq + ",\"pass\":" + pass + ",\"chute\":" + chute
                    + ",\"outcome\":\"" + outcome + "\",\"ts\":" + System.currentTimeMillis() + "}", false);
        }

        void chute(int chute, String state) throws MqttException {
            publish("sorters/" + SORTER + "/chutes/" + chute, "{\"state\":\"" + state + "\",\"fill\":50}", true);
        }

        private void publish(String topic, String json, boolean retained) throws MqttException {
            MqttMessage m = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            m.setRetained(retained);
            client.publish(topic, m);
        }

        JsonNode divert(long seq, int pass) {
            List<JsonNode> l = diverts.get(seq + "/" + pass);
            return l == null || l.isEmpty() ? null : l.get(0);
        }

        List<JsonNode> diverts(long seq, int pass) {
            return diverts.getOrDefault(seq + "/" + pass, List.of());
        }

        int divertCount() {
            return diverts.size();
        }

        @Override
        public void close() throws MqttException {
            client.disconnect();
            client.close(true);
        }
    }
}
