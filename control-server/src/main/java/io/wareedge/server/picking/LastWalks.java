package io.wareedge.server.picking;

import io.wareedge.server.picking.PickingViews.TaskView;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The walk (held tasks in order) this server last answered to each picker. A confirmation of a task in it needs
 * neither to read the task nor to read the walk back afterwards: it is only a hint, because the write that records
 * the pick is guarded by the task's state in the database and returns the walk's ids and picked units as the
 * database had them, so a walk changed meanwhile (by another server, a time-out, a zone fault) is noticed and read
 * again. Read and written by any request thread; the lists are immutable.
 */
final class LastWalks {
    /** More pickers than a site has handhelds: start over rather than grow. */
    private static final int MAX_PICKERS = 10_000;

    private final Map<String, List<TaskView>> byBadge = new ConcurrentHashMap<>();

    void remember(String badge, List<TaskView> walk) {
        if (byBadge.size() >= MAX_PICKERS) {
            byBadge.clear();
        }
        byBadge.put(badge, List.copyOf(walk));
    }

    /** The walk last answered, or null. */
    List<TaskView> walk(String badge) {
        return byBadge.get(badge);
    }

    void forget(String badge) {
        byBadge.remove(badge);
    }
}
