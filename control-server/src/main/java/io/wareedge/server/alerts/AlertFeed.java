package io.wareedge.server.alerts;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The live feed of alert events, with resume: a subscriber names the last event id it saw and gets every later
 * event exactly once, in order, first from storage, then from memory, then live.
 *
 * <p>Threading: the alert thread publishes; subscribers' sinks are called on it, under this feed's lock, and must
 * not block (the SSE sink buffers, and drops the connection when its bounded buffer overflows; the client resumes).
 * Event ids may have gaps (a failed write allocates ids it does not use), so coverage is judged by the id below
 * which memory holds nothing, not by consecutive ids.
 */
public final class AlertFeed {
    private static final int KEPT_IN_MEMORY = 10_000;
    private static final int REPLAY_PAGE = 1_000;

    private final AlertStore store;
    private final Object lock = new Object();
    private final ArrayDeque<AlertEvent> recent = new ArrayDeque<>();
    private final List<Consumer<AlertEvent>> subscribers = new CopyOnWriteArrayList<>();
    /** Every event with a greater id is in {@link #recent}. */
    private long memoryFloor;

    AlertFeed(AlertStore store) throws SQLException {
        this.store = store;
        this.memoryFloor = store.lastEventId();
    }

    /** A live subscription; close it when the client goes away. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    void publish(List<AlertEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        synchronized (lock) {
            for (AlertEvent e : events) {
                recent.addLast(e);
                if (recent.size() > KEPT_IN_MEMORY) {
                    memoryFloor = recent.removeFirst().id();
                }
                for (Consumer<AlertEvent> s : subscribers) {
                    s.accept(e);
                }
            }
        }
    }

    /** The id of the newest event, for a client that wants only what comes next. */
    public long lastEventId() {
        synchronized (lock) {
            return recent.isEmpty() ? memoryFloor : recent.peekLast().id();
        }
    }

    /**
     * Delivers every event after {@code afterId} to {@code sink}, then each new one as it is published.
     *
     * @param afterId the last id the client saw; 0 for everything stored, -1 for only new events
     */
    public Subscription subscribe(long afterId, Consumer<AlertEvent> sink) throws SQLException {
        long last = afterId < 0 ? lastEventId() : afterId;
        while (true) {
            synchronized (lock) {
                if (last >= memoryFloor) {
                    for (AlertEvent e : recent) {
                        if (e.id() > last) {
                            sink.accept(e);
                        }
                    }
                    subscribers.add(sink);
                    return () -> subscribers.remove(sink);
                }
            }
            // Older than memory: replay from storage outside the lock, then look again.
            List<AlertEvent> page = store.eventsAfter(last, REPLAY_PAGE);
            for (AlertEvent e : page) {
                sink.accept(e);
                last = e.id();
            }
            if (page.isEmpty()) {
                synchronized (lock) {
                    last = Math.max(last, memoryFloor);
                }
            }
        }
    }
}
