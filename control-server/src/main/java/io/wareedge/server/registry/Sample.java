package io.wareedge.server.registry;

import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.EdgeNodeId;

/**
 * One metric value received from an edge node: becomes a stored reading and, unless an older historical value,
 * the metric's last value.
 *
 * @param device    the device id, or {@link EdgeRegistry#NODE_LEVEL} for the edge node's own metrics
 * @param unit      engineering unit from the birth certificate, null when none
 * @param timestamp epoch milliseconds of the value
 * @param value     Long, Double, Boolean, String, byte[] or null
 * @param readingId the agent's reading identity, -1 for foreign Sparkplug nodes that send none
 */
public record Sample(EdgeNodeId node, String device, String metric, DataType type, String unit, long timestamp,
                    Object value, int quality, long readingId, boolean historical) {
}
