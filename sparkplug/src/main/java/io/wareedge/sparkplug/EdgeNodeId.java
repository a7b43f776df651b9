package io.wareedge.sparkplug;

/** Identity of an edge node: its group and its node id. */
public record EdgeNodeId(String groupId, String edgeNodeId) {
    @Override
    public String toString() {
        return groupId + "/" + edgeNodeId;
    }
}
