package io.wareedge.profiles;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A command a device model accepts, with its parameters and how it reaches the device. */
public record Command(String name, String description, List<CommandParameter> parameters,
                     Optional<MqttCommandTarget> mqtt, Optional<OpcUaCommandTarget> opcua,
                     Optional<GpioCommandTarget> gpio) {
    public Command {
        Checks.name("command", name);
        description = Checks.text(description);
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        mqtt = mqtt == null ? Optional.empty() : mqtt;
        opcua = opcua == null ? Optional.empty() : opcua;
        gpio = gpio == null ? Optional.empty() : gpio;
        Checks.unique("parameter", parameters, CommandParameter::name);
        if (mqtt.isEmpty() && opcua.isEmpty() && gpio.isEmpty()) {
            throw new IllegalArgumentException("command '" + name + "' needs a target: mqtt, opcua or gpio");
        }
        for (OpcUaWrite w : opcua.map(OpcUaCommandTarget::writes).orElse(List.of())) {
            if (w.parameter().isPresent() && find(parameters, w.parameter().get()).isEmpty()) {
                throw new IllegalArgumentException("command '" + name + "' writes unknown parameter '"
                        + w.parameter().get() + "'");
            }
        }
        if (gpio.isPresent()) {
            Optional<CommandParameter> p = find(parameters, gpio.get().parameter());
            if (p.isEmpty() || p.get().type() != ValueType.BOOLEAN) {
                throw new IllegalArgumentException("command '" + name + "': gpio parameter '"
                        + gpio.get().parameter() + "' must be a boolean parameter of the command");
            }
        }
    }

    public Optional<CommandParameter> parameter(String parameterName) {
        return find(parameters, parameterName);
    }

    private static Optional<CommandParameter> find(List<CommandParameter> parameters, String parameterName) {
        return parameters.stream().filter(p -> p.name().equals(parameterName)).findFirst();
    }

    /**
     * Validates arguments against the parameters: every parameter must be given, no unknown ones.
     *
     * @return normalized arguments in parameter order
     * @throws IllegalArgumentException saying what is wrong
     */
    public Map<String, Object> validateArguments(Map<String, ?> arguments) {
        for (String given : arguments.keySet()) {
            if (parameter(given).isEmpty()) {
                throw new IllegalArgumentException("command '" + name + "' has no parameter '" + given + "'");
            }
        }
        var normalized = new java.util.LinkedHashMap<String, Object>();
        for (CommandParameter p : parameters) {
            normalized.put(p.name(), p.validate(arguments.get(p.name())));
        }
        return java.util.Collections.unmodifiableMap(normalized);
    }

    /** Checks references into the profile's resources (gpio target must be an output). */
    void checkAgainst(Map<String, Resource> resources) {
        if (gpio.isPresent()) {
            Resource r = resources.get(gpio.get().resource());
            if (r == null) {
                throw new IllegalArgumentException("command '" + name + "' drives unknown resource '"
                        + gpio.get().resource() + "'; known: " + resources.keySet());
            }
            if (r.gpio().isEmpty() || r.gpio().get().direction() != Direction.OUTPUT) {
                throw new IllegalArgumentException("command '" + name + "' drives resource '" + r.name()
                        + "' which is not a gpio output");
            }
        }
    }
}
