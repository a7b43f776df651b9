package io.wareedge.edge;

import io.wareedge.edge.config.AgentConfig;
import io.wareedge.edge.config.ConfigException;
import io.wareedge.edge.driver.MqttDeviceDriver;
import io.wareedge.edge.driver.GpioDeviceDriver;
import io.wareedge.edge.driver.OpcUaDeviceDriver;
import io.wareedge.edge.rules.StackLight;
import io.wareedge.edge.outbox.OutboundCodec;
import io.wareedge.edge.outbox.OutboundMessage;
import io.wareedge.edge.rules.Interlock;
import io.wareedge.edge.rules.Interlocks;
import io.wareedge.edge.health.AgentCounters;
import io.wareedge.edge.health.OncePerKindLog;
import io.wareedge.edge.ingest.BoundDevice;
import io.wareedge.edge.ingest.DeviceIngest;
import io.wareedge.edge.outbox.DurableOutbox;
import io.wareedge.edge.outbox.OutboxStats;
import io.wareedge.edge.sortation.PlanReplica;
import io.wareedge.edge.sortation.SorterBinding;
import io.wareedge.edge.sortation.SorterSession;
import io.wareedge.edge.uplink.ControlPlaneListener;
import io.wareedge.edge.uplink.SparkplugUplink;
import io.wareedge.sortation.Decisions;
import io.wareedge.profiles.DeviceProfile;
import io.wareedge.profiles.ProfileCatalog;
import io.wareedge.profiles.ProfileLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One edge agent: device drivers → ingest (normalize) → durable outbox → Sparkplug uplink, wired from a validated
 * configuration. Sorters among the devices are answered locally (divert decisions from a plan replica) and their
 * decisions and results join the outbox. Start it, and close it to stop (a clean stop publishes NDEATH; a crash leaves it to the will).
 */
public final class EdgeAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeAgent.class);

    private final AgentConfig config;
    private final DurableOutbox outbox;
    private final DeviceIngest ingest;
    private final SparkplugUplink uplink;
    private final List<MqttDeviceDriver> drivers = new ArrayList<>();
    private final List<OpcUaDeviceDriver> opcuaDrivers = new ArrayList<>();
    private final Interlocks interlocks;
    private final GpioDeviceDriver gpio;
    private final StackLight stackLight;
    /** Event kind of interlock firings upstream ({@code wareedge/<site>/<agent>/events/interlock}). */
    public static final String INTERLOCK_EVENTS = "interlock";
    private final ScheduledExecutorService watchdog;
    private final OncePerKindLog watchdogFailures;
    private final AgentCounters counters = new AgentCounters();
    private final List<SorterBinding> sorterBindings = new ArrayList<>();
    private final Map<String, SorterSession> sorters = new LinkedHashMap<>();
    /**
     * Decisions remembered per sorter, to answer redelivered inductions alike and match results: a 10,000 items/h
     * sorter inducts about 3 items/s, so this covers many hours, and a fast one at 1,000 items/s over three minutes.
     */
    private static final int DECISION_MEMORY = 200_000;

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
                // Variables the address leaves open match any value (a sorter's {chute}); at least one must be bound,
                // or the device would read every device's messages.
                var vars = stream.topic().variables();
                if (!vars.isEmpty() && vars.stream().noneMatch(d.address()::containsKey)) {
                    throw new ConfigException(key + ".address", "must bind one of " + vars + " required by profile "
                            + profile.id() + " (topic " + stream.topic() + ")", d.address());
                }
            }
            if (d.isOpcUa()) {
                if (profile.resources().stream().noneMatch(r -> r.opcua().isPresent())) {
                    throw new ConfigException(key + ".server", "profile " + profile.id()
                            + " has no OPC UA addresses: read it over MQTT (broker) instead", d.server());
                }
                for (var r : profile.resources()) {
                    if (r.opcua().isPresent() && !d.address().keySet().containsAll(r.opcua().get().variables())) {
                        throw new ConfigException(key + ".address", "must bind " + r.opcua().get().variables()
                                + " used by the node ids of profile " + profile.id(), d.address());
                    }
                }
            }
            BoundDevice device = new BoundDevice(d, profile);
            if (SorterBinding.isSorter(device)) {
                sorterBindings.add(SorterBinding.of(device, key));
            }
            bound.add(device);
        }
        List<Interlock> rules = checkedInterlocks(config, bound); // before anything is opened
        this.outbox = DurableOutbox.open(config.outbox());
        this.ingest = new DeviceIngest(outbox, counters, clock, bound);
        Map<String, Decisions> decisions = new LinkedHashMap<>();
        for (SorterBinding b : sorterBindings) {
            Decisions sorterDecisions = new Decisions(b.name(), PlanReplica.stored(config.dataDir(), b.name()).orElse(null),
                    DECISION_MEMORY);
            decisions.put(b.name(), sorterDecisions);
            sorters.put(b.name(), new SorterSession(b, sorterDecisions, outbox, ingest, counters, clock));
        }
        List<ControlPlaneListener> listeners = decisions.isEmpty() ? List.of()
                : List.of(new PlanReplica(config.dataDir(), config.site(), decisions, counters));
        this.uplink = new SparkplugUplink(config, outbox, ingest, counters, clock, listeners);
        Map<String, List<BoundDevice>> byBroker = new HashMap<>();
        for (BoundDevice d : bound) {
            byBroker.computeIfAbsent(d.config().broker(), k -> new ArrayList<>()).add(d);
        }
        for (AgentConfig.OpcUaServer server : config.opcuaServers()) {
            List<BoundDevice> devices = bound.stream().filter(d -> server.name().equals(d.config().server())).toList();
            if (!devices.isEmpty()) {
                opcuaDrivers.add(new OpcUaDeviceDriver(server, config.agentId(), config.dataDir().resolve("opcua"),
                        devices, ingest, counters,
                        config.uplink().initialBackoff(), config.uplink().maxBackoff()));
            }
        }
        for (AgentConfig.DeviceBroker b : config.deviceBrokers()) {
            List<BoundDevice> devices = byBroker.getOrDefault(b.name(), List.of());
            if (!devices.isEmpty()) {
                drivers.add(new MqttDeviceDriver(b, devices, ingest, sorters, counters, config.uplink().initialBackoff(),
                        config.uplink().maxBackoff()));
            }
        }
        this.interlocks = new Interlocks(rules, this::command, json -> {
            counters.interlocksFired.increment();
            outbox.append(0, OutboundCodec.encode(new OutboundMessage.Event(INTERLOCK_EVENTS, json)));
        }, clock);
        List<BoundDevice> wired = bound.stream().filter(d -> d.config().isGpio()).toList();
        this.gpio = wired.isEmpty() ? null : new GpioDeviceDriver(wired, ingest);
        this.stackLight = config.stackLight() == null ? null : stackLight(config, bound);
        ingest.onAccepted((device, readings) -> {
            interlocks.onReadings(device, readings);
            if (stackLight != null) {
                stackLight.evaluate(device);
            }
        });
        this.watchdogFailures = new OncePerKindLog(LOG, Duration.ofMinutes(1), clock);
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
        agent.opcuaDrivers.forEach(OpcUaDeviceDriver::start);
        if (agent.gpio != null) {
            agent.gpio.start();
        }
        if (agent.stackLight != null) {
            agent.stackLight.evaluate();
            agent.every(Duration.ofSeconds(1), "stack light", agent.stackLight::evaluate);
        }
        agent.every(Duration.ofSeconds(1), "stale devices", agent.ingest::checkStale);
        if (!agent.interlocks.isEmpty()) {
            // hold times are checked between readings too
            agent.every(Duration.ofMillis(50), "interlock hold times", agent.interlocks::tick);
        }
        LOG.info("edge agent {}/{} started: {} devices on {} device brokers, outbox {} ({} pending)", config.site(),
                config.agentId(), config.devices().size(), agent.drivers.size(), config.outbox().directory(),
                agent.outbox.stats().pending());
        return agent;
    }

    /**
     * Runs a check periodically on the watchdog thread. A periodic task that throws is never run again by its
     * executor, so one failure would silently stop the stack light or the staleness check for good: a failure is
     * logged (once per task, then summarised) and the next round runs as usual.
     */
    private void every(Duration interval, String task, Runnable check) {
        watchdog.scheduleWithFixedDelay(() -> {
            try {
                check.run();
            } catch (RuntimeException e) {
                watchdogFailures.warn(task, "periodic check failed: " + e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
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

    /** The sorters this agent decides for, by device name. */
    /**
     * Interlocks must trigger on a resource their device's profile has, and act through commands the target's
     * profile has, on a device whose driver carries commands (OPC UA).
     */
    private static List<Interlock> checkedInterlocks(AgentConfig config, List<BoundDevice> bound) {
        Map<String, BoundDevice> byName = new HashMap<>();
        bound.forEach(d -> byName.put(d.name(), d));
        for (int i = 0; i < config.interlocks().size(); i++) {
            Interlock rule = config.interlocks().get(i);
            String key = "interlocks[" + i + "]";
            BoundDevice trigger = byName.get(rule.when().device());
            if (trigger.profile().resources().stream().noneMatch(r -> r.name().equals(rule.when().resource()))) {
                throw new ConfigException(key + ".when.resource", "must be a resource of profile "
                        + trigger.profile().id(), rule.when().resource());
            }
            for (Interlock.Action a : rule.then()) {
                BoundDevice target = byName.get(a.device());
                if (target.profile().command(a.command()).isEmpty()) {
                    throw new ConfigException(key + ".then", "command must be one of profile " + target.profile().id()
                            + "'s commands", a.command());
                }
                if (!target.config().isOpcUa() && !target.config().isGpio()) {
                    throw new ConfigException(key + ".then", "interlock actions run on OPC UA and GPIO devices (MQTT "
                            + "device commands are not supported by interlocks yet)", a.device());
                }
            }
        }
        return config.interlocks();
    }

    /** The stack light's device must be wired to this gateway and have red, yellow and green outputs. */
    private StackLight stackLight(AgentConfig config, List<BoundDevice> bound) {
        BoundDevice light = bound.stream().filter(d -> d.name().equals(config.stackLight().device())).findFirst().orElseThrow();
        java.util.Set<String> outputs = new java.util.HashSet<>();
        light.profile().resources().stream().filter(r -> r.gpio().isPresent()
                && r.gpio().get().direction() == io.wareedge.profiles.Direction.OUTPUT).forEach(r -> outputs.add(r.name()));
        if (!light.config().isGpio() || !outputs.containsAll(List.of("red", "yellow", "green"))) {
            throw new ConfigException("stackLight.device", "must be a GPIO device (gpio: true) whose profile has outputs "
                    + "red, yellow and green", light.name());
        }
        boolean buzzer = outputs.contains("buzzer");
        return new StackLight(bound, ingest::lastValues, ingest::isOnline, colour -> {
            gpio.set(light, "red", colour == StackLight.Colour.RED);
            gpio.set(light, "yellow", colour == StackLight.Colour.YELLOW);
            gpio.set(light, "green", colour == StackLight.Colour.GREEN);
            if (buzzer) {
                gpio.set(light, "buzzer", colour == StackLight.Colour.RED);
            }
        });
    }

    /** The stack light, when one is configured. */
    public Optional<StackLight> stackLight() {
        return Optional.ofNullable(stackLight);
    }

    /** The GPIO driver, when devices are wired to this gateway. */
    public Optional<GpioDeviceDriver> gpio() {
        return Optional.ofNullable(gpio);
    }

    /** Runs a device command through the driver that serves the device. */
    public CompletableFuture<String> command(String device, String command, Map<String, Object> parameters) {
        if (gpio != null && gpio.serves(device)) {
            return gpio.command(device, command, parameters);
        }
        for (OpcUaDeviceDriver d : opcuaDrivers) {
            if (d.serves(device)) {
                return d.command(device, command, parameters).thenApply(results -> results.stream()
                        .map(OpcUaDeviceDriver.WriteResult::status).collect(java.util.stream.Collectors.joining(",")));
            }
        }
        return CompletableFuture.failedFuture(new IllegalArgumentException("no driver serves device " + device));
    }

    /** The OPC UA drivers, one per configured server that has devices (commands go through them). */
    public List<OpcUaDeviceDriver> opcuaDrivers() {
        return List.copyOf(opcuaDrivers);
    }

    public Map<String, SorterSession> sorters() {
        return Map.copyOf(sorters);
    }

    public boolean isUplinkConnected() {
        return uplink.isConnected();
    }

    /** Whether the outbox drains: the uplink is connected and the primary host, if configured, is online. */
    public boolean isUplinkSending() {
        return uplink.isSending();
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        drivers.forEach(MqttDeviceDriver::close);
        opcuaDrivers.forEach(OpcUaDeviceDriver::close);
        if (gpio != null) {
            gpio.close();
        }
        uplink.close();
        outbox.close();
        LOG.info("edge agent {}/{} stopped", config.site(), config.agentId());
    }
}
