package io.wareedge.sim;

import io.wareedge.profiles.DeviceProfile;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes what a set of simulated devices produce, over one MQTT connection, at the rate their profiles give
 * (scaled by a time factor), optionally mixing in malformed payloads.
 *
 * <p>Threading: one scheduled thread per simulator ({@code simulator-<name>}) owns the devices and publishes.
 * Publishing is QoS 1; while the broker is away the simulator keeps ticking and counts what it could not publish,
 * as a real device would lose it.
 *
 * <p>Faults can be played on a device from any thread: {@link #overrideValue} pins one resource to a value and
 * {@link #setSilent} stops a device publishing. Overrides run on the publishing thread (the caller waits for it);
 * the silent set is concurrent. Like a sensor reporting on change, a device publishes at once when an override
 * starts or ends and when it stops being silent, so the change does not wait for the next tick.
 */
public final class DeviceSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSimulator.class);

    private final List<SimulatedDevice> devices;
    private final Map<String, SimulatedDevice> devicesByName;
    private final Set<String> silent = ConcurrentHashMap.newKeySet();
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
        Map<String, SimulatedDevice> byName = new LinkedHashMap<>();
        for (SimulatedDevice d : this.devices) {
            if (byName.put(d.name(), d) != null) {
                throw new IllegalArgumentException("two simulated devices are named " + d.name());
            }
        }
        this.devicesByName = byName;
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

    /** What a simulated device is, without its (publishing-thread owned) state. */
    public record DeviceSummary(String name, DeviceProfile profile, Set<String> simulatedResources) {
    }

    /** The simulated devices, in the order given. */
    public List<DeviceSummary> devices() {
        return devices.stream().map(d -> new DeviceSummary(d.name(), d.profile(), d.simulatedResources())).toList();
    }

    /**
     * Publishes {@code value} for {@code resource} of {@code device} from now on (at once, then at every tick) until
     * {@link #clearOverride}.
     *
     * @throws IllegalArgumentException for an unknown device or a resource it does not simulate
     */
    public void overrideValue(String device, String resource, Object value) {
        SimulatedDevice d = device(device);
        onPublishingThread(() -> {
            d.override(resource, value);
            publishNow(d);
        });
    }

    /** Back to simulated values for {@code resource} of {@code device}, published at once. */
    public void clearOverride(String device, String resource) {
        SimulatedDevice d = device(device);
        onPublishingThread(() -> {
            d.clearOverride(resource);
            publishNow(d);
        });
    }

    /**
     * A silent device publishes nothing (its broker and the agent see it go quiet, then stale); when it speaks
     * again it publishes at once.
     */
    public void setSilent(String device, boolean on) {
        SimulatedDevice d = device(device);
        if (on) {
            silent.add(d.name());
        } else if (silent.remove(d.name())) {
            onPublishingThread(() -> publishNow(d));
        }
    }

    private SimulatedDevice device(String name) {
        SimulatedDevice d = devicesByName.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no simulated device '" + name + "'; simulated: "
                    + devicesByName.keySet());
        }
        return d;
    }

    /** Runs {@code task} where the devices live and waits for it; its IllegalArgumentException reaches the caller. */
    private void onPublishingThread(Runnable task) {
        try {
            scheduler.submit(task).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the simulator's publishing thread", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the simulator's publishing thread did not answer within 5 s", e);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the simulator is closed", e);
        }
    }

    /** On the publishing thread: one message per stream now, as a sensor reporting a change does. */
    private void publishNow(SimulatedDevice d) {
        if (silent.contains(d.name())) {
            return;
        }
        for (SimulatedDevice.Message m : d.tick(clock.instant(), 0)) {
            publish(m);
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
            if (silent.contains(device.name())) {
                return;
            }
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
