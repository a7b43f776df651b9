package io.wareedge.server.sortation;

import io.wareedge.sortation.SortEvent;

/** A sort event as an edge agent reported it: which site and agent, and the agent's id for it. */
public record ReportedSortEvent(String site, String agent, long id, SortEvent event) {
}
