package io.wareedge.edge.uplink;

/**
 * Something that wants messages from the control plane on the uplink broker (sort plans, for example). The uplink
 * subscribes to its topics on every connection (QoS 1, retained messages delivered) and hands it what arrives.
 */
public interface ControlPlaneListener {
    /** Exact topics, no wildcards. */
    Iterable<String> topics();

    /**
     * Called on the uplink's callback thread; must not block for long.
     *
     * @return whether the topic was this listener's
     */
    boolean onMessage(String topic, byte[] payload);
}
