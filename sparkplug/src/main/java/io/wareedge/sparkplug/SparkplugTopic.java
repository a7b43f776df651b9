package io.wareedge.sparkplug;

import java.util.Objects;

/**
 * A parsed Sparkplug B topic: {@code spBv1.0/<group>/<type>/<edge node>[/<device>]}, or
 * {@code spBv1.0/STATE/<host id>} for a host application's state.
 */
public record SparkplugTopic(String groupId, MessageType type, String edgeNodeId, String deviceId, String hostId) {

    public static final String NAMESPACE = "spBv1.0";

    public SparkplugTopic {
        Objects.requireNonNull(type, "type");
        if (type == MessageType.STATE) {
            requireId(hostId, "host id");
        } else {
            requireId(groupId, "group id");
            requireId(edgeNodeId, "edge node id");
            if (type.isDeviceLevel()) {
                requireId(deviceId, "device id");
            } else if (deviceId != null) {
                throw new IllegalArgumentException(type + " takes no device id");
            }
        }
    }

    public static SparkplugTopic node(String groupId, MessageType type, String edgeNodeId) {
        return new SparkplugTopic(groupId, type, edgeNodeId, null, null);
    }

    public static SparkplugTopic device(String groupId, MessageType type, String edgeNodeId, String deviceId) {
        return new SparkplugTopic(groupId, type, edgeNodeId, deviceId, null);
    }

    public static SparkplugTopic state(String hostId) {
        return new SparkplugTopic(null, MessageType.STATE, null, null, hostId);
    }

    /**
     * Parses a topic.
     *
     * @throws IllegalArgumentException when the topic is not a Sparkplug B topic, with the reason
     */
    public static SparkplugTopic parse(String topic) {
        String[] levels = topic.split("/", -1);
        if (levels.length < 3 || !NAMESPACE.equals(levels[0])) {
            throw new IllegalArgumentException("not a Sparkplug B topic: " + topic);
        }
        if ("STATE".equals(levels[1])) {
            if (levels.length != 3) {
                throw new IllegalArgumentException("STATE topic must be spBv1.0/STATE/<host id>: " + topic);
            }
            return state(levels[2]);
        }
        if (levels.length < 4 || levels.length > 5) {
            throw new IllegalArgumentException("wrong number of topic levels: " + topic);
        }
        MessageType type;
        try {
            type = MessageType.valueOf(levels[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown message type '" + levels[2] + "': " + topic);
        }
        if (type == MessageType.STATE) {
            throw new IllegalArgumentException("STATE belongs at spBv1.0/STATE/<host id>: " + topic);
        }
        if (type.isDeviceLevel() != (levels.length == 5)) {
            throw new IllegalArgumentException(type + (type.isDeviceLevel() ? " needs" : " takes no") + " device id: " + topic);
        }
        return new SparkplugTopic(levels[1], type, levels[3], levels.length == 5 ? levels[4] : null, null);
    }

    /** The edge node this topic belongs to; null for STATE. */
    public EdgeNodeId edgeNode() {
        return type == MessageType.STATE ? null : new EdgeNodeId(groupId, edgeNodeId);
    }

    @Override
    public String toString() {
        if (type == MessageType.STATE) {
            return NAMESPACE + "/STATE/" + hostId;
        }
        String base = NAMESPACE + "/" + groupId + "/" + type + "/" + edgeNodeId;
        return deviceId == null ? base : base + "/" + deviceId;
    }

    private static void requireId(String id, String what) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '/' || c == '+' || c == '#') {
                throw new IllegalArgumentException(what + " '" + id + "' contains '" + c + "'");
            }
        }
    }
}
