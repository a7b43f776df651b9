package io.wareedge.server.registry;

import java.time.Instant;
import java.util.List;

/** Read-side views of the registry, as served by the REST API. */
public final class Views {
    private Views() {
    }

    public record EdgeNodeView(String group, String node, boolean online, Long bdSeq, Instant birthAt, Instant deathAt,
                               int devices, int devicesOnline) {
    }

    public record EdgeNodeDetail(String group, String node, boolean online, Long bdSeq, Instant birthAt, Instant deathAt,
                                 List<MetricView> metrics, List<DeviceView> devices) {
    }

    /** @param area the warehouse area from the device's birth ({@code Device/Area}), null when it named none */
    public record DeviceView(String group, String node, String device, DeviceState state, String profile, String kind,
                             String area, Instant birthAt, Instant deathAt, Instant lastSeenAt) {
    }

    public record DeviceDetail(String group, String node, String device, DeviceState state, String profile, String kind,
                               String area, Instant birthAt, Instant deathAt, Instant lastSeenAt,
                               List<MetricView> metrics) {
    }

    /** @param value Long, Double, Boolean, String or byte[]; null when the metric's last value is null */
    public record MetricView(String name, String type, String unit, Object value, Integer quality, Instant timestamp) {
    }

    public record ReadingView(String metric, Instant timestamp, Object value, int quality, Long readingId,
                              boolean historical) {
    }

    /**
     * @param payloadText the payload as UTF-8 text when it is printable, else null
     */
    public record DeadLetterView(long id, Instant receivedAt, String source, Long sourceId, String device, String topic,
                                 String kind, String detail, int payloadBytes, String payloadBase64, String payloadText) {
    }
}
