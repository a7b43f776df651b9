package io.wareedge.profiles;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One value a device model exposes (a tag read's EPC, a conveyor's speed, a lamp).
 *
 * <p>Decoding turns a raw value into the resource's value as {@code raw * scale + offset} (in the source unit),
 * converted to {@link #unit()}, typed, mapped through {@link #enumLabels()} and checked against min/max.
 *
 * @param enumLabels raw value as text → label; STRING resources only
 * @param required   whether a record of its MQTT stream lacking this field is a MISSING_REQUIRED problem
 */
public record Resource(String name, String description, ValueType type, Unit unit, double scale, double offset,
                       OptionalDouble min, OptionalDouble max, Map<String, String> enumLabels, Access access,
                       boolean required, Optional<MqttAddress> mqtt, Optional<OpcUaAddress> opcua,
                       Optional<GpioAddress> gpio, SimulationHints simulate) {

    public Resource {
        Checks.name("resource", name);
        description = Checks.text(description);
        Checks.notNull("type", type);
        unit = unit == null ? Unit.NONE : unit;
        min = min == null ? OptionalDouble.empty() : min;
        max = max == null ? OptionalDouble.empty() : max;
        enumLabels = enumLabels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(enumLabels));
        access = access == null ? Access.READ : access;
        mqtt = mqtt == null ? Optional.empty() : mqtt;
        opcua = opcua == null ? Optional.empty() : opcua;
        gpio = gpio == null ? Optional.empty() : gpio;
        simulate = simulate == null ? SimulationHints.NONE : simulate;

        if (!type.isNumeric()) {
            if (unit != Unit.NONE) {
                throw new InvalidField("unit", "resource '" + name + "' is " + type.yamlName()
                        + " and cannot have a unit (" + unit + ")");
            }
            if (scale != 1 || offset != 0) {
                throw new InvalidField("scale", "resource '" + name + "': scale/offset need a numeric type, not "
                        + type.yamlName());
            }
            if (min.isPresent() || max.isPresent()) {
                throw new InvalidField("min", "resource '" + name + "': min/max need a numeric type, not "
                        + type.yamlName());
            }
        }
        if (scale == 0 || !Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw new InvalidField("scale", "resource '" + name + "': scale must be a non-zero finite number and"
                    + " offset finite");
        }
        if (min.isPresent() && max.isPresent() && min.getAsDouble() > max.getAsDouble()) {
            throw new InvalidField("max", "resource '" + name + "': min " + min.getAsDouble()
                    + " is greater than max " + max.getAsDouble());
        }
        if (!enumLabels.isEmpty() && type != ValueType.STRING) {
            throw new InvalidField("enum", "resource '" + name + "': enum needs type string, not "
                    + type.yamlName() + " (raw values are matched as text)");
        }
        if (mqtt.isEmpty() && opcua.isEmpty() && gpio.isEmpty()) {
            throw new InvalidField("name", "resource '" + name + "' needs an address: mqtt, opcua or gpio");
        }
        if (mqtt.isPresent()) {
            MqttAddress a = mqtt.get();
            if (!a.sourceUnit().convertibleTo(unit)) {
                throw new InvalidField("mqtt", "resource '" + name + "': mqtt unit " + a.sourceUnit()
                        + " cannot be converted to " + unit);
            }
            if (a.reduce() == ArrayReduce.JOIN && type != ValueType.STRING) {
                throw new InvalidField("mqtt", "resource '" + name + "': reduce join needs type string");
            }
            if (a.reduce() == ArrayReduce.COUNT && !type.isInteger()) {
                throw new InvalidField("mqtt", "resource '" + name + "': reduce count needs an integer type");
            }
            if (a.encoding() != TextEncoding.TEXT && type != ValueType.STRING) {
                throw new InvalidField("mqtt", "resource '" + name + "': encoding needs type string");
            }
        }
        if (gpio.isPresent()) {
            if (type != ValueType.BOOLEAN) {
                throw new InvalidField("gpio", "resource '" + name + "': a gpio pin carries a boolean, not "
                        + type.yamlName());
            }
            if (gpio.get().direction() == Direction.OUTPUT && !access.writable()) {
                throw new InvalidField("access", "resource '" + name + "' is a gpio output and needs access write"
                        + " or read-write");
            }
            if (gpio.get().direction() == Direction.INPUT && access.writable()) {
                throw new InvalidField("access", "resource '" + name + "' is a gpio input and cannot be written");
            }
        }
    }

    /** The raw value for a label (inverse of {@link #enumLabels()}), or the text itself when not an enum label. */
    public String rawForLabel(String label) {
        for (var e : enumLabels.entrySet()) {
            if (e.getValue().equals(label)) {
                return e.getKey();
            }
        }
        return label;
    }
}
