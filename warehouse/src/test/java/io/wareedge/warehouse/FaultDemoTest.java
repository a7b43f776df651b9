package io.wareedge.warehouse;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultDemoTest {

    @Test
    void theIntervalIsADurationWithAUnitOrZeroForNoSchedule() {
        assertThat(FaultDemo.parseInterval("3m")).contains(Duration.ofMinutes(3));
        assertThat(FaultDemo.parseInterval("45s")).contains(Duration.ofSeconds(45));
        assertThat(FaultDemo.parseInterval("0")).isEmpty();
        assertThat(FaultDemo.parseInterval("0s")).isEmpty();
        assertThatThrownBy(() -> FaultDemo.parseInterval("180"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("wareedge.sim.fault-interval must be a duration with a unit")
                .hasMessageContaining("got '180'");
        assertThatThrownBy(() -> FaultDemo.parseInterval("soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 'soon'");
    }

    @Test
    void thePortIsZeroForAnyOrAPortNumber() {
        assertThat(FaultDemo.parsePort("0")).isZero();
        assertThat(FaultDemo.parsePort("8181")).isEqualTo(8181);
        assertThatThrownBy(() -> FaultDemo.parsePort("70000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("wareedge.sim.fault-port must be a port number within 0..65535 (0 = any free port),"
                        + " got '70000'");
        assertThatThrownBy(() -> FaultDemo.parsePort("http"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 'http'");
    }
}
