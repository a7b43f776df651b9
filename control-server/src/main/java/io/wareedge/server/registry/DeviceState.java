package io.wareedge.server.registry;

/** Live state of a device as reported to users. */
public enum DeviceState {
    /** Born in its node's current session and heard from recently. */
    ONLINE,
    /** Born, but silent for longer than {@code wareedge.registry.stale-after}. */
    STALE,
    /** Dead (DDEATH), or its node is dead, or never born. */
    OFFLINE
}
