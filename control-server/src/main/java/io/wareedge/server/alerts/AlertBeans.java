package io.wareedge.server.alerts;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;
import io.wareedge.profiles.DeviceProfile;
import io.wareedge.profiles.ProfileCatalog;
import io.wareedge.profiles.ProfileLoader;
import io.wareedge.server.config.InvalidConfigurationException;
import io.wareedge.server.sortation.SortQueries;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the alert service from {@code wareedge.alerts.*} and starts it with the server. */
@Factory
class AlertBeans {

    @Context
    @Bean(preDestroy = "close")
    Alerts alerts(Environment env, DataSource dataSource, io.wareedge.server.registry.RegistryQueries registry,
                  ObjectMapper json) throws SQLException {
        AlertSettings settings = settings(env);
        AlertStore store = new AlertStore(dataSource, registry, json);
        AlertFeed feed = new AlertFeed(store);
        Clock clock = Clock.systemUTC();
        AlertEngine engine = new AlertEngine(settings, store, profiles(env), feed, clock);
        KpiWatch kpi = new KpiWatch(settings.kpiRules(), settings.kpiInterval(), dataSource, new SortQueries(dataSource),
                engine, clock);
        Webhooks webhooks = new Webhooks(settings.webhooks(), dataSource, store, feed, json, clock);
        Alerts alerts = new Alerts(engine, store, feed, kpi, webhooks, dataSource);
        alerts.start();
        return alerts;
    }

    static AlertSettings settings(Environment env) {
        AlertSettings d = AlertSettings.defaults();
        return new AlertSettings(
                duration(env, "tick", d.tick()),
                env.getProperty("wareedge.alerts.queue-capacity", Integer.class).orElse(d.queueCapacity()),
                duration(env, "chatter-window", d.chatterWindow()),
                env.getProperty("wareedge.alerts.chatter-count", Integer.class).orElse(d.chatterCount()),
                env.getProperty("wareedge.alerts.flood-limit", Integer.class).orElse(d.floodLimit()),
                duration(env, "flood-window", d.floodWindow()),
                duration(env, "escalate-after", d.escalateAfter()),
                duration(env, "max-shelve", d.maxShelve()),
                duration(env, "consequence-delay", d.consequenceDelay()),
                duration(env, "kpi-interval", d.kpiInterval()),
                AlertSettings.suppressions(list(env, "suppress")),
                AlertSettings.kpiRules(list(env, "kpi-rules")),
                AlertSettings.webhooks(list(env, "webhooks")));
    }

    private static Duration duration(Environment env, String name, Duration fallback) {
        String key = "wareedge.alerts." + name;
        try {
            return env.getProperty(key, Duration.class).orElse(fallback);
        } catch (RuntimeException e) {
            throw new InvalidConfigurationException(key, "must be a duration such as 30s",
                    env.getProperty(key, String.class).orElse(null));
        }
    }

    @SuppressWarnings("rawtypes")
    private static List<Map> list(Environment env, String name) {
        return env.getProperty("wareedge.alerts." + name, Argument.listOf(Map.class)).orElse(List.of());
    }

    /** The shipped profiles, and those in {@code wareedge.alerts.profile-dirs} (a site's own, which win). */
    private static ProfileCatalog profiles(Environment env) {
        Map<String, DeviceProfile> byId = new LinkedHashMap<>();
        ProfileLoader.loadBundled().all().forEach(p -> byId.put(p.id(), p));
        for (String dir : env.getProperty("wareedge.alerts.profile-dirs", Argument.listOf(String.class)).orElse(List.of())) {
            Path path = Path.of(dir);
            if (!Files.isDirectory(path)) {
                throw new InvalidConfigurationException("wareedge.alerts.profile-dirs", "must name directories", dir);
            }
            ProfileLoader.loadDirectory(path).all().forEach(p -> byId.put(p.id(), p));
        }
        return new ProfileCatalog(byId.values());
    }
}
