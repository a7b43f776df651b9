package io.wareedge.profiles;

import java.util.List;

/** A command carried out as OPC UA writes, in order. */
public record OpcUaCommandTarget(List<OpcUaWrite> writes) {
    public OpcUaCommandTarget {
        writes = writes == null ? List.of() : List.copyOf(writes);
        if (writes.isEmpty()) {
            throw new IllegalArgumentException("an opcua command target needs at least one write");
        }
    }
}
