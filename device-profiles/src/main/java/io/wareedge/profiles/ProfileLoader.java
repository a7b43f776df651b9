package io.wareedge.profiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads device profiles from YAML. Loading is strict: unknown keys, missing required keys, bad values and broken
 * references all fail with a {@link ProfileException} naming the file, the line and the reason.
 */
public final class ProfileLoader {
    /** Classpath location of the list of shipped profile files. */
    public static final String BUNDLED_INDEX = "profiles/index.txt";

    private static final Set<String> TOP_KEYS = keys("schemaVersion", "id", "manufacturer", "model", "kind",
            "description", "staleAfter", "mqttStreams", "resources", "commands", "alarms", "simulation");
    private static final Set<String> STREAM_KEYS = keys("name", "topic", "records", "batch", "where", "timestamp",
            "maxPayloadBytes", "envelope");
    private static final Set<String> WHERE_KEYS = keys("pointer", "equals", "notEquals", "in");
    private static final Set<String> TIMESTAMP_KEYS = keys("pointer", "format");
    private static final Set<String> RESOURCE_KEYS = keys("name", "description", "type", "unit", "scale", "offset",
            "min", "max", "enum", "access", "required", "mqtt", "opcua", "gpio", "simulate");
    private static final Set<String> MQTT_ADDRESS_KEYS = keys("stream", "pointer", "unit", "reduce", "encoding");
    private static final Set<String> OPCUA_ADDRESS_KEYS = keys("nodeId", "samplingInterval");
    private static final Set<String> GPIO_ADDRESS_KEYS = keys("pin", "direction", "pull", "debounce", "activeLow");
    private static final Set<String> SIMULATE_KEYS = keys("typical", "noise", "drift", "values", "generator");
    private static final Set<String> COMMAND_KEYS = keys("name", "description", "parameters", "mqtt", "opcua",
            "gpio");
    private static final Set<String> PARAMETER_KEYS = keys("name", "description", "type", "unit", "min", "max",
            "enum");
    private static final Set<String> MQTT_COMMAND_KEYS = keys("topic", "qos", "retained");
    private static final Set<String> OPCUA_COMMAND_KEYS = keys("writes");
    private static final Set<String> WRITE_KEYS = keys("nodeId", "parameter", "value");
    private static final Set<String> GPIO_COMMAND_KEYS = keys("resource", "parameter");
    private static final Set<String> CONDITION_KEYS = keys("above", "below", "equals", "rateAbove", "stale",
            "offline");
    private static final Set<String> ALARM_KEYS = keys("name", "resource", "above", "below", "equals", "rateAbove",
            "stale", "offline", "for", "severity", "deadband", "latch", "message");
    private static final Set<String> SIMULATION_KEYS = keys("interval", "recordsPerMessage");

    private static volatile ProfileCatalog bundled;

    private ProfileLoader() {
    }

    /** Loads one profile file; its id must equal the file name without extension. */
    public static DeviceProfile load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProfileException(file.toString(), 0, "cannot read profile: " + e);
        }
        return parse(file.toString(), text, idFromFileName(file.getFileName().toString()));
    }

    /** Parses a profile from text; {@code sourceName} is used in error messages. */
    public static DeviceProfile parse(String sourceName, String yamlText) {
        return parse(sourceName, yamlText, null);
    }

    /**
     * Loads every {@code *.yaml}/{@code *.yml} file of a directory. All files are tried; if any fails, one
     * ProfileException lists every problem ({@link ProfileException#problems()}).
     */
    public static ProfileCatalog loadDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ProfileException(dir.toString(), 0, "not a directory");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> isProfileFile(f.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new ProfileException(dir.toString(), 0, "cannot list directory: " + e);
        }
        List<DeviceProfile> profiles = new ArrayList<>();
        List<ProfileException> problems = new ArrayList<>();
        Map<String, Path> seen = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                DeviceProfile p = load(file);
                Path earlier = seen.putIfAbsent(p.id(), file);
                if (earlier != null) {
                    problems.add(new ProfileException(file.toString(), 0, "profile id '" + p.id()
                            + "' is already defined by " + earlier));
                } else {
                    profiles.add(p);
                }
            } catch (ProfileException e) {
                problems.add(e);
            }
        }
        if (!problems.isEmpty()) {
            throw ProfileException.combining(dir.toString(), problems);
        }
        return new ProfileCatalog(profiles);
    }

    /** The profiles shipped with this library, listed in {@value #BUNDLED_INDEX} on the classpath. */
    public static ProfileCatalog loadBundled() {
        ProfileCatalog catalog = bundled;
        if (catalog == null) {
            catalog = loadBundled(ProfileLoader.class.getClassLoader());
            bundled = catalog;
        }
        return catalog;
    }

    /** The file names listed in the bundled index, in order. */
    public static List<String> bundledFileNames() {
        String index = readResource(ProfileLoader.class.getClassLoader(), BUNDLED_INDEX);
        return index.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static ProfileCatalog loadBundled(ClassLoader loader) {
        List<DeviceProfile> profiles = new ArrayList<>();
        List<ProfileException> problems = new ArrayList<>();
        for (String fileName : bundledFileNames()) {
            String resource = "profiles/" + fileName;
            try {
                profiles.add(parse(resource, readResource(loader, resource), idFromFileName(fileName)));
            } catch (ProfileException e) {
                problems.add(e);
            }
        }
        if (!problems.isEmpty()) {
            throw ProfileException.combining(BUNDLED_INDEX, problems);
        }
        return new ProfileCatalog(profiles);
    }

    private static String readResource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new ProfileException(name, 0, "not found on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProfileException(name, 0, "cannot read: " + e);
        }
    }

    static boolean isProfileFile(String fileName) {
        return fileName.endsWith(".yaml") || fileName.endsWith(".yml");
    }

    private static String idFromFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? fileName : fileName.substring(0, dot);
    }

    static DeviceProfile parse(String source, String text, String expectedId) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowRecursiveKeys(false);
            options.setMaxAliasesForCollections(20);
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 0 : mark.getLine() + 1;
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            throw new ProfileException(source, line, "YAML syntax error: " + problem + context);
        } catch (YAMLException e) {
            throw new ProfileException(source, 0, "YAML syntax error: " + e.getMessage());
        }
        if (root == null) {
            throw new ProfileException(source, 1, "empty profile");
        }
        return new Parser(YamlMap.of(source, root, "profile", TOP_KEYS)).profile(expectedId);
    }

    private static Set<String> keys(String... keys) {
        return new LinkedHashSet<>(List.of(keys));
    }

    /** Reads one profile document; every method throws ProfileException with the line of the offending node. */
    private static final class Parser {
        private final YamlMap top;

        Parser(YamlMap top) {
            this.top = top;
        }

        DeviceProfile profile(String expectedId) {
            int schemaVersion = top.integer("schemaVersion")
                    .orElseThrow(() -> top.error(top.line(), "profile: missing required key 'schemaVersion'"));
            if (!DeviceProfile.SUPPORTED_SCHEMA_VERSIONS.contains(schemaVersion)) {
                throw top.error(top.lineOf("schemaVersion"), "unsupported schemaVersion " + schemaVersion
                        + " (this library reads " + DeviceProfile.SUPPORTED_SCHEMA_VERSIONS + ")");
            }
            String id = top.required("id", Checks::id);
            if (expectedId != null && !expectedId.equals(id)) {
                throw top.error(top.lineOf("id"), "id '" + id + "' must equal the file name '" + expectedId + "'");
            }
            String manufacturer = top.requiredText("manufacturer");
            String model = top.requiredText("model");
            DeviceKind kind = top.required("kind", DeviceKind::parse);
            String description = top.text("description").orElse("");
            Duration staleAfter = top.duration("staleAfter").orElse(DeviceProfile.DEFAULT_STALE_AFTER);

            Map<String, MqttStream> streams = new LinkedHashMap<>();
            List<YamlMap> streamMaps = top.maps("mqttStreams", "mqtt stream", STREAM_KEYS);
            for (YamlMap s : streamMaps) {
                MqttStream stream = stream(s);
                if (streams.put(stream.name(), stream) != null) {
                    throw s.error(s.lineOf("name"), "duplicate stream name '" + stream.name() + "'");
                }
            }
            Map<String, Resource> resources = new LinkedHashMap<>();
            List<YamlMap> resourceMaps = top.maps("resources", "resource", RESOURCE_KEYS);
            if (resourceMaps.isEmpty()) {
                throw top.error(top.lineOf("resources"), "profile: missing required key 'resources' (at least one"
                        + " resource)");
            }
            for (YamlMap r : resourceMaps) {
                Resource resource = resource(r, streams);
                if (resources.put(resource.name(), resource) != null) {
                    throw r.error(r.lineOf("name"), "duplicate resource name '" + resource.name() + "'");
                }
            }
            Map<String, Command> commands = new LinkedHashMap<>();
            for (YamlMap c : top.maps("commands", "command", COMMAND_KEYS)) {
                Command command = command(c, resources);
                if (commands.put(command.name(), command) != null) {
                    throw c.error(c.lineOf("name"), "duplicate command name '" + command.name() + "'");
                }
            }
            Map<String, AlarmDefinition> alarms = new LinkedHashMap<>();
            for (YamlMap a : top.maps("alarms", "alarm", ALARM_KEYS)) {
                AlarmDefinition alarm = alarm(a, resources);
                if (alarms.put(alarm.name(), alarm) != null) {
                    throw a.error(a.lineOf("name"), "duplicate alarm name '" + alarm.name() + "'");
                }
            }
            SimulationProfile simulation = top.map("simulation", "simulation", SIMULATION_KEYS)
                    .map(this::simulation).orElse(SimulationProfile.DEFAULT);
            return top.build(() -> new DeviceProfile(schemaVersion, id, manufacturer, model, kind, description,
                    List.copyOf(streams.values()), List.copyOf(resources.values()), List.copyOf(commands.values()),
                    List.copyOf(alarms.values()), staleAfter, simulation));
        }

        private static YamlMap named(YamlMap map, String what) {
            String name = map.requiredText("name");
            return map.withContext(what + " '" + name + "'");
        }

        private MqttStream stream(YamlMap raw) {
            YamlMap s = named(raw, "stream");
            String name = s.requiredText("name");
            TopicTemplate topic = s.required("topic", TopicTemplate::parse);
            String records = s.text("records").orElse("");
            boolean batch = s.bool("batch").orElse(!records.isEmpty());
            Optional<RecordFilter> where = s.map("where", s.context() + " where", WHERE_KEYS)
                    .map(w -> w.build(() -> new RecordFilter(w.requiredText("pointer"), w.text("equals"),
                            w.text("notEquals"), w.texts("in"))));
            Optional<TimestampField> timestamp = s.map("timestamp", s.context() + " timestamp", TIMESTAMP_KEYS)
                    .map(t -> {
                        String pointer = t.requiredText("pointer");
                        TimestampFormat format = t.required("format", TimestampFormat::parse);
                        return t.build(() -> new TimestampField(pointer, format));
                    });
            int maxPayloadBytes = s.integer("maxPayloadBytes").orElse(MqttStream.DEFAULT_MAX_PAYLOAD_BYTES);
            Map<String, Object> envelope = s.constantMap("envelope");
            return s.build(() -> new MqttStream(name, topic, records, batch, where, timestamp, maxPayloadBytes,
                    envelope));
        }

        private Resource resource(YamlMap raw, Map<String, MqttStream> streams) {
            YamlMap r = named(raw, "resource");
            String name = r.requiredText("name");
            ValueType type = r.required("type", ValueType::parse);
            Unit unit = r.get("unit", Unit::parse).orElse(Unit.NONE);
            Optional<MqttAddress> mqtt = r.map("mqtt", r.context() + " mqtt", MQTT_ADDRESS_KEYS).map(m -> {
                String stream = m.requiredText("stream");
                if (!streams.containsKey(stream)) {
                    throw m.error(m.lineOf("stream"), r.context() + " references unknown stream '" + stream
                            + "'; streams: " + streams.keySet());
                }
                String pointer = m.requiredText("pointer");
                Unit sourceUnit = m.get("unit", Unit::parse).orElse(unit);
                ArrayReduce reduce = m.get("reduce", ArrayReduce::parse).orElse(ArrayReduce.NONE);
                TextEncoding encoding = m.get("encoding", TextEncoding::parse).orElse(TextEncoding.TEXT);
                return m.build(() -> new MqttAddress(stream, pointer, sourceUnit, reduce, encoding));
            });
            Optional<OpcUaAddress> opcua = r.map("opcua", r.context() + " opcua", OPCUA_ADDRESS_KEYS).map(o -> {
                String nodeId = o.required("nodeId", NodeIds::requireTemplate);
                Duration sampling = o.duration("samplingInterval").orElse(OpcUaAddress.DEFAULT_SAMPLING_INTERVAL);
                return o.build(() -> new OpcUaAddress(nodeId, sampling));
            });
            Optional<GpioAddress> gpio = r.map("gpio", r.context() + " gpio", GPIO_ADDRESS_KEYS).map(g -> {
                int pin = g.integer("pin").orElseThrow(() -> g.error(g.line(), g.context()
                        + ": missing required key 'pin'"));
                Direction direction = g.required("direction", Direction::parse);
                Pull pull = g.get("pull", Pull::parse).orElse(Pull.OFF);
                Duration debounce = g.duration("debounce").orElse(Duration.ZERO);
                boolean activeLow = g.bool("activeLow").orElse(false);
                return g.build(() -> new GpioAddress(pin, direction, pull, debounce, activeLow));
            });
            SimulationHints simulate = r.map("simulate", r.context() + " simulate", SIMULATE_KEYS)
                    .map(this::hints).orElse(SimulationHints.NONE);
            String description = r.text("description").orElse("");
            double scale = r.number("scale").orElse(1);
            double offset = r.number("offset").orElse(0);
            var min = r.number("min");
            var max = r.number("max");
            Map<String, String> enumLabels = r.textMap("enum");
            Access access = r.get("access", Access::parse).orElse(Access.READ);
            boolean required = r.bool("required").orElse(false);
            return r.build(() -> new Resource(name, description, type, unit, scale, offset, min, max, enumLabels,
                    access, required, mqtt, opcua, gpio, simulate));
        }

        private SimulationHints hints(YamlMap h) {
            var typical = h.number("typical");
            double noise = h.number("noise").orElse(0);
            var drift = h.number("drift");
            List<String> values = h.texts("values");
            Optional<String> generator = h.text("generator");
            return h.build(() -> new SimulationHints(typical, noise, drift, values, generator));
        }

        private Command command(YamlMap raw, Map<String, Resource> resources) {
            YamlMap c = named(raw, "command");
            String name = c.requiredText("name");
            List<CommandParameter> parameters = new ArrayList<>();
            for (YamlMap p : c.maps("parameters", "parameter", PARAMETER_KEYS)) {
                YamlMap pn = named(p, c.context() + " parameter");
                String pName = pn.requiredText("name");
                String description = pn.text("description").orElse("");
                ValueType type = pn.required("type", ValueType::parse);
                Unit unit = pn.get("unit", Unit::parse).orElse(Unit.NONE);
                var min = pn.number("min");
                var max = pn.number("max");
                List<String> enumValues = pn.texts("enum");
                parameters.add(pn.build(() -> new CommandParameter(pName, description, type, unit, min, max,
                        enumValues)));
            }
            Optional<MqttCommandTarget> mqtt = c.map("mqtt", c.context() + " mqtt", MQTT_COMMAND_KEYS).map(m -> {
                TopicTemplate topic = m.required("topic", TopicTemplate::parse);
                int qos = m.integer("qos").orElse(1);
                boolean retained = m.bool("retained").orElse(false);
                return m.build(() -> new MqttCommandTarget(topic, qos, retained));
            });
            Optional<OpcUaCommandTarget> opcua = c.map("opcua", c.context() + " opcua", OPCUA_COMMAND_KEYS)
                    .map(o -> {
                        List<OpcUaWrite> writes = new ArrayList<>();
                        for (YamlMap w : o.maps("writes", c.context() + " write", WRITE_KEYS)) {
                            String nodeId = w.required("nodeId", NodeIds::requireTemplate);
                            Optional<String> parameter = w.text("parameter");
                            Optional<Object> value = w.constant("value");
                            writes.add(w.build(() -> new OpcUaWrite(nodeId, parameter, value)));
                        }
                        return o.build(() -> new OpcUaCommandTarget(writes));
                    });
            Optional<GpioCommandTarget> gpio = c.map("gpio", c.context() + " gpio", GPIO_COMMAND_KEYS).map(g -> {
                String resource = g.requiredText("resource");
                String parameter = g.requiredText("parameter");
                return g.build(() -> new GpioCommandTarget(resource, parameter));
            });
            String description = c.text("description").orElse("");
            Command command = c.build(() -> new Command(name, description, parameters, mqtt, opcua, gpio));
            c.build(() -> {
                command.checkAgainst(resources);
                return command;
            });
            return command;
        }

        private AlarmDefinition alarm(YamlMap raw, Map<String, Resource> resources) {
            YamlMap a = named(raw, "alarm");
            String name = a.requiredText("name");
            List<String> given = CONDITION_KEYS.stream().filter(a::has).toList();
            if (given.size() != 1) {
                throw a.error(a.line(), a.context() + " needs exactly one condition of " + CONDITION_KEYS
                        + (given.isEmpty() ? "" : ", got " + given));
            }
            AlarmCondition condition = switch (given.get(0)) {
                case "above" -> new AlarmCondition.Above(a.number("above").getAsDouble());
                case "below" -> new AlarmCondition.Below(a.number("below").getAsDouble());
                case "rateAbove" -> new AlarmCondition.RateAbove(a.number("rateAbove").getAsDouble());
                case "equals" -> new AlarmCondition.EqualsValue(a.requiredText("equals"));
                case "stale" -> a.build(() -> new AlarmCondition.Stale(a.duration("stale").orElseThrow()));
                default -> {
                    if (!a.bool("offline").orElseThrow()) {
                        throw a.error(a.lineOf("offline"), a.context() + ": offline must be true (or left out)");
                    }
                    yield new AlarmCondition.Offline();
                }
            };
            String resource = a.text("resource").orElse(null);
            Duration forDuration = a.duration("for").orElse(Duration.ZERO);
            Severity severity = a.required("severity", Severity::parse);
            var deadband = a.number("deadband");
            boolean latch = a.bool("latch").orElse(true);
            String message = a.text("message").orElse("");
            AlarmDefinition alarm = a.build(() -> new AlarmDefinition(name, resource, condition, forDuration,
                    severity, deadband, latch, message));
            return a.build(() -> {
                alarm.checkAgainst(resources);
                return alarm;
            });
        }

        private SimulationProfile simulation(YamlMap s) {
            Duration interval = s.duration("interval").orElse(Duration.ofSeconds(1));
            int recordsPerMessage = s.integer("recordsPerMessage").orElse(1);
            return s.build(() -> new SimulationProfile(interval, recordsPerMessage));
        }
    }
}
