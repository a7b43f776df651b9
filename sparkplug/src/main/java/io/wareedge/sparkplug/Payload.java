package io.wareedge.sparkplug;

import java.util.List;

/**
 * A decoded Sparkplug B payload.
 *
 * @param timestamp epoch milliseconds of the message
 * @param seq the message sequence number 0..255, or -1 when absent (NDEATH, NCMD/DCMD)
 */
public record Payload(long timestamp, long seq, List<Metric> metrics) {
    public Payload {
        metrics = List.copyOf(metrics);
    }

    /** The first metric of that name, or null. */
    public Metric metric(String name) {
        for (Metric m : metrics) {
            if (name.equals(m.name())) {
                return m;
            }
        }
        return null;
    }
}
