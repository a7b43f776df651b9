package io.wareedge.edge.sortation;

/** Where divert commands go: the device broker the sorter is connected to. */
@FunctionalInterface
public interface DivertSender {
    /**
     * Publishes without waiting; the caller is the thread that read the induction and must not block on the broker.
     *
     * @return false when the command could not be handed to the broker (not connected)
     */
    boolean send(String topic, byte[] payload, int qos);
}
