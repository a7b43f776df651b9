package io.wareedge.edge;

import io.wareedge.edge.config.AgentConfig;
import io.wareedge.edge.config.ConfigException;
import io.wareedge.edge.driver.MqttDeviceDriver;
import io.wareedge.edge.health.AgentCounters;
import io.wareedge.edge.ingest.BoundDevice;
import io.wareedge.edge.ingest.DeviceIngest;
import io.wareedge.edge.outbox.DurableOutbox;
import io.wareedge.edge.outbox.OutboxStats;
import io.wareedge.edge.uplink.SparkplugUplink;
import io.wareedge.profiles.DeviceProfile;
import io.wareedge.profiles.ProfileCatalog;
import io.wareedge.profiles.ProfileLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One edge agent: device drivers → ingest (normalize) → durable outbox → Sparkplug uplink, wired from a validated
 * configuration. Start it, and close it to stop (a clean stop publishes NDEATH; a crash leaves it to the will).
 */
public final class EdgeAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeAgent.class);

    private final AgentConfig config;
    private final DurableOutbox outbox;
    private final DeviceIngest ingest;
    private final SparkplugUplink uplink;
    private final List<MqttDeviceDriver> drivers = new ArrayList<>();
    private final ScheduledExecutorService watchdog;
    private final AgentCounters counters = new AgentCounters();

    private EdgeAgent(AgentConfig config, ProfileCatalog catalog, Clock clock) {
        this.config = config;
        List<BoundDevice> bound = new ArrayList<>();
        for (int i = 0; i < config.devices().size(); i++) {
            AgentConfig.Device d = config.devices().get(i);
            String key = "devices[" + i + "]";
            DeviceProfile profile = catalog.find(d.profile()).orElseThrow(() -> new ConfigException(
                    key + ".profile", "must name a known device profile " + catalog.all().stream()
                    .map(DeviceProfile::id).sorted().toList(), d.profile()));
            for (var stream : profile.mqttStreams()) {
                for (String var : stream.topic().variables()) {
                    if (!d.address().containsKey(var)) {
                        throw new ConfigException(key + ".address." + var,
                                "is required by profile " + profile.id() + " (topic " + stream.topic() + ")", null);
                    }
                }
            }
            bound.add(new BoundDevice(d, profile));
        }
        this.outbox = DurableOutbox.open(config.outbox());
        this.ingest = new DeviceIngest(outbox, counters, clock, bound);
        this.uplink = new SparkplugUplink(config, outbox, ingest, counters, clock);
        Map<String, List<BoundDevice>> byBroker = new HashMap<>();
        for (BoundDevice d : bound) {
            byBroker.computeIfAbsent(d.config().broker(), k -> new ArrayList<>()).add(d);
        }
        for (AgentConfig.DeviceBroker b : config.deviceBrokers()) {
            List<BoundDevice> devices = byBroker.getOrDefault(b.name(), List.of());
            if (!devices.isEmpty()) {
                drivers.add(new MqttDeviceDriver(b, devices, ingest, config.uplink().initialBackoff(), config.uplink().maxBackoff()));
            }
        }
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "device-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    /** Builds and starts an agent; profiles come from the bundled set plus the configured directories. */
    public static EdgeAgent start(AgentConfig config) {
        return start(config, Clock.systemUTC());
    }

    public static EdgeAgent start(AgentConfig config, Clock clock) {
        // A site's own profile directory may override a bundled profile of the same id.
        Map<String, DeviceProfile> profiles = new java.util.LinkedHashMap<>();
        ProfileLoader.loadBundled().all().forEach(p -> profiles.put(p.id(), p));
        for (Path dir : config.profileDirs()) {
            ProfileLoader.loadDirectory(dir).all().forEach(p -> profiles.put(p.id(), p));
        }
        EdgeAgent agent = new EdgeAgent(config, new ProfileCatalog(profiles.values()), clock);
        agent.uplink.start();
        agent.drivers.forEach(MqttDeviceDriver::start);
        agent.watchdog.scheduleWithFixedDelay(agent.ingest::checkStale, 1, 1, TimeUnit.SECONDS);
        LOG.info("edge agent {}/{} started: {} devices on {} device brokers, outbox {} ({} pending)", config.site(),
                config.agentId(), config.devices().size(), agent.drivers.size(), config.outbox().directory(),
                agent.outbox.stats().pending());
        return agent;
    }

    public AgentConfig config() {
        return config;
    }

    public AgentCounters counters() {
        return counters;
    }

    public OutboxStats outboxStats() {
        return outbox.stats();
    }

    public boolean isUplinkConnected() {
        return uplink.isConnected();
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        drivers.forEach(MqttDeviceDriver::close);
        uplink.close();
        outbox.close();
        LOG.info("edge agent {}/{} stopped", config.site(), config.agentId());
    }
}
