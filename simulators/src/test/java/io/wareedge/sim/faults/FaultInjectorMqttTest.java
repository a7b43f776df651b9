package io.wareedge.sim.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wareedge.embedded.MosquittoBroker;
import io.wareedge.profiles.ProfileCatalog;
import io.wareedge.profiles.ProfileLoader;
import io.wareedge.sim.DeviceSimulator;
import io.wareedge.sim.SimulatedDevice;
import io.wareedge.sparkplug.MessageCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults on MQTT devices as a subscriber on Mosquitto sees them: a climate sensor reporting a high temperature, an
 * RFID reader falling silent. The simulator runs in real time, so the climate sensor ticks only every 30 s: what
 * arrives sooner is the report on change that starts and ends a value override.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectorMqttTest {
    private static final String SENSOR_TOPIC = "zigbee2mqtt/aisle-3-th";
    private static final String READER_TOPIC = "zebra/fx-dock-1/data";

    @TempDir
    static Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private MosquittoBroker broker;
    private MqttClient subscriber;
    private DeviceSimulator simulator;
    private FaultInjector injector;

    private record Received(String topic, JsonNode payload, Instant at) {
    }

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(MosquittoBroker.isInstalled() || System.getenv("CI") != null, "mosquitto not installed");
        broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        subscriber = new MqttClient(broker.url(), "fault-watcher", new MemoryPersistence());
        subscriber.setCallback(new MessageCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                try {
                    received.add(new Received(topic, json.readTree(message.getPayload()), Instant.now()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        subscriber.connect();
        subscriber.subscribe(new String[]{SENSOR_TOPIC, READER_TOPIC}, new int[]{1, 1});
        ProfileCatalog profiles = ProfileLoader.loadBundled();
        simulator = new DeviceSimulator("faults", broker.url(), List.of(
                new SimulatedDevice("aisle-3-climate", profiles.require("zigbee2mqtt-temp-humidity"),
                        Map.of("device", "aisle-3-th"), 1),
                new SimulatedDevice("dock-door-1-rfid", profiles.require("zebra-fx9600"),
                        Map.of("device", "fx-dock-1"), 2)),
                DeviceSimulator.SimulationSettings.realTime());
        simulator.start();
        injector = new FaultInjector().addSimulatedDevices(simulator);
    }

    @AfterAll
    void stop() throws Exception {
        if (injector != null) {
            injector.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (subscriber != null) {
            subscriber.disconnect();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aFaultKnowsHowLongItMustLastBeforeTheProfilesAlarmCanRaise() {
        // zebra-fx9600: staleAfter plus the readerOffline alarm's 30 s; zigbee: highTemperature holds 60 s
        io.wareedge.profiles.DeviceProfile zebra = ProfileLoader.loadBundled().require("zebra-fx9600");
        assertThat(injector.noticedAfter("dock-door-1-rfid", FaultKind.SILENT))
                .isEqualTo(zebra.staleAfter().plusSeconds(30));
        assertThat(injector.noticedAfter("aisle-3-climate", FaultKind.HIGH_TEMPERATURE)).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(injector.noticedAfter("aisle-3-climate", FaultKind.JAM)).isZero();
        assertThat(injector.noticedAfter("nothing", FaultKind.SILENT)).isZero();
    }

    @Test
    void theScheduleMakesEachFaultLastUntilItsAlarmCanRaiseAndSkipsThoseThatWouldTakeAnHour() {
        try (FaultInjector own = new FaultInjector().addSimulatedDevices(simulator);
             FaultSchedule schedule = new FaultSchedule(own, new FaultSchedule.Settings(java.time.Duration.ofSeconds(1),
                     java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2), 7))) {
            for (int i = 0; i < 20; i++) {
                schedule.injectOne().ifPresent(f -> {
                    assertThat(f.kind() == FaultKind.SILENT && f.device().equals("aisle-3-climate"))
                            .as("an hourly sensor's silence is not scheduled").isFalse();
                    assertThat(f.duration()).as(f.toString()).isGreaterThanOrEqualTo(
                            own.noticedAfter(f.device(), f.kind()).plus(FaultSchedule.NOTICE_MARGIN));
                });
            }
            assertThat(own.active()).isNotEmpty();
        }
    }

    @Test
    void onlyASensorWithATemperatureAlarmTakesAHighTemperature() {
        assertThat(injector.kindsByDevice()).containsEntry("aisle-3-climate",
                        Set.of(FaultKind.SILENT, FaultKind.HIGH_TEMPERATURE))
                .containsEntry("dock-door-1-rfid", Set.of(FaultKind.SILENT));
    }

    @Test
    void aHighTemperatureIsReportedAtOnceAboveTheAlarmLimitAndNormalAgainWhenItClears() {
        Instant before = Instant.now();
        Fault fault = injector.inject("aisle-3-climate", FaultKind.HIGH_TEMPERATURE, Duration.ofSeconds(2));

        // the profile raises highTemperature above 30 °C; the fault reports the limit plus the margin
        await().atMost(Duration.ofSeconds(5)).until(() -> sensorTemperaturesSince(before).contains(35.0));
        await().atMost(Duration.ofSeconds(5)).until(() -> injector.active().isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() ->
                sensorTemperaturesSince(fault.clearsAt()).stream().anyMatch(t -> t > 15 && t < 28));
        assertThat(received.stream().filter(r -> r.topic().equals(SENSOR_TOPIC) && r.at().isAfter(before))
                .map(r -> r.payload().get("humidity").asDouble()))
                .as("the other resources go on as simulated").allMatch(h -> h > 30 && h < 60);
    }

    @Test
    void aSilentReaderPublishesNothingUntilItsFaultEnds() {
        await().atMost(Duration.ofSeconds(5)).until(() -> readerMessagesSince(Instant.now().minusMillis(500)) > 0);
        Fault fault = injector.inject("dock-door-1-rfid", FaultKind.SILENT, Duration.ofSeconds(2));
        // what was in flight when it fell silent may still arrive; nothing after that
        Instant quiet = fault.startedAt().plusMillis(300);

        await().atMost(Duration.ofSeconds(5)).until(() -> readerMessagesSince(fault.clearsAt()) > 0);

        long duringTheFault = received.stream().filter(r -> r.topic().equals(READER_TOPIC)
                && r.at().isAfter(quiet) && r.at().isBefore(fault.clearsAt())).count();
        assertThat(duringTheFault).isZero();
        assertThat(injector.recent()).anySatisfy(f -> {
            assertThat(f.id()).isEqualTo(fault.id());
            assertThat(f.ending()).isEqualTo(Fault.Ending.EXPIRED);
        });
    }

    private List<Double> sensorTemperaturesSince(Instant since) {
        return received.stream().filter(r -> r.topic().equals(SENSOR_TOPIC) && !r.at().isBefore(since))
                .map(r -> r.payload().get("temperature").asDouble()).toList();
    }

    private long readerMessagesSince(Instant since) {
        return received.stream().filter(r -> r.topic().equals(READER_TOPIC) && r.at().isAfter(since)).count();
    }
}
