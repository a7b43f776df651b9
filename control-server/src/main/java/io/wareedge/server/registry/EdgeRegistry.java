package io.wareedge.server.registry;

import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.EdgeNodeId;
import io.wareedge.sparkplug.Metric;
import io.wareedge.sparkplug.NodeControl;
import io.wareedge.sparkplug.Payload;
import io.wareedge.sparkplug.SequenceNumbers;
import io.wareedge.sparkplug.SparkplugTopic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Sparkplug B 3.0 host's view of its edge nodes: which node session is current (bdSeq), which devices are
 * born, what seq comes next, metric definitions and aliases. Turns each message into {@link ChangeSet} entries and
 * decides when to ask a node for a rebirth.
 *
 * <p>Confined to the ingest thread: not thread-safe, except {@link #onlineNodes()} which any thread may read.
 * Last values and readings live in storage, so several host instances behind a shared subscription agree on them.
 */
public final class EdgeRegistry {

    /** Device id under which an edge node's own metrics (NBIRTH/NDATA) are kept. */
    public static final String NODE_LEVEL = "";
    /** String metric in a DBIRTH naming the device profile the agent reads the device with. */
    public static final String DEVICE_PROFILE = "Device/Profile";
    /** String metric in a DBIRTH naming the kind of device (rfid-reader, sorter, ...). */
    public static final String DEVICE_KIND = "Device/Kind";
    /** String metric in a DBIRTH naming the warehouse area (line, zone) the device belongs to. */
    public static final String DEVICE_AREA = "Device/Area";

    private final long rebirthIntervalMillis;
    private final Map<EdgeNodeId, NodeSession> nodes = new HashMap<>();
    private final Map<EdgeNodeId, Long> lastRebirthRequest = new HashMap<>();
    private volatile int onlineNodes;

    /** @param rebirthInterval at most one rebirth request per node within this interval */
    public EdgeRegistry(Duration rebirthInterval) {
        this.rebirthIntervalMillis = rebirthInterval.toMillis();
    }

    /** Nodes with a current session in this host's view. */
    public int onlineNodes() {
        return onlineNodes;
    }

    /**
     * Applies one decoded message.
     *
     * @param receivedAt epoch milliseconds the host received it; used when the payload carries no timestamp
     * @return parts of the message that could not be used (the caller dead-letters the message for each); usually empty
     */
    public List<Problem> apply(SparkplugTopic topic, Payload payload, long receivedAt, ChangeSet changes) {
        EdgeNodeId id = topic.edgeNode();
        long at = payload.timestamp() > 0 ? payload.timestamp() : receivedAt;
        List<Problem> problems = new ArrayList<>(0);
        switch (topic.type()) {
            case NBIRTH -> nodeBirth(id, payload, at, receivedAt, changes, problems);
            case NDEATH -> nodeDeath(id, payload, at, changes, problems);
            case DBIRTH -> deviceBirth(id, topic.deviceId(), payload, at, receivedAt, changes, problems);
            case DDEATH -> deviceDeath(id, topic.deviceId(), payload, at, receivedAt, changes);
            case NDATA -> data(id, NODE_LEVEL, payload, at, receivedAt, changes, problems);
            case DDATA -> data(id, topic.deviceId(), payload, at, receivedAt, changes, problems);
            case NCMD, DCMD, STATE -> {
                // Commands and other hosts' STATE are not telemetry: nothing to record.
            }
        }
        return problems;
    }

    private void nodeBirth(EdgeNodeId id, Payload payload, long at, long now, ChangeSet changes, List<Problem> problems) {
        Metric bd = payload.metric(NodeControl.BD_SEQ);
        if (bd == null || !(bd.value() instanceof Long bdSeq)) {
            problems.add(new Problem("NBIRTH_WITHOUT_BDSEQ", "NBIRTH of " + id + " carries no Int64 bdSeq metric"));
            return;
        }
        NodeSession previous = nodes.get(id);
        if (previous != null) {
            // A new session: devices of the old one are offline until their DBIRTH follows.
            endDevices(id, previous, at, changes);
        }
        NodeSession session = new NodeSession(bdSeq, payload.seq() < 0 ? 0 : payload.seq());
        nodes.put(id, session);
        updateOnlineCount();
        changes.add(new NodeChange(id, true, bdSeq, at));
        for (Metric m : payload.metrics()) {
            if (m.name() != null && m.alias() != 0) {
                session.aliases.put(m.alias(), m.name());
            }
            if (m.name() == null || NodeControl.BD_SEQ.equals(m.name()) || m.name().startsWith("Node Control/")) {
                continue;
            }
            if (m.type() == DataType.UNSUPPORTED) {
                problems.add(unsupported(id, NODE_LEVEL, m.name()));
                continue;
            }
            String unit = unitOf(m);
            session.nodeMetrics.put(m.name(), new MetricDefinition(m.type(), unit));
            changes.add(sample(id, NODE_LEVEL, m.name(), m, unit, at));
        }
    }

    private void nodeDeath(EdgeNodeId id, Payload payload, long at, ChangeSet changes, List<Problem> problems) {
        Metric bd = payload.metric(NodeControl.BD_SEQ);
        NodeSession session = nodes.get(id);
        if (bd == null || !(bd.value() instanceof Long bdSeq)) {
            problems.add(new Problem("NDEATH_WITHOUT_BDSEQ", "NDEATH of " + id + " carries no Int64 bdSeq metric"));
            return;
        }
        if (session == null || !session.online || session.bdSeq != bdSeq) {
            // The will of an earlier connection, delivered after the node already came back: not about this session.
            changes.countStaleDeath();
            return;
        }
        session.online = false;
        updateOnlineCount();
        endDevices(id, session, at, changes);
        changes.add(new NodeChange(id, false, bdSeq, at));
    }

    private void deviceBirth(EdgeNodeId id, String device, Payload payload, long at, long now, ChangeSet changes,
                             List<Problem> problems) {
        NodeSession session = sequenced(id, payload, now, changes);
        if (session == null) {
            return;
        }
        DeviceSession d = new DeviceSession();
        session.devices.put(device, d);
        String profile = null;
        String kind = null;
        String area = null;
        List<Sample> samples = new ArrayList<>();
        for (Metric m : payload.metrics()) {
            if (m.name() == null) {
                problems.add(new Problem("UNNAMED_BIRTH_METRIC", "DBIRTH of " + id + "/" + device + " has a metric without a name"));
                continue;
            }
            if (m.alias() != 0) {
                session.aliases.put(m.alias(), m.name());
            }
            if (DEVICE_PROFILE.equals(m.name())) {
                profile = m.value() == null ? null : m.value().toString();
                continue;
            }
            if (DEVICE_KIND.equals(m.name())) {
                kind = m.value() == null ? null : m.value().toString();
                continue;
            }
            if (DEVICE_AREA.equals(m.name())) {
                area = m.value() == null ? null : m.value().toString();
                continue;
            }
            if (m.type() == DataType.UNSUPPORTED) {
                problems.add(unsupported(id, device, m.name()));
                continue;
            }
            String unit = unitOf(m);
            d.metrics.put(m.name(), new MetricDefinition(m.type(), unit));
            samples.add(sample(id, device, m.name(), m, unit, at));
        }
        changes.add(new DeviceChange(id, device, DeviceChange.Event.BIRTH, profile, kind, area, at));
        samples.forEach(changes::add);
    }

    private void deviceDeath(EdgeNodeId id, String device, Payload payload, long at, long now, ChangeSet changes) {
        NodeSession session = sequenced(id, payload, now, changes);
        if (session == null) {
            return;
        }
        DeviceSession d = session.devices.get(device);
        if (d != null && d.online) {
            d.online = false;
        }
        // Recorded even for a device this host never saw born: storage may still show it online from before a restart.
        changes.add(new DeviceChange(id, device, DeviceChange.Event.DEATH, null, null, null, at));
    }

    private void data(EdgeNodeId id, String device, Payload payload, long at, long now, ChangeSet changes,
                      List<Problem> problems) {
        NodeSession session = sequenced(id, payload, now, changes);
        Map<String, MetricDefinition> definitions = null;
        if (session != null) {
            if (NODE_LEVEL.equals(device)) {
                definitions = session.nodeMetrics;
                // The node is heard: while it talks it vouches for its devices (Sparkplug: a device is online until
                // its DDEATH), so a device that reports by exception and has nothing to say is not stale.
                changes.add(new DeviceChange(id, NODE_LEVEL, DeviceChange.Event.SEEN, null, null, null, now));
            } else {
                DeviceSession d = session.devices.get(device);
                if (d == null || !d.online) {
                    // Data from a device that was never born in this session: its definitions are unknown.
                    changes.countSeqGap();
                    requestRebirth(id, now, changes);
                } else {
                    definitions = d.metrics;
                    changes.add(new DeviceChange(id, device, DeviceChange.Event.SEEN, null, null, null, now));
                }
            }
        }
        // Readings are kept even when the session is unknown: they carry their own type and identity, and dropping
        // them would lose data the node will not resend after the rebirth.
        for (Metric m : payload.metrics()) {
            String name = m.name();
            if (name == null) {
                name = session == null ? null : session.aliases.get(m.alias());
                if (name == null) {
                    problems.add(new Problem("UNKNOWN_ALIAS", "alias " + m.alias() + " of " + id + " was not in a birth"));
                    requestRebirth(id, now, changes);
                    continue;
                }
            }
            if (m.type() == DataType.UNSUPPORTED) {
                problems.add(unsupported(id, device, name));
                continue;
            }
            MetricDefinition def = definitions == null ? null : definitions.get(name);
            String unit = def == null ? unitOf(m) : def.unit();
            changes.add(sample(id, device, name, m, unit, at));
        }
    }

    /** Checks the seq of a sequenced message; returns the node's current session, or null when it has none. */
    private NodeSession sequenced(EdgeNodeId id, Payload payload, long now, ChangeSet changes) {
        NodeSession session = nodes.get(id);
        if (session == null || !session.online) {
            // Data from a node never born in this host's view (for example the host started after the birth).
            changes.countSeqGap();
            requestRebirth(id, now, changes);
            return null;
        }
        long seq = payload.seq();
        if (seq >= 0 && seq == session.lastSeq) {
            changes.countRedelivery();
            return session;
        }
        if (seq < 0 || !SequenceNumbers.follows(session.lastSeq, seq)) {
            changes.countSeqGap();
            requestRebirth(id, now, changes);
        }
        if (seq >= 0) {
            // Resynchronise, so one lost message counts as one gap rather than every message after it.
            session.lastSeq = seq;
        }
        return session;
    }

    private void requestRebirth(EdgeNodeId id, long now, ChangeSet changes) {
        Long last = lastRebirthRequest.get(id);
        if (last == null || now - last >= rebirthIntervalMillis) {
            lastRebirthRequest.put(id, now);
            changes.requestRebirth(id);
        }
    }

    private void endDevices(EdgeNodeId id, NodeSession session, long at, ChangeSet changes) {
        session.devices.forEach((name, d) -> {
            if (d.online) {
                d.online = false;
                changes.add(new DeviceChange(id, name, DeviceChange.Event.DEATH, null, null, null, at));
            }
        });
    }

    private void updateOnlineCount() {
        onlineNodes = (int) nodes.values().stream().filter(s -> s.online).count();
    }

    private static Sample sample(EdgeNodeId id, String device, String name, Metric m, String unit, long messageTime) {
        long ts = m.timestamp() != 0 ? m.timestamp() : messageTime;
        return new Sample(id, device, name, m.type(), unit, ts, m.value(), m.quality(), m.readingId(), m.historical());
    }

    private static String unitOf(Metric m) {
        Object unit = m.properties().get(Metric.ENG_UNIT);
        return unit == null ? null : unit.toString();
    }

    private static Problem unsupported(EdgeNodeId id, String device, String name) {
        return new Problem("UNSUPPORTED_METRIC_TYPE", "metric '" + name + "' of " + id
                + (device.isEmpty() ? "" : "/" + device) + " has a data type this host does not support");
    }

    private record MetricDefinition(DataType type, String unit) {
    }

    private static final class NodeSession {
        final long bdSeq;
        long lastSeq;
        boolean online = true;
        final Map<Long, String> aliases = new HashMap<>();
        final Map<String, MetricDefinition> nodeMetrics = new HashMap<>();
        final Map<String, DeviceSession> devices = new HashMap<>();

        NodeSession(long bdSeq, long birthSeq) {
            this.bdSeq = bdSeq;
            this.lastSeq = birthSeq;
        }
    }

    private static final class DeviceSession {
        boolean online = true;
        final Map<String, MetricDefinition> metrics = new HashMap<>();
    }
}
