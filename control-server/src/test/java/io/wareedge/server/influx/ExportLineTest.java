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
