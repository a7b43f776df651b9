package io.wareedge.server.alerts;

import io.wareedge.server.config.InfluxSettings;
import io.wareedge.server.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Alert and export settings fail at start with the key, the rule and the value. */
class AlertSettingsTest {

    @Test
    void aWebhookNeedsAnHttpUrlAndALongEnoughSecret() {
        assertThatThrownBy(() -> AlertSettings.webhooks(List.of(Map.of("name", "pager", "url", "ftp://x/y",
                "secret", "0123456789abcdef"))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("wareedge.alerts.webhooks[0].url").hasMessageContaining("http(s) URL")
                .hasMessageContaining("ftp://x/y");
        assertThatThrownBy(() -> AlertSettings.webhooks(List.of(Map.of("name", "pager", "url", "http://127.0.0.1:1/h",
                "secret", "short"))))
                .hasMessageContaining("wareedge.alerts.webhooks[0].secret");
        AlertSettings.Webhook ok = AlertSettings.webhooks(List.of(Map.of("name", "pager",
                "url", "http://127.0.0.1:1/h", "secret", "0123456789abcdef"))).get(0);
        assertThat(ok.url().getPort()).isEqualTo(1);
        assertThat(ok.maxAttempts()).isEqualTo(8);
    }

    @Test
    void aKpiRuleNeedsExactlyOneLimit() {
        assertThatThrownBy(() -> AlertSettings.kpiRules(List.of(Map.of("name", "r", "kpi", "sort-accuracy"))))
                .hasMessageContaining("wareedge.alerts.kpi-rules[0]").hasMessageContaining("exactly one of above or below");
        assertThatThrownBy(() -> AlertSettings.kpiRules(List.of(Map.of("name", "r", "kpi", "speed", "above", "1"))))
                .hasMessageContaining("wareedge.alerts.kpi-rules[0].kpi");
    }

    @Test
    void theInfluxUrlMustBeHttp() {
        assertThatThrownBy(() -> new InfluxSettings("localhost:8086", "wareedge", null, null, 5000, Duration.ofSeconds(1),
                500_000, Duration.ofSeconds(10), Duration.ofSeconds(30), true, Duration.ofSeconds(15)))
                .hasMessageContaining("wareedge.influx.url").hasMessageContaining("localhost:8086");
        assertThat(new InfluxSettings(null, "wareedge", null, null, 5000, Duration.ofSeconds(1), 500_000,
                Duration.ofSeconds(10), Duration.ofSeconds(30), true, Duration.ofSeconds(15)).enabled()).isFalse();
    }
}
