package io.wareedge.server.registry;

import java.util.List;
import java.util.Optional;

/**
 * Port for reading the registry's stored state: what the REST API shows. Reads storage rather than one server's
 * memory, so every instance behind a shared subscription answers the same.
 */
public interface RegistryQueries {

    List<Views.EdgeNodeView> edgeNodes();

    Optional<Views.EdgeNodeDetail> edgeNode(String group, String node);

    /** Devices, optionally filtered (null = any). */
    List<Views.DeviceView> devices(DeviceState state, String group, String node);

    Optional<Views.DeviceDetail> device(String group, String node, String device);

    /** Newest first; {@code metric} null for all metrics of the device. Empty when the device is unknown. */
    List<Views.ReadingView> readings(String group, String node, String device, String metric, int limit);

    List<Views.DeadLetterView> deadLetters(int limit);

    long nodesOnline();

    /** Events edge agents reported of one kind (interlock), newest first; {@code site} null for every site. */
    List<EdgeEvent> edgeEvents(String site, String kind, int limit);
}
