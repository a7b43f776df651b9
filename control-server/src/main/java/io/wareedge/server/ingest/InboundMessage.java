package io.wareedge.server.ingest;

import io.wareedge.sparkplug.EdgeNodeId;
import io.wareedge.sparkplug.SparkplugTopic;

/**
 * A message as the MQTT callback hands it to the ingest thread: routed by topic, not yet decoded.
 *
 * @param messageId  MQTT packet id, to acknowledge after the batch is stored (0 for QoS 0)
 * @param connection which connection delivered it; an ack for a message of an earlier connection is not sent
 *                   (the broker redelivers it on the new one, and storage dedupes it)
 */
record InboundMessage(String topic, Route route, byte[] payload, int messageId, int qos, long receivedAt,
                      long connection) {

    /** Where a topic leads. */
    sealed interface Route permits Sparkplug, AgentDeadLetter, AgentEvents, Unknown {
    }

    record Sparkplug(SparkplugTopic topic) implements Route {
    }

    /** {@code wareedge/<group>/<node>/deadletter}: an edge agent forwarding device input it could not decode. */
    record AgentDeadLetter(EdgeNodeId node) implements Route {
    }

    /** {@code wareedge/<group>/<node>/events/<kind>}: a batch of application events (sort decisions, results). */
    record AgentEvents(EdgeNodeId node, String kind) implements Route {
    }

    record Unknown(String reason) implements Route {
    }

    static Route route(String topic) {
        if (topic.startsWith("wareedge/")) {
            String[] levels = topic.split("/", -1);
            if (levels.length == 4 && "deadletter".equals(levels[3]) && !levels[1].isEmpty() && !levels[2].isEmpty()) {
                return new AgentDeadLetter(new EdgeNodeId(levels[1], levels[2]));
            }
            if (levels.length == 5 && "events".equals(levels[3]) && !levels[1].isEmpty() && !levels[2].isEmpty()
                    && !levels[4].isEmpty()) {
                return new AgentEvents(new EdgeNodeId(levels[1], levels[2]), levels[4]);
            }
            return new Unknown("not an agent topic wareedge/<group>/<node>/deadletter or .../events/<kind>: " + topic);
        }
        try {
            return new Sparkplug(SparkplugTopic.parse(topic));
        } catch (IllegalArgumentException e) {
            return new Unknown(e.getMessage());
        }
    }
}
