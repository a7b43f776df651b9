package io.wareedge.server.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.net.URI;
import java.time.Duration;

/**
 * {@code wareedge.mqtt.*}: how the Sparkplug host application reaches the broker.
 *
 * @param url            broker URL, {@code tcp://host:1883} (required)
 * @param hostId         Sparkplug host application id; STATE goes to {@code spBv1.0/STATE/<host-id>}
 * @param clientId       MQTT client id; defaults to the host id. Must be unique per server instance when a shared
 *                       group is used
 * @param sharedGroup    when set, subscribe through {@code $share/<group>/...} so several server instances split the load
 * @param sessionExpiry  how long the broker keeps this host's session (and its unacknowledged messages) while it is away
 * @param maxReconnectDelay upper bound of the reconnect backoff
 */
@ConfigurationProperties("wareedge.mqtt")
public record MqttSettings(@Nullable String url,
                           @Bindable(defaultValue = "wareedge-host") String hostId,
                           @Nullable String clientId,
                           @Nullable String sharedGroup,
                           @Bindable(defaultValue = "1h") Duration sessionExpiry,
                           @Bindable(defaultValue = "30s") Duration maxReconnectDelay) {

    public MqttSettings {
        url = Checks.required("wareedge.mqtt.url", url, "tcp://localhost:1883");
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || !(u.getScheme().equals("tcp") || u.getScheme().equals("ssl")) || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("wareedge.mqtt.url", "must be tcp://host:port or ssl://host:port", url);
        }
        Checks.noTopicWildcards("wareedge.mqtt.host-id", hostId);
        if (sharedGroup != null && sharedGroup.isBlank()) {
            sharedGroup = null;
        }
        Checks.noTopicWildcards("wareedge.mqtt.shared-group", sharedGroup);
        if (clientId == null || clientId.isBlank()) {
            clientId = hostId;
        }
        sessionExpiry = Checks.positive("wareedge.mqtt.session-expiry", sessionExpiry, Duration.ofHours(1));
        maxReconnectDelay = Checks.positive("wareedge.mqtt.max-reconnect-delay", maxReconnectDelay, Duration.ofSeconds(30));
    }
}
