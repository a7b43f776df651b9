package io.wareedge.server.alerts;

import io.wareedge.profiles.AlarmCondition;
import io.wareedge.profiles.Durations;
import io.wareedge.profiles.Severity;
import io.wareedge.server.config.InvalidConfigurationException;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code wareedge.alerts.*}, validated at start: a bad value fails with its key, the rule and the value.
 *
 * @param tick              how often hold times, staleness, escalation, shelving expiry and floods are judged
 * @param queueCapacity     telemetry batches waiting for the alert thread before ingest is made to wait
 * @param chatterWindow     a rule raised {@code chatterCount} times on one source within this window is chattering:
 *                          its alert then stays open until the condition stays clear for the window
 * @param floodLimit        more alerts than this in one area within {@code floodWindow} is a flood
 * @param escalateAfter     a red alert nobody acknowledged within this time is escalated
 * @param maxShelve         the longest an alert may be shelved
 * @param consequenceDelay  a rule that other rules suppress waits this long before it raises, so that its cause,
 *                          arriving in the next message, suppresses it instead
 * @param kpiInterval       how often server-side KPI rules are judged
 */
public record AlertSettings(Duration tick, int queueCapacity, Duration chatterWindow, int chatterCount, int floodLimit,
                            Duration floodWindow, Duration escalateAfter, Duration maxShelve,
                            Duration consequenceDelay, Duration kpiInterval, List<Suppression> suppressions,
                            List<KpiRule> kpiRules, List<Webhook> webhooks) {

    public AlertSettings {
        positive("wareedge.alerts.tick", tick);
        atLeast("wareedge.alerts.queue-capacity", queueCapacity, 1);
        positive("wareedge.alerts.chatter-window", chatterWindow);
        atLeast("wareedge.alerts.chatter-count", chatterCount, 2);
        atLeast("wareedge.alerts.flood-limit", floodLimit, 1);
        positive("wareedge.alerts.flood-window", floodWindow);
        positive("wareedge.alerts.escalate-after", escalateAfter);
        positive("wareedge.alerts.max-shelve", maxShelve);
        if (consequenceDelay.isNegative()) {
            throw new InvalidConfigurationException("wareedge.alerts.consequence-delay", "must not be negative", consequenceDelay);
        }
        positive("wareedge.alerts.kpi-interval", kpiInterval);
        suppressions = List.copyOf(suppressions);
        kpiRules = List.copyOf(kpiRules);
        webhooks = List.copyOf(webhooks);
    }

    /**
     * While an alert of rule {@code when} is active in an area, rules {@code suppress} raise no alert in that area
     * (ISA-18.2 suppression by design: consequences of a known cause). Counted; raised when the cause clears and
     * the condition still holds.
     */
    public record Suppression(String when, Set<String> suppress) {
        public Suppression {
            suppress = Set.copyOf(suppress);
        }
    }

    /** The KPIs a rule can watch. */
    public enum Kpi {
        SORT_ACCURACY, NO_READ_RATE, MULTI_READ_RATE, REJECT_RATE;

        static Kpi parse(String key, String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (RuntimeException e) {
                throw new InvalidConfigurationException(key, "must be one of sort-accuracy, no-read-rate, "
                        + "multi-read-rate, reject-rate", text);
            }
        }
    }

    /**
     * A server-side rule on a sorter's KPI over a sliding window: for example sort accuracy below 0.99 over 15
     * minutes, judged only once {@code minItems} items are in the window.
     */
    public record KpiRule(String name, Kpi kpi, AlarmCondition condition, Duration window, int minItems,
                          double deadband, Severity severity, String message) {
    }

    /**
     * An HTTP endpoint that receives every alert event as a signed JSON POST.
     *
     * @param secret      HMAC-SHA256 key of the {@code X-WareEdge-Signature} header
     * @param minSeverity events of yellow alerts are sent only when this is yellow
     * @param maxAttempts attempts per event before it is abandoned (logged and counted)
     */
    public record Webhook(String name, URI url, String secret, Severity minSeverity, Duration timeout,
                          int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    }

    static AlertSettings defaults() {
        return new AlertSettings(Duration.ofMillis(100), 1000, Duration.ofSeconds(60), 3, 10, Duration.ofMinutes(10),
                Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofSeconds(1), Duration.ofSeconds(10),
                List.of(), List.of(), List.of());
    }

    static List<Suppression> suppressions(List<Map> raw) {
        List<Suppression> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String key = "wareedge.alerts.suppress[" + i + "]";
            Map<?, ?> m = raw.get(i);
            String when = text(m, key, "when", true);
            Object s = m.get("suppress");
            List<String> names = new ArrayList<>();
            if (s instanceof List<?> l) {
                l.forEach(x -> names.add(String.valueOf(x)));
            } else if (s instanceof Map<?, ?> indexed) {
                indexed.values().forEach(x -> names.add(String.valueOf(x)));
            } else if (s != null) {
                names.add(String.valueOf(s));
            }
            if (names.isEmpty()) {
                throw new InvalidConfigurationException(key + ".suppress", "needs the rule names it suppresses", s);
            }
            out.add(new Suppression(when, Set.copyOf(names)));
        }
        return out;
    }

    static List<KpiRule> kpiRules(List<Map> raw) {
        List<KpiRule> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String key = "wareedge.alerts.kpi-rules[" + i + "]";
            Map<?, ?> m = raw.get(i);
            String name = text(m, key, "name", true);
            Kpi kpi = Kpi.parse(key + ".kpi", text(m, key, "kpi", true));
            String above = text(m, key, "above", false);
            String below = text(m, key, "below", false);
            if ((above == null) == (below == null)) {
                throw new InvalidConfigurationException(key, "needs exactly one of above or below", m);
            }
            AlarmCondition condition = above != null ? new AlarmCondition.Above(number(key + ".above", above))
                    : new AlarmCondition.Below(number(key + ".below", below));
            Duration window = duration(m, key, "window", Duration.ofMinutes(15));
            int minItems = (int) number(key + ".min-items", firstNonNull(text(m, key, "min-items", false), "100"));
            double deadband = number(key + ".deadband", firstNonNull(text(m, key, "deadband", false), "0"));
            if (deadband < 0) {
                throw new InvalidConfigurationException(key + ".deadband", "must be >= 0", deadband);
            }
            Severity severity = severity(key + ".severity", firstNonNull(text(m, key, "severity", false), "yellow"));
            String message = firstNonNull(text(m, key, "message", false), name);
            out.add(new KpiRule(name, kpi, condition, window, minItems, deadband, severity, message));
        }
        return out;
    }

    static List<Webhook> webhooks(List<Map> raw) {
        List<Webhook> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String key = "wareedge.alerts.webhooks[" + i + "]";
            Map<?, ?> m = raw.get(i);
            String name = text(m, key, "name", true);
            if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new InvalidConfigurationException(key + ".name", "must be 1-64 letters, digits, '.', '_' or '-'", name);
            }
            String url = text(m, key, "url", true);
            URI uri = io.wareedge.server.config.Checks.httpUrl(key + ".url", url);
            String secret = text(m, key, "secret", true);
            if (secret.length() < 16) {
                throw new InvalidConfigurationException(key + ".secret", "must be at least 16 characters", "(hidden)");
            }
            Severity min = severity(key + ".min-severity", firstNonNull(text(m, key, "min-severity", false), "yellow"));
            Duration timeout = duration(m, key, "timeout", Duration.ofSeconds(5));
            int attempts = (int) number(key + ".max-attempts", firstNonNull(text(m, key, "max-attempts", false), "8"));
            atLeast(key + ".max-attempts", attempts, 1);
            Duration initial = duration(m, key, "initial-backoff", Duration.ofMillis(500));
            Duration max = duration(m, key, "max-backoff", Duration.ofMinutes(1));
            out.add(new Webhook(name, uri, secret, min, timeout, attempts, initial, max));
        }
        if (out.stream().map(Webhook::name).distinct().count() != out.size()) {
            throw new InvalidConfigurationException("wareedge.alerts.webhooks", "names must be unique",
                    out.stream().map(Webhook::name).toList());
        }
        return out;
    }

    private static Severity severity(String key, String text) {
        try {
            return Severity.parse(text.trim().toLowerCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new InvalidConfigurationException(key, "must be red or yellow", text);
        }
    }

    private static String text(Map<?, ?> m, String key, String name, boolean required) {
        Object v = m.get(name);
        if (v == null) {
            // Micronaut may hand nested keys over in camel case
            StringBuilder camel = new StringBuilder();
            boolean up = false;
            for (char c : name.toCharArray()) {
                if (c == '-') {
                    up = true;
                } else {
                    camel.append(up ? Character.toUpperCase(c) : c);
                    up = false;
                }
            }
            v = m.get(camel.toString());
        }
        if (v == null || v.toString().isBlank()) {
            if (required) {
                throw new InvalidConfigurationException(key + "." + name, "is required", v);
            }
            return null;
        }
        return v.toString().trim();
    }

    private static Duration duration(Map<?, ?> m, String key, String name, Duration fallback) {
        String t = text(m, key, name, false);
        if (t == null) {
            return fallback;
        }
        try {
            Duration d = Durations.parse(t);
            positive(key + "." + name, d);
            return d;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(key + "." + name, "must be a duration such as 30s or 15m", t);
        }
    }

    private static double number(String key, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(key, "must be a number", text);
        }
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static void positive(String key, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new InvalidConfigurationException(key, "must be a positive duration such as 30s", d);
        }
    }

    private static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw new InvalidConfigurationException(key, "must be at least " + min, value);
        }
    }
}
