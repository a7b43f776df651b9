package io.wareedge.edge.health;

import org.slf4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logs bad input once per kind, then at most one summary line per kind and interval: a device sending garbage
 * thousands of times a second must not drown the log (or the gateway's SD card).
 */
public final class OncePerKindLog {
    private final Logger log;
    private final Duration interval;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public OncePerKindLog(Logger log, Duration interval, Clock clock) {
        this.log = log;
        this.interval = interval;
        this.clock = clock;
    }

    public void warn(String kind, String message) {
        long now = clock.millis();
        Window w = windows.computeIfAbsent(kind, k -> new Window());
        synchronized (w) {
            if (w.lastLogged == 0) {
                w.lastLogged = now;
                log.warn("{}: {} (further {} are counted and summarised every {})", kind, message, kind, interval);
            } else if (now - w.lastLogged >= interval.toMillis()) {
                log.warn("{}: {} more since last summary; latest: {}", kind, w.suppressed + 1, message);
                w.lastLogged = now;
                w.suppressed = 0;
            } else {
                w.suppressed++;
            }
        }
    }

    private static final class Window {
        long lastLogged;
        long suppressed;
    }
}
