package io.wareedge.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class UnitTest {

    @Test
    void parsesSymbolsIncludingNone() {
        assertThat(Unit.parse("degC")).isEqualTo(Unit.DEG_C);
        assertThat(Unit.parse("%RH")).isEqualTo(Unit.PERCENT_RH);
        assertThat(Unit.parse("m/s")).isEqualTo(Unit.METRE_PER_SECOND);
        assertThat(Unit.parse("cdBm")).isEqualTo(Unit.CENTI_DBM);
        assertThat(Unit.parse("")).isEqualTo(Unit.NONE);
        assertThat(Unit.parse("none")).isEqualTo(Unit.NONE);
        assertThat(Unit.NONE.symbol()).isEmpty();
        for (String s : new String[] {"count", "%", "degF", "K", "m", "mm", "cm", "km", "mm/s", "m/min", "A", "mA",
                "V", "mV", "W", "kW", "Hz", "rpm", "dBm", "s", "ms", "min", "h", "Pa", "hPa", "kPa", "bar", "lux",
                "ppm", "kg", "g"}) {
            assertThat(Unit.parse(s).symbol()).isEqualTo(s);
        }
    }

    @Test
    void unknownSymbolListsAcceptedOnes() {
        assertThatThrownBy(() -> Unit.parse("furlong")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("furlong").hasMessageContaining("degC").hasMessageContaining("cdBm");
    }

    @Test
    void convertsWithinADimension() {
        assertThat(Unit.CENTI_DBM.convert(-5400, Unit.DBM)).isEqualTo(-54.0);
        assertThat(Unit.DBM.convert(-54, Unit.CENTI_DBM)).isEqualTo(-5400.0);
        assertThat(Unit.DEG_C.convert(100, Unit.DEG_F)).isCloseTo(212.0, within(1e-9));
        assertThat(Unit.DEG_F.convert(32, Unit.DEG_C)).isCloseTo(0.0, within(1e-9));
        assertThat(Unit.DEG_C.convert(0, Unit.KELVIN)).isCloseTo(273.15, within(1e-9));
        assertThat(Unit.MILLIVOLT.convert(3000, Unit.VOLT)).isEqualTo(3.0);
        assertThat(Unit.METRE_PER_MINUTE.convert(120, Unit.METRE_PER_SECOND)).isCloseTo(2.0, within(1e-12));
        assertThat(Unit.BAR.convert(1, Unit.KILOPASCAL)).isEqualTo(100.0);
        assertThat(Unit.HOUR.convert(1, Unit.MILLISECOND)).isEqualTo(3_600_000.0);
        assertThat(Unit.RPM.convert(60, Unit.HERTZ)).isCloseTo(1.0, within(1e-12));
        assertThat(Unit.PERCENT.convert(50, Unit.PPM)).isCloseTo(500_000.0, within(1e-6));
        assertThat(Unit.GRAM.convert(1500, Unit.KILOGRAM)).isEqualTo(1.5);
    }

    @Test
    void refusesToConvertAcrossDimensions() {
        assertThatThrownBy(() -> Unit.DBM.convert(1, Unit.WATT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dBm").hasMessageContaining("W");
        assertThatThrownBy(() -> Unit.PERCENT.convert(1, Unit.PERCENT_RH))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
