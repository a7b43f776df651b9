package io.wareedge.profiles;

import java.util.Map;
import java.util.Optional;

/**
 * One OPC UA write of a command: the value is either a command parameter or a constant (Boolean, Long, Double or
 * String as written in YAML).
 */
public record OpcUaWrite(String nodeIdTemplate, Optional<String> parameter, Optional<Object> constant) {
    public OpcUaWrite {
        NodeIds.requireTemplate(nodeIdTemplate);
        parameter = parameter == null ? Optional.empty() : parameter;
        constant = constant == null ? Optional.empty() : constant;
        if (parameter.isPresent() == constant.isPresent()) {
            throw new IllegalArgumentException("an OPC UA write needs exactly one of parameter or value");
        }
    }

    /** The concrete node id; throws IllegalArgumentException naming a missing variable. */
    public String nodeId(Map<String, String> vars) {
        return NodeIds.expand(nodeIdTemplate, vars);
    }
}
