package io.wareedge.server.registry;

import io.wareedge.sparkplug.EdgeNodeId;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a batch of messages changed, in arrival order: written to storage in one transaction, then the batch's
 * messages are acknowledged. Not thread-safe: built by the ingest thread, then handed to the store thread.
 */
public final class ChangeSet {
    private final List<NodeChange> nodeChanges = new ArrayList<>();
    private final List<DeviceChange> deviceChanges = new ArrayList<>();
    private final List<Sample> samples = new ArrayList<>();
    private final List<io.wareedge.server.sortation.ReportedSortEvent> sortEvents = new ArrayList<>();
    private final List<EdgeEvent> edgeEvents = new ArrayList<>();
    private final Set<EdgeNodeId> rebirthRequests = new LinkedHashSet<>();
    private int seqGaps;
    private int staleDeaths;
    private int redeliveries;

    void add(NodeChange change) {
        nodeChanges.add(change);
    }

    void add(DeviceChange change) {
        deviceChanges.add(change);
    }

    void add(Sample sample) {
        samples.add(sample);
    }

    public void add(io.wareedge.server.sortation.ReportedSortEvent event) {
        sortEvents.add(event);
    }

    public void add(EdgeEvent event) {
        edgeEvents.add(event);
    }

    public List<EdgeEvent> edgeEvents() {
        return Collections.unmodifiableList(edgeEvents);
    }

    public List<io.wareedge.server.sortation.ReportedSortEvent> sortEvents() {
        return Collections.unmodifiableList(sortEvents);
    }

    void requestRebirth(EdgeNodeId node) {
        rebirthRequests.add(node);
    }

    void countSeqGap() {
        seqGaps++;
    }

    void countStaleDeath() {
        staleDeaths++;
    }

    void countRedelivery() {
        redeliveries++;
    }

    public List<NodeChange> nodeChanges() {
        return Collections.unmodifiableList(nodeChanges);
    }

    public List<DeviceChange> deviceChanges() {
        return Collections.unmodifiableList(deviceChanges);
    }

    public List<Sample> samples() {
        return Collections.unmodifiableList(samples);
    }

    /** Edge nodes to send a {@code Node Control/Rebirth} NCMD, already limited to one per node per interval. */
    public Set<EdgeNodeId> rebirthRequests() {
        return Collections.unmodifiableSet(rebirthRequests);
    }

    /** Sequence gaps, including data from nodes or devices that were never born in this host's view. */
    public int seqGaps() {
        return seqGaps;
    }

    /** NDEATHs whose bdSeq belonged to an earlier session of the node, and so were ignored. */
    public int staleDeaths() {
        return staleDeaths;
    }

    /** Messages repeating the previous seq: a broker redelivery, processed idempotently and not a gap. */
    public int redeliveries() {
        return redeliveries;
    }

    public boolean isEmpty() {
        return nodeChanges.isEmpty() && deviceChanges.isEmpty() && samples.isEmpty() && rebirthRequests.isEmpty();
    }

    public void clear() {
        nodeChanges.clear();
        deviceChanges.clear();
        samples.clear();
        sortEvents.clear();
        edgeEvents.clear();
        rebirthRequests.clear();
        seqGaps = 0;
        staleDeaths = 0;
        redeliveries = 0;
    }
}
