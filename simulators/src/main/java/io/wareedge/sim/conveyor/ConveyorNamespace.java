package io.wareedge.sim.conveyor;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The PLC's address space: {@code ns=2;s=Line<l>.EStop} and, per segment, {@code ns=2;s=Line<l>.Seg<s>.<Tag>}, the
 * shape the {@code conveyor-plc-opcua} profile reads. Tags are plain variables whose values the simulation sets;
 * {@code RunCmd} and {@code SpeedSetpoint} are writable by clients.
 */
final class ConveyorNamespace extends ManagedNamespaceWithLifecycle {
    static final String URI = "urn:wareedge:sim:conveyor-plc";

    /** Tag name → OPC UA data type, writable or not. */
    record Tag(String name, NodeId type, boolean writable, Object initial) {
    }

    static final List<Tag> SEGMENT_TAGS = List.of(
            new Tag("Running", NodeIds.Boolean, false, false),
            new Tag("Speed", NodeIds.Float, false, 0f),
            new Tag("MotorCurrent", NodeIds.Float, false, 0f),
            new Tag("MotorTemp", NodeIds.Float, false, 25f),
            new Tag("ItemCount", NodeIds.UInt32, false, org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint(0)),
            new Tag("Jam", NodeIds.Boolean, false, false),
            new Tag("FaultCode", NodeIds.Int16, false, (short) 0),
            new Tag("SpeedSetpoint", NodeIds.Float, true, 1.2f),
            new Tag("RunCmd", NodeIds.Boolean, true, true));

    private final SubscriptionModel subscriptions;
    private final int line;
    private final int segments;
    private final Map<String, UaVariableNode> nodes = new ConcurrentHashMap<>();

    ConveyorNamespace(OpcUaServer server, int line, int segments) {
        super(server, URI);
        this.line = line;
        this.segments = segments;
        this.subscriptions = new SubscriptionModel(server, this);
        getLifecycleManager().addLifecycle(subscriptions);
        getLifecycleManager().addStartupTask(this::addNodes);
    }

    private void addNodes() {
        String lineName = "Line" + line;
        UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId(lineName), newQualifiedName(lineName),
                LocalizedText.english(lineName));
        getNodeManager().addNode(folder);
        folder.addReference(new org.eclipse.milo.opcua.sdk.core.Reference(folder.getNodeId(), NodeIds.Organizes,
                NodeIds.ObjectsFolder.expanded(), false));
        addVariable(folder, lineName + ".EStop", "EStop", NodeIds.Boolean, false, false);
        for (int s = 1; s <= segments; s++) {
            for (Tag t : SEGMENT_TAGS) {
                addVariable(folder, lineName + ".Seg" + s + "." + t.name(), "Seg" + s + "." + t.name(), t.type(),
                        t.writable(), t.initial());
            }
        }
    }

    private void addVariable(UaFolderNode folder, String id, String browseName, NodeId type, boolean writable,
                             Object initial) {
        UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                .setNodeId(newNodeId(id))
                .setAccessLevel(writable ? AccessLevel.READ_WRITE : AccessLevel.READ_ONLY)
                .setUserAccessLevel(writable ? AccessLevel.READ_WRITE : AccessLevel.READ_ONLY)
                .setBrowseName(newQualifiedName(browseName))
                .setDisplayName(LocalizedText.english(browseName))
                .setDataType(type)
                .setTypeDefinition(NodeIds.BaseDataVariableType)
                .build();
        node.setValue(new DataValue(new Variant(initial)));
        getNodeManager().addNode(node);
        folder.addOrganizes(node);
        nodes.put(id, node);
    }

    /** The node of {@code Line<l>.<path>}, for example {@code Seg2.Jam} or {@code EStop}. */
    UaVariableNode node(String path) {
        UaVariableNode n = nodes.get("Line" + line + "." + path);
        if (n == null) {
            throw new IllegalArgumentException("no tag Line" + line + "." + path);
        }
        return n;
    }

    boolean ready() {
        return nodes.size() == 1 + segments * SEGMENT_TAGS.size();
    }

    @Override
    public void onDataItemsCreated(List<DataItem> dataItems) {
        subscriptions.onDataItemsCreated(dataItems);
    }

    @Override
    public void onDataItemsModified(List<DataItem> dataItems) {
        subscriptions.onDataItemsModified(dataItems);
    }

    @Override
    public void onDataItemsDeleted(List<DataItem> dataItems) {
        subscriptions.onDataItemsDeleted(dataItems);
    }

    @Override
    public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
        subscriptions.onMonitoringModeChanged(monitoredItems);
    }
}
