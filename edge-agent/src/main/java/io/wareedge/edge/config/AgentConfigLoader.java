package io.wareedge.edge.config;

import io.wareedge.edge.outbox.OutboxFullPolicy;
import io.wareedge.edge.outbox.OutboxSettings;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.wareedge.edge.rules.Interlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and validates the agent's YAML configuration; the first bad value fails with its key, rule and value. */
public final class AgentConfigLoader {

    private static final Duration MAX_DATA_WINDOW = Duration.ofSeconds(5);

    private AgentConfigLoader() {
    }

    public static AgentConfig load(Path file) {
        try {
            return parse(Files.readString(file), file.getParent() == null ? Path.of(".") : file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read agent configuration " + file, e);
        }
    }

    /** Parses YAML text; relative paths resolve against {@code baseDir}. */
    @SuppressWarnings("unchecked")
    public static AgentConfig parse(String yaml, Path baseDir) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        if (!(root instanceof Map)) {
            throw new ConfigException("(root)", "must be a mapping", root);
        }
        ConfigValues c = new ConfigValues("", (Map<String, Object>) root);
        c.allowOnly(Set.of("site", "agentId", "dataDir", "uplink", "outbox", "profileDirs", "deviceBrokers", "opcuaServers",
                "devices", "interlocks", "stackLight"));

        String site = c.id("site", null);
        String agentId = c.id("agentId", null);
        Path dataDir = baseDir.resolve(c.string("dataDir", "var/agent-" + agentId)).normalize();

        ConfigValues u = c.child("uplink");
        u.allowOnly(Set.of("url", "clientId", "primaryHostId", "dataQos", "maxSamplesPerMessage", "dataWindow", "keepAlive",
                "initialBackoff", "maxBackoff", "statsInterval"));
        AgentConfig.Uplink uplink = new AgentConfig.Uplink(
                u.mqttUrl("url", null),
                u.string("clientId", "wareedge-" + site + "-" + agentId),
                u.has("primaryHostId") ? u.id("primaryHostId", null) : null,
                u.integer("dataQos", 1, 0, 1),
                u.integer("maxSamplesPerMessage", 500, 1, 10_000),
                // Held longer, telemetry would be older than what the control server takes for a live device.
                u.duration("dataWindow", Duration.ofMillis(250), Duration.ZERO, MAX_DATA_WINDOW),
                u.duration("keepAlive", Duration.ofSeconds(10), Duration.ofSeconds(1)),
                u.duration("initialBackoff", Duration.ofMillis(500), Duration.ofMillis(10)),
                u.duration("maxBackoff", Duration.ofSeconds(30), Duration.ofMillis(10)),
                u.duration("statsInterval", Duration.ofSeconds(10), Duration.ofSeconds(1)));
        if (uplink.maxBackoff().compareTo(uplink.initialBackoff()) < 0) {
            throw new ConfigException(u.key("maxBackoff"), "must not be below initialBackoff " + uplink.initialBackoff(), uplink.maxBackoff());
        }

        ConfigValues o = c.child("outbox");
        o.allowOnly(Set.of("maxSize", "segmentSize", "fsyncEvery", "whenFull"));
        long segment = o.size("segmentSize", 8L << 20, 4096);
        OutboxSettings outbox;
        try {
            outbox = new OutboxSettings(dataDir.resolve("outbox"),
                    o.size("maxSize", 256L << 20, 2 * segment),
                    segment,
                    o.duration("fsyncEvery", Duration.ofMillis(200), Duration.ZERO),
                    o.enumValue("whenFull", OutboxFullPolicy.class, OutboxFullPolicy.DROP_OLDEST));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(o.key("maxSize"), e.getMessage(), o.string("maxSize", "256MiB"));
        }

        List<Path> profileDirs = c.strings("profileDirs").stream().map(p -> baseDir.resolve(p).normalize()).toList();

        List<AgentConfig.DeviceBroker> brokers = new ArrayList<>();
        Set<String> brokerNames = new HashSet<>();
        for (ConfigValues b : c.children("deviceBrokers")) {
            b.allowOnly(Set.of("name", "url", "clientId", "sessionExpiry"));
            String name = b.id("name", "default");
            if (!brokerNames.add(name)) {
                throw new ConfigException(b.key("name"), "must be unique among deviceBrokers", name);
            }
            String url = b.mqttUrl("url", null);
            if (!url.startsWith("tcp://") && !url.startsWith("ssl://")) {
                // The device link reads and writes the socket itself (MqttLink); it speaks no WebSocket.
                throw new ConfigException(b.key("url"), "a device broker is reached over tcp:// or ssl://", url);
            }
            brokers.add(new AgentConfig.DeviceBroker(name, url,
                    b.string("clientId", "wareedge-" + agentId + "-devices-" + name),
                    b.duration("sessionExpiry", Duration.ofHours(1), Duration.ZERO)));
        }

        List<AgentConfig.OpcUaServer> servers = new ArrayList<>();
        Set<String> serverNames = new HashSet<>();
        for (ConfigValues s : c.children("opcuaServers")) {
            s.allowOnly(Set.of("name", "endpoint", "security", "publishingInterval", "requestTimeout"));
            String name = s.id("name", null);
            if (!serverNames.add(name)) {
                throw new ConfigException(s.key("name"), "must be unique among opcuaServers", name);
            }
            String endpoint = s.requiredString("endpoint");
            if (!endpoint.startsWith("opc.tcp://")) {
                throw new ConfigException(s.key("endpoint"), "must be an opc.tcp:// URL like opc.tcp://plc-1:4840", endpoint);
            }
            servers.add(new AgentConfig.OpcUaServer(name, endpoint,
                    s.enumValue("security", OpcUaSecurity.class, OpcUaSecurity.NONE),
                    s.duration("publishingInterval", Duration.ofMillis(100), Duration.ofMillis(10)),
                    s.duration("requestTimeout", Duration.ofSeconds(5), Duration.ofMillis(100))));
        }

        List<AgentConfig.Device> devices = new ArrayList<>();
        Set<String> deviceNames = new HashSet<>();
        for (ConfigValues d : c.children("devices")) {
            d.allowOnly(Set.of("name", "profile", "broker", "server", "gpio", "address", "area"));
            String name = d.id("name", null);
            if (!deviceNames.add(name)) {
                throw new ConfigException(d.key("name"), "must be unique among devices", name);
            }
            if (d.has("gpio")) {
                if (d.has("server") || d.has("broker") || !"true".equals(String.valueOf(d.raw("gpio")))) {
                    throw new ConfigException(d.key("gpio"), "must be true, for a device wired to this gateway's "
                            + "pins, without broker or server", d.raw("gpio"));
                }
                devices.add(new AgentConfig.Device(name, d.requiredString("profile"), null, null, true, d.stringMap("address"), d.optionalString("area")));
                continue;
            }
            if (d.has("server")) {
                String server = d.string("server", null);
                if (!serverNames.contains(server)) {
                    throw new ConfigException(d.key("server"), "must name one of opcuaServers " + serverNames, server);
                }
                if (d.has("broker")) {
                    throw new ConfigException(d.key("broker"), "a device is read over MQTT (broker) or OPC UA (server), not both",
                            d.string("broker", null));
                }
                devices.add(new AgentConfig.Device(name, d.requiredString("profile"), null, server, false, d.stringMap("address"), d.optionalString("area")));
                continue;
            }
            String broker = d.string("broker", brokers.size() == 1 ? brokers.get(0).name() : null);
            if (!brokerNames.contains(broker)) {
                throw new ConfigException(d.key("broker"), "must name one of deviceBrokers " + brokerNames, broker);
            }
            devices.add(new AgentConfig.Device(name, d.requiredString("profile"), broker, null, false, d.stringMap("address"), d.optionalString("area")));
        }
        List<Interlock> interlocks = new ArrayList<>();
        Set<String> ruleNames = new HashSet<>();
        for (ConfigValues r : c.children("interlocks")) {
            r.allowOnly(Set.of("name", "when", "for", "then"));
            String name = r.id("name", null);
            if (!ruleNames.add(name)) {
                throw new ConfigException(r.key("name"), "must be unique among interlocks", name);
            }
            ConfigValues w = r.child("when");
            w.allowOnly(Set.of("device", "resource", "equals", "above", "below"));
            String device = w.requiredString("device");
            if (!deviceNames.contains(device)) {
                throw new ConfigException(w.key("device"), "must name one of devices " + deviceNames, device);
            }
            Interlock.Condition condition;
            try {
                condition = new Interlock.Condition(device, w.requiredString("resource"), w.raw("equals"),
                        w.has("above") ? w.number("above") : null, w.has("below") ? w.number("below") : null);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(r.key("when"), e.getMessage(), w.raw(""));
            }
            List<Interlock.Action> actions = new ArrayList<>();
            for (ConfigValues a : r.childrenOrOne("then")) {
                a.allowOnly(Set.of("device", "command", "parameters"));
                String target = a.requiredString("device");
                if (!deviceNames.contains(target)) {
                    throw new ConfigException(a.key("device"), "must name one of devices " + deviceNames, target);
                }
                actions.add(new Interlock.Action(target, a.requiredString("command"), a.objectMap("parameters")));
            }
            if (actions.isEmpty()) {
                throw new ConfigException(r.key("then"), "needs at least one action {device, command}", null);
            }
            interlocks.add(new Interlock(name, condition, r.duration("for", Duration.ZERO, Duration.ZERO), actions));
        }
        AgentConfig.StackLight stackLight = null;
        if (c.has("stackLight")) {
            ConfigValues l = c.child("stackLight");
            l.allowOnly(Set.of("device"));
            String device = l.requiredString("device");
            if (!deviceNames.contains(device)) {
                throw new ConfigException(l.key("device"), "must name one of devices " + deviceNames, device);
            }
            stackLight = new AgentConfig.StackLight(device);
        }
        return new AgentConfig(site, agentId, dataDir, uplink, outbox, profileDirs, brokers, servers, devices, interlocks,
                stackLight);
    }
}
