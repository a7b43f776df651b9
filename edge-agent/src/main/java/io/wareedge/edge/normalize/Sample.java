package io.wareedge.edge.normalize;

import java.util.List;

/** The readings one device produced at one moment (one record of one device message). */
public record Sample(String device, long timestampMillis, List<Reading> readings) {
    public Sample {
        readings = List.copyOf(readings);
    }
}
