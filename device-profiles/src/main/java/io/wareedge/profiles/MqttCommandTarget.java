package io.wareedge.profiles;

/**
 * A command sent as an MQTT message: a JSON object with the parameters as fields, published to the expanded topic.
 */
public record MqttCommandTarget(TopicTemplate topic, int qos, boolean retained) {
    public MqttCommandTarget {
        Checks.notNull("command topic", topic);
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2, got " + qos);
        }
    }
}
