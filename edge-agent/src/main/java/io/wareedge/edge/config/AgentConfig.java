package io.wareedge.edge.config;

import io.wareedge.edge.outbox.OutboxSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The edge agent's whole configuration, validated at start by {@link AgentConfigLoader}.
 *
 * @param site        the Sparkplug group id (one per site or area)
 * @param agentId     the Sparkplug edge node id of this gateway
 * @param dataDir     local state: the outbox, the birth/death counter
 * @param profileDirs extra directories of device profiles, besides the bundled ones
 */
public record AgentConfig(String site, String agentId, Path dataDir, Uplink uplink, OutboxSettings outbox,
                          List<Path> profileDirs, List<DeviceBroker> deviceBrokers, List<OpcUaServer> opcuaServers,
                          List<Device> devices, List<io.wareedge.edge.rules.Interlock> interlocks,
                          StackLight stackLight) {

    public AgentConfig {
        profileDirs = List.copyOf(profileDirs);
        deviceBrokers = List.copyOf(deviceBrokers);
        opcuaServers = List.copyOf(opcuaServers);
        devices = List.copyOf(devices);
        interlocks = List.copyOf(interlocks);
    }

    /**
     * The MQTT connection to the control plane.
     *
     * @param primaryHostId when set, births and data wait until this Sparkplug host application's STATE is online
     *                      (data keeps queueing in the outbox meanwhile)
     * @param dataQos       QoS of DDATA/NDATA. Sparkplug asks for 0; the default 1 lets the outbox learn what the
     *                      broker took, which is how nothing gets lost
     * @param maxSamplesPerMessage how many samples one DDATA may carry
     * @param dataWindow    how long telemetry may wait in the outbox so that one DDATA carries several samples of a
     *                      device (zero: publish what is there at once)
     * @param statsInterval how often the agent publishes its own counters as NDATA
     */
    public record Uplink(String url, String clientId, String primaryHostId, int dataQos, int maxSamplesPerMessage,
                         Duration dataWindow, Duration keepAlive, Duration initialBackoff, Duration maxBackoff, Duration statsInterval) {
    }

    /** A broker the devices publish to (often a broker on the gateway itself). */
    public record DeviceBroker(String name, String url, String clientId, Duration sessionExpiry) {
    }

    /**
     * An OPC UA server the devices are read from (a PLC).
     *
     * @param endpoint           {@code opc.tcp://host:port/path}
     * @param publishingInterval how often the server sends the changes of one subscription
     * @param requestTimeout     a read, write or connect without an answer within this fails
     */
    public record OpcUaServer(String name, String endpoint, OpcUaSecurity security, Duration publishingInterval,
                              Duration requestTimeout) {
    }

    /**
     * One device this agent serves: over MQTT through {@code broker}, or over OPC UA from {@code server}.
     *
     * @param address values for the profile's topic and node-id templates, for example {@code device: fx-01}
     * @param area    the warehouse area the device belongs to (a line, a zone), for the server's alert floods and
     *                filters; null when not given (the server then uses the agent's id)
     */
    public record Device(String name, String profile, String broker, String server, boolean gpio,
                         Map<String, String> address, String area) {
        public Device {
            address = Map.copyOf(address);
        }

        public boolean isOpcUa() {
            return server != null;
        }

        /** Wired to this gateway's own GPIO pins. */
        public boolean isGpio() {
            return gpio;
        }
    }

    /**
     * The three-colour stack light that shows the worst condition of this agent's devices.
     *
     * @param device a GPIO device whose profile has outputs red, yellow, green (and optionally buzzer)
     */
    public record StackLight(String device) {
    }
}
