package io.wareedge.server.registry;

import io.wareedge.sparkplug.EdgeNodeId;

/**
 * Something happened to a device: born, dead, or simply heard from (which keeps it from going stale).
 *
 * @param profile device profile id from the DBIRTH's {@code Device/Profile} metric (births only, may be null)
 * @param kind    device kind from the DBIRTH's {@code Device/Kind} metric (births only, may be null)
 * @param area    the warehouse area (line, zone) from the DBIRTH's {@code Device/Area} metric (births only, may be null)
 * @param at      epoch milliseconds
 */
public record DeviceChange(EdgeNodeId node, String device, Event event, String profile, String kind, String area,
                           long at) {

    public enum Event { BIRTH, DEATH, SEEN }
}
