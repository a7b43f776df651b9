package io.wareedge.profiles;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The closed set of engineering units profiles may use. Each unit is an affine function of its dimension's base
 * unit ({@code base = value * factor + offset}), which covers both scale units (mm, kPa) and temperature scales.
 */
public enum Unit {
    NONE("", Dimension.NONE, 1),
    COUNT("count", Dimension.COUNT, 1),
    PERCENT("%", Dimension.RATIO, 0.01),
    PPM("ppm", Dimension.RATIO, 1e-6),
    PERCENT_RH("%RH", Dimension.RELATIVE_HUMIDITY, 1),
    KELVIN("K", Dimension.TEMPERATURE, 1),
    DEG_C("degC", Dimension.TEMPERATURE, 1, 273.15),
    DEG_F("degF", Dimension.TEMPERATURE, 5.0 / 9.0, 273.15 - 32 * 5.0 / 9.0),
    METRE("m", Dimension.LENGTH, 1),
    MILLIMETRE("mm", Dimension.LENGTH, 0.001),
    CENTIMETRE("cm", Dimension.LENGTH, 0.01),
    KILOMETRE("km", Dimension.LENGTH, 1000),
    METRE_PER_SECOND("m/s", Dimension.SPEED, 1),
    MILLIMETRE_PER_SECOND("mm/s", Dimension.SPEED, 0.001),
    METRE_PER_MINUTE("m/min", Dimension.SPEED, 1.0 / 60),
    AMPERE("A", Dimension.CURRENT, 1),
    MILLIAMPERE("mA", Dimension.CURRENT, 0.001),
    VOLT("V", Dimension.VOLTAGE, 1),
    MILLIVOLT("mV", Dimension.VOLTAGE, 0.001),
    WATT("W", Dimension.POWER, 1),
    KILOWATT("kW", Dimension.POWER, 1000),
    HERTZ("Hz", Dimension.FREQUENCY, 1),
    RPM("rpm", Dimension.FREQUENCY, 1.0 / 60),
    /** Power level relative to one milliwatt (logarithmic, so not convertible to W). */
    DBM("dBm", Dimension.POWER_LEVEL, 1),
    /** Centi-dBm as some RFID readers report RSSI: 1 cdBm = 0.01 dBm. */
    CENTI_DBM("cdBm", Dimension.POWER_LEVEL, 0.01),
    SECOND("s", Dimension.TIME, 1),
    MILLISECOND("ms", Dimension.TIME, 0.001),
    MICROSECOND("us", Dimension.TIME, 1e-6),
    MINUTE("min", Dimension.TIME, 60),
    HOUR("h", Dimension.TIME, 3600),
    PASCAL("Pa", Dimension.PRESSURE, 1),
    HECTOPASCAL("hPa", Dimension.PRESSURE, 100),
    KILOPASCAL("kPa", Dimension.PRESSURE, 1000),
    BAR("bar", Dimension.PRESSURE, 100_000),
    LUX("lux", Dimension.ILLUMINANCE, 1),
    KILOGRAM("kg", Dimension.MASS, 1),
    GRAM("g", Dimension.MASS, 0.001);

    /** A physical quantity; only units of the same dimension convert into each other. */
    public enum Dimension {
        NONE, COUNT, RATIO, RELATIVE_HUMIDITY, TEMPERATURE, LENGTH, SPEED, CURRENT, VOLTAGE, POWER, FREQUENCY,
        POWER_LEVEL, TIME, PRESSURE, ILLUMINANCE, MASS
    }

    private static final Map<String, Unit> BY_SYMBOL = new HashMap<>();

    static {
        for (Unit unit : values()) {
            BY_SYMBOL.put(unit.symbol, unit);
        }
        BY_SYMBOL.put("none", NONE);
    }

    private final String symbol;
    private final Dimension dimension;
    private final double factor;
    private final double offset;

    Unit(String symbol, Dimension dimension, double factor) {
        this(symbol, dimension, factor, 0);
    }

    Unit(String symbol, Dimension dimension, double factor, double offset) {
        this.symbol = symbol;
        this.dimension = dimension;
        this.factor = factor;
        this.offset = offset;
    }

    /** The symbol as written in profiles, e.g. {@code degC}, {@code m/s}; "" for {@link #NONE}. */
    public String symbol() {
        return symbol;
    }

    public Dimension dimension() {
        return dimension;
    }

    /**
     * Parses a unit symbol (case-sensitive: mA and MA differ in the real world). "" and "none" mean {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the accepted symbols
     */
    public static Unit parse(String symbol) {
        Unit unit = symbol == null ? null : BY_SYMBOL.get(symbol.trim());
        if (unit == null) {
            throw new IllegalArgumentException("unknown unit '" + symbol + "'; accepted: " + acceptedSymbols());
        }
        return unit;
    }

    /** Comma-separated list of every accepted symbol. */
    public static String acceptedSymbols() {
        return Arrays.stream(values()).map(u -> u == NONE ? "none" : u.symbol).collect(Collectors.joining(", "));
    }

    /**
     * Converts a value in this unit to {@code to}.
     *
     * @throws IllegalArgumentException if the units measure different dimensions
     */
    public double convert(double value, Unit to) {
        if (to == this) {
            return value;
        }
        requireConvertibleTo(to);
        return ((value * factor + offset) - to.offset) / to.factor;
    }

    /** Whether {@link #convert} to {@code other} is possible. */
    public boolean convertibleTo(Unit other) {
        return other.dimension == dimension;
    }

    void requireConvertibleTo(Unit to) {
        if (!convertibleTo(to)) {
            throw new IllegalArgumentException("cannot convert " + describe() + " to " + to.describe());
        }
    }

    /** Multiplier of the affine map from this unit to {@code to}. */
    double factorTo(Unit to) {
        return factor / to.factor;
    }

    /** Additive part of the affine map from this unit to {@code to}. */
    double offsetTo(Unit to) {
        return (offset - to.offset) / to.factor;
    }

    private String describe() {
        return (this == NONE ? "none" : symbol) + " (" + dimension.name().toLowerCase(Locale.ROOT) + ")";
    }

    @Override
    public String toString() {
        return this == NONE ? "none" : symbol;
    }
}
