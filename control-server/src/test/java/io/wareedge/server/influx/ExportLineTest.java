package io.wareedge.server.influx;

import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ExportLineTest {

    private static String line(ExportLine point) {
        StringBuilder sb = new StringBuilder();
        assertThat(point.appendTo(sb)).isTrue();
        return sb.toString();
    }

    @Test
    void telemetryIsTheLineTheClientWouldWriteForTheSameReadings() {
        ExportLine.Telemetry t = new ExportLine.Telemetry("conveyor-plc", "dc-north", "gw-1", "belt-1", "line-9",
                List.of("speed", "jam", "items"), List.of(1.25, false, 42L), 1_700_000_000_123L);
        Point same = Point.measurement("conveyor-plc").time(1_700_000_000_123L, TimeUnit.MILLISECONDS)
                .tag("site", "dc-north").tag("agent", "gw-1").tag("device", "belt-1").tag("area", "line-9")
                .addField("speed", 1.25).addField("jam", false).addField("items", 42.0).build();
        assertThat(line(t)).isEqualTo("conveyor-plc,agent=gw-1,area=line-9,device=belt-1,site=dc-north "
                + "speed=1.25,jam=false,items=42.0 1700000000123");
        assertThat(sorted(line(t))).isEqualTo(sorted(same.lineProtocol(TimeUnit.MILLISECONDS)));
    }

    @Test
    void namesAndTextAreEscapedSoOneOddDeviceCannotSpoilTheBatch() {
        ExportLine.Telemetry t = new ExportLine.Telemetry("my sensor,v2", "dc north", "gw=1", "belt,1", null,
                List.of("state text", "note"), List.of("say \"hi\" \\ bye", "a,b c=d"), 5L);
        assertThat(line(t)).isEqualTo("my\\ sensor\\,v2,agent=gw\\=1,device=belt\\,1,site=dc\\ north "
                + "state\\ text=\"say \\\"hi\\\" \\\\ bye\",note=\"a,b c=d\" 5");
    }

    @Test
    void fieldsThatAreNotFiniteAreLeftOutAndAPointWithNoneLeftIsNotWritten() {
        ExportLine.Telemetry some = new ExportLine.Telemetry("m", "s", "a", "d", "", List.of("x", "y", "z"),
                Arrays.asList(Double.NaN, 2.5, null), 7L);
        assertThat(line(some)).isEqualTo("m,agent=a,device=d,site=s y=2.5 7");

        StringBuilder sb = new StringBuilder("before");
        ExportLine.Telemetry none = new ExportLine.Telemetry("m", "s", "a", "d", null, List.of("x"),
                List.of(Double.POSITIVE_INFINITY), 7L);
        assertThat(none.appendTo(sb)).isFalse();
        assertThat(sb).hasToString("before");
    }

    @Test
    void everyFloatFieldReadsBackAsTheSameDoubleAndCommonReadingsAreWrittenAsJavaWritesThem() {
        java.util.Random random = new java.util.Random(7);
        List<Double> values = new java.util.ArrayList<>(List.of(0.0, -0.0, 1.0, -1.0, 42.0, 1.25, -1.25, 20.5, 0.05,
                -0.005, 1.97, 0.1 + 0.2, 9_999_999.5, 1e7, -1e7, 123_456.789, 1e-7, 5e-324, Double.MAX_VALUE, 1.0 / 3));
        for (int i = 0; i < 100_000; i++) {
            values.add(i % 2 == 0 ? Math.round(random.nextGaussian() * 1e6) / Math.pow(10, random.nextInt(8))
                    : Double.longBitsToDouble(random.nextLong()));
        }
        for (double d : values) {
            if (!Double.isFinite(d)) {
                continue;
            }
            StringBuilder written = new StringBuilder();
            ExportLine.appendDouble(written, d);
            assertThat(Double.doubleToRawLongBits(Double.parseDouble(written.toString())))
                    .as("%s written as %s", d, written).isEqualTo(Double.doubleToRawLongBits(d));
        }
        for (double d : List.of(0.0, -0.0, 42.0, 1.25, -1.25, 20.5, 0.05, 1.97, 9_999_999.5, 123_456.789)) {
            StringBuilder written = new StringBuilder();
            ExportLine.appendDouble(written, d);
            assertThat(written).hasToString(Double.toString(d));
        }
    }

    /** The line with its tag and field lists each in sorted order (the client sorts tags and fields). */
    private static String sorted(String line) {
        String[] parts = line.split(" ");
        String[] key = parts[0].split(",", 2);
        String[] tags = key[1].split(",");
        String[] fields = parts[1].split(",");
        Arrays.sort(tags);
        Arrays.sort(fields);
        return key[0] + "," + String.join(",", tags) + " " + String.join(",", fields) + " " + parts[2];
    }
}
