package io.wareedge.profiles;

import java.util.List;
import java.util.OptionalDouble;

/**
 * A parameter of a {@link Command}.
 *
 * @param enumValues allowed values of a STRING parameter (empty = any)
 */
public record CommandParameter(String name, String description, ValueType type, Unit unit, OptionalDouble min,
                               OptionalDouble max, List<String> enumValues) {
    public CommandParameter {
        Checks.name("parameter", name);
        description = Checks.text(description);
        Checks.notNull("parameter type", type);
        unit = unit == null ? Unit.NONE : unit;
        min = min == null ? OptionalDouble.empty() : min;
        max = max == null ? OptionalDouble.empty() : max;
        enumValues = enumValues == null ? List.of() : List.copyOf(enumValues);
        if ((min.isPresent() || max.isPresent() || unit != Unit.NONE) && !type.isNumeric()) {
            throw new IllegalArgumentException("parameter '" + name + "': unit/min/max need a numeric type");
        }
        if (min.isPresent() && max.isPresent() && min.getAsDouble() > max.getAsDouble()) {
            throw new IllegalArgumentException("parameter '" + name + "': min " + min.getAsDouble()
                    + " is greater than max " + max.getAsDouble());
        }
        if (!enumValues.isEmpty() && type != ValueType.STRING) {
            throw new IllegalArgumentException("parameter '" + name + "': enum needs type string");
        }
    }

    /**
     * Checks and normalizes an argument (Boolean / Long / Double / String as for resources; numeric text and
     * numbers of any Java type are accepted).
     *
     * @throws IllegalArgumentException saying why the argument is not acceptable
     */
    public Object validate(Object argument) {
        if (argument == null) {
            throw new IllegalArgumentException("parameter '" + name + "' is missing");
        }
        Object value = ValueConversion.coerce(type, argument);
        if (value == null) {
            throw new IllegalArgumentException("parameter '" + name + "' must be " + type.yamlName() + ", got '"
                    + argument + "'");
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if ((min.isPresent() && d < min.getAsDouble()) || (max.isPresent() && d > max.getAsDouble())
                    || (type.isInteger() && (n.longValue() < type.minInteger() || n.longValue() > type.maxInteger()))) {
                throw new IllegalArgumentException("parameter '" + name + "' value " + value + " is out of range");
            }
        }
        if (!enumValues.isEmpty() && !enumValues.contains(value)) {
            throw new IllegalArgumentException("parameter '" + name + "' must be one of " + enumValues + ", got '"
                    + value + "'");
        }
        return value;
    }
}
