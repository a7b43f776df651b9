package io.wareedge.server.registry;

import java.time.Instant;

/**
 * An event an edge agent reported through its outbox (an interlock firing), as stored.
 *
 * @param id   the agent's outbox sequence of the event: with site, agent and kind, its identity (replays are
 *             stored once)
 * @param json the event as the agent sent it (a JSON object)
 */
public record EdgeEvent(String site, String agent, String kind, long id, Instant at, String json) {
}
