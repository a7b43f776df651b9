package io.wareedge.edge.rules;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Where interlocks send commands: the driver of the device's protocol. */
public interface CommandPort {
    /**
     * Runs a command of a device's profile.
     *
     * @return completes with the device's answer (for OPC UA, the write status codes, e.g. "Good") or fails
     */
    CompletableFuture<String> send(String device, String command, Map<String, Object> parameters);
}
