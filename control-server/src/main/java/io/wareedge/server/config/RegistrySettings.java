package io.wareedge.server.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * {@code wareedge.registry.*}: live-state rules.
 *
 * @param staleAfter      an online device not heard from for longer is reported STALE
 * @param rebirthInterval at most one rebirth request per edge node within this interval
 */
@ConfigurationProperties("wareedge.registry")
public record RegistrySettings(@Bindable(defaultValue = "60s") Duration staleAfter,
                               @Bindable(defaultValue = "5s") Duration rebirthInterval) {

    public RegistrySettings {
        staleAfter = Checks.positive("wareedge.registry.stale-after", staleAfter, Duration.ofSeconds(60));
        rebirthInterval = Checks.positive("wareedge.registry.rebirth-interval", rebirthInterval, Duration.ofSeconds(5));
    }
}
