package io.wareedge.edge.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link DurableOutbox}.
 *
 * @param directory    where segments live; one outbox per directory
 * @param maxBytes     bound on disk; reaching it applies {@code fullPolicy}
 * @param segmentBytes a segment is closed and a new one started past this size
 * @param fsyncEvery   how often written data is forced to the device; zero forces on every append. Process crashes
 *                     (kill -9) lose nothing either way, since every append is in the kernel before it returns; this
 *                     bounds what a power loss can take.
 */
public record OutboxSettings(Path directory, long maxBytes, long segmentBytes, Duration fsyncEvery,
                             OutboxFullPolicy fullPolicy) {
    public OutboxSettings {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(fsyncEvery, "fsyncEvery");
        Objects.requireNonNull(fullPolicy, "fullPolicy");
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes must be at least 4096, got " + segmentBytes);
        }
        if (maxBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException("maxBytes must be at least two segments (" + 2 * segmentBytes + "), got " + maxBytes);
        }
        if (fsyncEvery.isNegative()) {
            throw new IllegalArgumentException("fsyncEvery must not be negative, got " + fsyncEvery);
        }
    }

    public static OutboxSettings defaults(Path directory) {
        return new OutboxSettings(directory, 256L << 20, 8L << 20, Duration.ofMillis(200), OutboxFullPolicy.DROP_OLDEST);
    }
}
