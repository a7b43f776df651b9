package io.wareedge.warehouse;

import io.wareedge.edge.EdgeAgent;
import io.wareedge.edge.config.AgentConfig;
import io.wareedge.edge.config.AgentConfigLoader;
import io.wareedge.embedded.Closing;
import io.wareedge.embedded.EmbeddedMqttBroker;
import io.wareedge.embedded.FreePorts;
import io.wareedge.profiles.ProfileCatalog;
import io.wareedge.profiles.ProfileLoader;
import io.wareedge.server.ControlServer;
import io.wareedge.sim.DeviceSimulator;
import io.wareedge.sim.SimulatedDevice;
import io.wareedge.sim.conveyor.ConveyorPlcSimulator;
import io.wareedge.sim.faults.FaultInjector;
import io.wareedge.sim.sorter.SorterSimulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The whole warehouse in one process on embedded defaults: an embedded MQTT broker (HiveMQ CE), the control
 * server with its embedded PostgreSQL, one edge agent, and simulated devices publishing what their profiles
 * describe, and faults injected into them on a schedule or through a small HTTP API. State lives under
 * {@code var/} and survives a restart.
 */
public final class Warehouse implements AutoCloseable {

    private final EmbeddedMqttBroker broker;
    private final ControlServer server;
    private final EdgeAgent agent;
    private final DeviceSimulator simulator;
    private final SorterSimulator sorter;
    private final PickingDemo picking;
    private final ConveyorPlcSimulator plc;
    private final FaultDemo faults;

    private Warehouse(EmbeddedMqttBroker broker, ControlServer server, EdgeAgent agent, DeviceSimulator simulator,
                      SorterSimulator sorter, PickingDemo picking, ConveyorPlcSimulator plc, FaultDemo faults) {
        this.broker = broker;
        this.server = server;
        this.agent = agent;
        this.simulator = simulator;
        this.sorter = sorter;
        this.picking = picking;
        this.plc = plc;
        this.faults = faults;
    }

    /**
     * Starts everything.
     *
     * @param varDir   where state lives
     * @param mqttPort the broker's port (0 = any free one)
     * @param httpPort the control server's port (0 = any free one)
     */
    public static Warehouse start(Path varDir, int mqttPort, int httpPort, String adminPassword) {
        FaultDemo.Settings faultSettings = FaultDemo.Settings.fromSystemProperties();
        EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(varDir.resolve("broker"), mqttPort);
        ControlServer server = ControlServer.start(Map.of(
                "micronaut.server.port", httpPort == 0 ? FreePorts.pick() : httpPort,
                "wareedge.mqtt.url", broker.url(),
                "wareedge.data-dir", varDir.toString(),
                "wareedge.admin-password", adminPassword));
        // Conveyor line 1's PLC: a real OPC UA server the agent reads through the conveyor profile.
        ConveyorPlcSimulator.Settings plcSettings = ConveyorPlcSimulator.Settings.defaults(1, 3);
        ConveyorPlcSimulator plc = ConveyorPlcSimulator.start(0, plcSettings);
        AgentConfig agentConfig = AgentConfigLoader.parse(resource("warehouse/agent.yaml")
                .replace("${MQTT_URL}", broker.url()).replace("${OPCUA_URL}", plc.endpointUrl()), varDir);
        EdgeAgent agent = EdgeAgent.start(agentConfig);
        ProfileCatalog profiles = ProfileLoader.loadBundled();
        List<SimulatedDevice> devices = new ArrayList<>();
        long seed = 1;
        for (AgentConfig.Device d : agentConfig.devices()) {
            if (profiles.require(d.profile()).kind() == io.wareedge.profiles.DeviceKind.SORTER || d.isOpcUa()) {
                continue; // the sorter simulator and the PLC simulator play these
            }
            devices.add(new SimulatedDevice(d.name(), profiles.require(d.profile()), d.address(), seed++));
        }
        DeviceSimulator simulator = new DeviceSimulator("warehouse", broker.url(), devices, simulationSettings());
        simulator.start();
        List<String> parcels = SortationDemo.setUp(server);
        PickingDemo picking = PickingDemo.start(server);
        SorterSimulator sorter = SortationDemo.startSorter(broker.url(), parcels, picking::nextPickedParcel,
                Double.parseDouble(System.getProperty("wareedge.sim.sorter-rate", "5")));
        FaultDemo faults = FaultDemo.start(faultSettings, agentConfig, plc, plcSettings, simulator);
        return new Warehouse(broker, server, agent, simulator, sorter, picking, plc, faults);
    }

    public ControlServer server() {
        return server;
    }

    public EdgeAgent agent() {
        return agent;
    }

    public EmbeddedMqttBroker broker() {
        return broker;
    }

    public DeviceSimulator simulator() {
        return simulator;
    }

    public SorterSimulator sorter() {
        return sorter;
    }

    public ConveyorPlcSimulator plc() {
        return plc;
    }

    /** Injects faults into the simulated devices (the PLC's segments and line, the MQTT devices) by name. */
    public FaultInjector faults() {
        return faults.injector();
    }

    /** Base URL of the fault injection API (it lives under {@code /faults}). */
    public URI faultApiUrl() {
        return faults.api().url();
    }

    /** Tasks picked by the simulated pickers so far. */
    public long tasksPicked() {
        return picking.pickers().stats().tasksDone();
    }

    @Override
    public void close() {
        // every part, even when one fails to stop: a stuck simulator must not leave the database running
        try {
            Closing.all(faults, picking, sorter, simulator, agent, plc, server, broker);
        } catch (Exception e) {
            throw new IllegalStateException("stopping the warehouse: " + e.getMessage(), e);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        // Several jars on the classpath ship a logback.xml; naming ours keeps logback from guessing (and saying so).
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "wareedge-logback.xml");
        }
        Path var = Path.of(System.getProperty("wareedge.var", "var")).toAbsolutePath();
        int mqttPort = portOr(Integer.getInteger("wareedge.mqtt.port", 1883));
        int httpPort = portOr(Integer.getInteger("wareedge.http.port", 8080));
        String password = System.getProperty("wareedge.admin.password", "warehouse");
        Warehouse warehouse = start(var, mqttPort, httpPort, password);
        String base = warehouse.server.url().toString().replaceAll("/$", "");
        System.out.printf("""

                ==============================================================
                 WareEdge warehouse is running (Ctrl-C stops it cleanly)
                --------------------------------------------------------------
                 Devices, live:  %s/api/devices
                 Edge nodes:     %s/api/edge-nodes
                 Ingest health:  %s/api/ingest/health
                 Sorter stats:   %s/api/sites/dc-north/sorters/sorter-1/stats
                 An order:       %s/api/orders/SO-000042
                 Handheld page:  %s/handheld/  (badge %s or %s, PIN %s; scan = type + Enter)
                 Picking stats:  %s/api/sites/dc-north/picking/stats
                 Pick zones:     %s/api/sites/dc-north/zones
                 Alert board:    %s/alerts/
                 Dashboard:      %s/dashboard  (throughput, picking, cycle time, devices, orders at risk)
                 KPIs (CSV):     %s/api/sites/dc-north/kpis/sortation?bucket=hour&format=csv
                 Fault injection: %s/faults  (POST {"device":"conveyor-2","kind":"jam","duration":"30s"})
                 API document:   %s/swagger/wareedge-control-server-0.1.yml
                 Health:         %s/health
                 Login:          user %s, password %s  (HTTP Basic, or POST %s/login)
                 MQTT broker:    %s  (Sparkplug B on spBv1.0/#)
                 Conveyor PLC:   %s  (OPC UA, security None or Basic256Sha256)
                 State:          %s
                ==============================================================
                %n""", base, base, base, base, base, base, PickingDemo.FOR_PEOPLE.get(0), PickingDemo.FOR_PEOPLE.get(1),
                PickingDemo.PIN, base, base, base, base, base, warehouse.faultApiUrl(), base, base, warehouse.server.adminUser(),
                warehouse.server.adminPassword(), base, warehouse.broker.url(), warehouse.plc.endpointUrl(), var);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the warehouse…");
            warehouse.close();
            stopped.countDown();
        }, "warehouse-shutdown"));
        stopped.await();
    }

    /**
     * {@code -Dwareedge.sim.time-factor=10} runs the simulated devices ten times faster;
     * {@code -Dwareedge.sim.malformed-share=0.05} makes 5 % of their messages malformed (to watch dead letters).
     */
    static DeviceSimulator.SimulationSettings simulationSettings() {
        String factor = System.getProperty("wareedge.sim.time-factor", "1");
        String malformed = System.getProperty("wareedge.sim.malformed-share", "0");
        try {
            return new DeviceSimulator.SimulationSettings(Double.parseDouble(factor), Double.parseDouble(malformed), 42);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("wareedge.sim.time-factor and wareedge.sim.malformed-share must be numbers (got "
                    + factor + ", " + malformed + ")", e);
        }
    }

    /** The wanted port when it is free, otherwise any free one (a second run, or another broker, may hold it). */
    private static int portOr(int wanted) {
        try (ServerSocket s = new ServerSocket(wanted, 1, InetAddress.getLoopbackAddress())) {
            return wanted;
        } catch (IOException busy) {
            return FreePorts.pick();
        }
    }

    static String resource(String name) {
        try (InputStream in = Warehouse.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
