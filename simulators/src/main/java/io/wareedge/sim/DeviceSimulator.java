package io.wareedge.sim;

import io.wareedge.sparkplug.TcpNoDelaySocketFactory;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes what a set of simulated devices produce, over one MQTT connection, at the rate their profiles give
 * (scaled by a time factor), optionally mixing in malformed payloads.
 *
 * <p>Threading: one scheduled thread per simulator ({@code simulator-<name>}) owns the devices and publishes.
 * Publishing is QoS 1; while the broker is away the simulator keeps ticking and counts what it could not publish,
 * as a real device would lose it.
 */
public final class DeviceSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSimulator.class);

    private final List<SimulatedDevice> devices;
    private final SimulationSettings settings;
    private final MqttAsyncClient client;
    private final ScheduledExecutorService scheduler;
    private final Random random;
    private final Clock clock;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public DeviceSimulator(String name, String brokerUrl, List<SimulatedDevice> devices, SimulationSettings settings) {
        this.devices = List.copyOf(devices);
        this.settings = settings;
        this.clock = Clock.systemUTC();
        this.random = new Random(settings.seed());
        try {
            client = new MqttAsyncClient(brokerUrl, "wareedge-sim-" + name, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("simulator broker " + brokerUrl + ": " + e.getMessage(), e);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "simulator-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 5);
        options.setCleanStart(true);
        options.setSocketFactory(TcpNoDelaySocketFactory.INSTANCE);
        try {
            client.connect(options).waitForCompletion(15_000);
        } catch (MqttException e) {
            throw new IllegalStateException("simulator cannot reach its broker: " + e.getMessage(), e);
        }
        for (SimulatedDevice d : devices) {
            long periodMicros = Math.max(100, (long) (d.interval().toNanos() / 1000.0 / settings.timeFactor()));
            long initialDelay = (long) (random.nextDouble() * periodMicros);
            scheduler.scheduleAtFixedRate(new Ticker(d, periodMicros), initialDelay, periodMicros, TimeUnit.MICROSECONDS);
        }
        LOG.info("simulating {} devices (time factor {}, malformed share {})", devices.size(), settings.timeFactor(),
                settings.malformedShare());
    }

    public long published() {
        return published.get();
    }

    public long malformedPublished() {
        return malformed.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("closing simulator: {}", e.toString());
        }
    }

    private final class Ticker implements Runnable {
        private final SimulatedDevice device;
        private final double hoursPerTick;

        Ticker(SimulatedDevice device, long periodMicros) {
            this.device = device;
            this.hoursPerTick = periodMicros * settings.timeFactor() / 3.6e9;
        }

        @Override
        public void run() {
            Instant now = clock.instant();
            try {
                if (settings.malformedShare() > 0 && random.nextDouble() < settings.malformedShare()) {
                    publish(device.malformed(now));
                    malformed.incrementAndGet();
                    return;
                }
                for (SimulatedDevice.Message m : device.tick(now, hoursPerTick)) {
                    publish(m);
                }
            } catch (RuntimeException e) {
                LOG.warn("simulated device {}: {}", device.name(), e.toString());
            }
        }

        private void publish(SimulatedDevice.Message m) {
            if (!client.isConnected()) {
                failed.incrementAndGet();
                return;
            }
            MqttMessage message = new MqttMessage(m.payload());
            message.setQos(1);
            try {
                client.publish(m.topic(), message);
                published.incrementAndGet();
            } catch (MqttException e) {
                failed.incrementAndGet();
            }
        }
    }

    /** How fast and how clean the simulation runs. */
    public record SimulationSettings(double timeFactor, double malformedShare, long seed) {
        public SimulationSettings {
            if (!(timeFactor > 0)) {
                throw new IllegalArgumentException("timeFactor must be > 0, got " + timeFactor);
            }
            if (malformedShare < 0 || malformedShare > 1) {
                throw new IllegalArgumentException("malformedShare must be within 0..1, got " + malformedShare);
            }
        }

        public static SimulationSettings realTime() {
            return new SimulationSettings(1.0, 0.0, 42);
        }
    }
}
