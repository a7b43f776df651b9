package io.wareedge.server.registry;

import io.wareedge.sparkplug.EdgeNodeId;

/**
 * An edge node came online (NBIRTH) or went offline (NDEATH of its current session).
 *
 * @param bdSeq the birth/death sequence of the session the change belongs to
 * @param at    epoch milliseconds of the birth or death
 */
public record NodeChange(EdgeNodeId node, boolean online, long bdSeq, long at) {
}
