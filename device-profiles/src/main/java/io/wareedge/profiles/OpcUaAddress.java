package io.wareedge.profiles;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Where a resource lives in an OPC UA server.
 *
 * @param nodeIdTemplate    node id in OPC UA string form with optional {var}s, e.g. {@code ns=2;s=Line{line}.Speed}
 * @param samplingInterval  requested sampling interval of the monitored item
 */
public record OpcUaAddress(String nodeIdTemplate, Duration samplingInterval) {
    public static final Duration DEFAULT_SAMPLING_INTERVAL = Duration.ofSeconds(1);

    public OpcUaAddress {
        NodeIds.requireTemplate(nodeIdTemplate);
        samplingInterval = samplingInterval == null ? DEFAULT_SAMPLING_INTERVAL : samplingInterval;
        if (samplingInterval.isNegative()) {
            throw new IllegalArgumentException("samplingInterval must not be negative");
        }
    }

    /** The concrete node id text; throws IllegalArgumentException naming a missing variable. */
    public String nodeId(Map<String, String> vars) {
        return NodeIds.expand(nodeIdTemplate, vars);
    }

    /** Variables of the template, e.g. line, segment. */
    public Set<String> variables() {
        return NodeIds.variables(nodeIdTemplate);
    }
}
