package io.wareedge.warehouse;

import io.wareedge.edge.config.AgentConfig;
import io.wareedge.profiles.Durations;
import io.wareedge.sim.DeviceSimulator;
import io.wareedge.sim.conveyor.ConveyorPlcSimulator;
import io.wareedge.sim.faults.FaultApi;
import io.wareedge.sim.faults.FaultInjector;
import io.wareedge.sim.faults.FaultSchedule;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Faults in the one-process warehouse, so its alerts arrive and clear: an injector over the conveyor PLC (the
 * agent's devices on that line, by their names in agent.yaml) and the simulated MQTT devices, its HTTP API, and a
 * schedule injecting a random fault of 20 to 90 s every few minutes.
 *
 * <p>{@code -Dwareedge.sim.fault-port} (default 0: any free port) and {@code -Dwareedge.sim.fault-interval} (default
 * {@code 3m}; {@code 0} turns the schedule off) are checked at start; a bad value stops the warehouse with the key,
 * the rule and the value.
 */
final class FaultDemo implements AutoCloseable {
    static final String PORT_KEY = "wareedge.sim.fault-port";
    static final String INTERVAL_KEY = "wareedge.sim.fault-interval";
    static final Duration SHORTEST_FAULT = Duration.ofSeconds(20);
    static final Duration LONGEST_FAULT = Duration.ofSeconds(90);
    private static final long SEED = 42;

    private final FaultInjector injector;
    private final FaultApi api;
    private final Optional<FaultSchedule> schedule;

    private FaultDemo(FaultInjector injector, FaultApi api, Optional<FaultSchedule> schedule) {
        this.injector = injector;
        this.api = api;
        this.schedule = schedule;
    }

    /**
     * @param port     the API's port (0 = any free one)
     * @param interval time between scheduled faults; empty: no schedule
     */
    record Settings(int port, Optional<Duration> interval) {
        /** Read before anything starts, so a bad value stops the warehouse before it has started half of itself. */
        static Settings fromSystemProperties() {
            return new Settings(parsePort(System.getProperty(PORT_KEY, "0")),
                    parseInterval(System.getProperty(INTERVAL_KEY, "3m")));
        }
    }

    static FaultDemo start(Settings settings, AgentConfig agentConfig, ConveyorPlcSimulator plc,
                           ConveyorPlcSimulator.Settings plcSettings, DeviceSimulator simulator) {
        FaultInjector injector = new FaultInjector().addSimulatedDevices(simulator);
        String line = Integer.toString(plcSettings.line());
        Map<String, Integer> segments = new LinkedHashMap<>();
        for (AgentConfig.Device d : agentConfig.devices()) {
            // the agent reads this PLC's tags through the device's address; the same address names what to hurt
            if (!d.isOpcUa() || !line.equals(d.address().get("line"))) {
                continue;
            }
            String segment = d.address().get("segment");
            if (segment == null) {
                injector.addConveyorLine(plc, d.name());
            } else if (Integer.parseInt(segment) <= plcSettings.segments()) {
                segments.put(d.name(), Integer.parseInt(segment));
            }
        }
        injector.addConveyorSegments(plc, segments);
        FaultApi api = FaultApi.start(injector, settings.port());
        Optional<FaultSchedule> schedule = settings.interval().map(every -> new FaultSchedule(injector,
                new FaultSchedule.Settings(every, SHORTEST_FAULT, LONGEST_FAULT, SEED)));
        schedule.ifPresent(FaultSchedule::start);
        return new FaultDemo(injector, api, schedule);
    }

    FaultInjector injector() {
        return injector;
    }

    FaultApi api() {
        return api;
    }

    static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the rule
        }
        throw new IllegalArgumentException(PORT_KEY + " must be a port number within 0..65535 (0 = any free port), got '"
                + text + "'");
    }

    /** Empty when the schedule is off. */
    static Optional<Duration> parseInterval(String text) {
        if (text.trim().equals("0")) {
            return Optional.empty();
        }
        Duration every;
        try {
            every = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(INTERVAL_KEY + " must be a duration with a unit (e.g. 3m, 90s) or 0 to"
                    + " turn the fault schedule off, got '" + text + "': " + e.getMessage(), e);
        }
        return every.isZero() ? Optional.empty() : Optional.of(every);
    }

    @Override
    public void close() {
        schedule.ifPresent(FaultSchedule::close);
        api.close();
        // clears what is active while the simulators still run, so they stop healthy
        injector.close();
    }
}
