package io.wareedge.edge.ingest;

import io.wareedge.edge.config.AgentConfig;
import io.wareedge.profiles.DeviceProfile;

/** A configured device together with the profile that describes its model. */
public record BoundDevice(AgentConfig.Device config, DeviceProfile profile) {
    public String name() {
        return config.name();
    }
}
