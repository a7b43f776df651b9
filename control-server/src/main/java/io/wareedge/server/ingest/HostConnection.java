package io.wareedge.server.ingest;

import io.wareedge.sparkplug.EdgeNodeId;

/** What the ingest thread needs from the MQTT connection. */
interface HostConnection {

    /** Sends the QoS 1/2 acknowledgement of a message whose effects are stored. */
    void acknowledge(InboundMessage message);

    /** Publishes an NCMD with {@code Node Control/Rebirth = true} to the node. */
    void requestRebirth(EdgeNodeId node);
}
