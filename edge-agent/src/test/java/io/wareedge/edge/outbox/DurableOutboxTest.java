package io.wareedge.edge.outbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DurableOutboxTest {

    @TempDir
    Path dir;

    private OutboxSettings small(OutboxFullPolicy policy) {
        return new OutboxSettings(dir, 3 * 4096, 4096, Duration.ofMillis(50), policy);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<OutboxRecord> records) {
        return records.stream().map(r -> new String(r.body(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void readsBackInOrderAndAcknowledgedRecordsAreNotReadAgainAfterRestart() throws Exception {
        long first;
        try (DurableOutbox outbox = DurableOutbox.open(OutboxSettings.defaults(dir))) {
            first = outbox.nextSeq();
            outbox.append(0, List.of(b("a"), b("b"), b("c")));
            List<OutboxRecord> read = outbox.read(2, Duration.ZERO);
            assertThat(texts(read)).containsExactly("a", "b");
            assertThat(read.get(0).seq()).isEqualTo(first);
            outbox.ack(read.get(1).seq());
        }
        try (DurableOutbox outbox = DurableOutbox.open(OutboxSettings.defaults(dir))) {
            List<OutboxRecord> read = outbox.read(10, Duration.ZERO);
            assertThat(texts(read)).containsExactly("c");
            assertThat(read.get(0).seq()).isEqualTo(first + 2);
            assertThat(outbox.nextSeq()).isEqualTo(first + 3);
        }
    }

    /** A backlog of large records comes out a few megabytes at a time, however many records were asked for. */
    @Test
    void aReadStopsOnceItsBodiesReachTheByteBound() throws Exception {
        int size = DurableOutbox.MAX_READ_BYTES / 4 + 1; // the fourth record crosses the bound
        try (DurableOutbox outbox = DurableOutbox.open(OutboxSettings.defaults(dir))) {
            for (int i = 0; i < 10; i++) {
                byte[] body = new byte[size];
                body[0] = (byte) i;
                outbox.append(0, body);
            }
            List<OutboxRecord> first = outbox.read(100, Duration.ZERO);
            assertThat(first).hasSize(4);
            List<OutboxRecord> next = outbox.read(100, Duration.ZERO);
            assertThat(next).hasSize(4);
            assertThat(next.get(0).body()[0]).isEqualTo((byte) 4);
            assertThat(outbox.read(100, Duration.ZERO)).hasSize(2);
        }
    }

    @Test
    void unacknowledgedRecordsAreReadAgainAfterRewind() throws Exception {
        try (DurableOutbox outbox = DurableOutbox.open(OutboxSettings.defaults(dir))) {
            outbox.append(0, List.of(b("a"), b("b")));
            assertThat(texts(outbox.read(10, Duration.ZERO))).containsExactly("a", "b");
            assertThat(outbox.read(10, Duration.ZERO)).isEmpty();
            outbox.rewind();
            assertThat(texts(outbox.read(10, Duration.ZERO))).containsExactly("a", "b");
        }
    }

    @Test
    void tornTailFromACrashIsTruncatedAndEverythingBeforeItSurvives() throws Exception {
        try (DurableOutbox outbox = DurableOutbox.open(OutboxSettings.defaults(dir))) {
            outbox.append(0, List.of(b("one"), b("two")));
        }
        Path segment;
        try (Stream<Path> s = Files.list(dir)) {
            segment = s.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            // half a record: a length that promises more bytes than follow
            ch.write(ByteBuffer.allocate(10).putInt(0, 100), ch.size());
        }
        try (DurableOutbox outbox = DurableOutbox.open(OutboxSettings.defaults(dir))) {
            assertThat(texts(outbox.read(10, Duration.ZERO))).containsExactly("one", "two");
            outbox.append(0, b("three"));
            assertThat(texts(outbox.read(10, Duration.ZERO))).containsExactly("three");
        }
    }

    @Test
    void recordsOfAnOutboxThatWasNeverClosedAreReadByTheNextOpen() throws Exception {
        // a killed agent neither closes nor forces: what it appended is in the kernel, not on the device
        DurableOutbox killed = DurableOutbox.open(OutboxSettings.defaults(dir));
        killed.append(0, List.of(b("one"), b("two")));
        killed.append(0, b("three"));
        try (DurableOutbox next = DurableOutbox.open(OutboxSettings.defaults(dir))) {
            assertThat(texts(next.read(10, Duration.ZERO))).containsExactly("one", "two", "three");
        }
        killed.close();
    }

    @Test
    void dropOldestKeepsTheBoundAndCountsWhatWasLost() throws Exception {
        byte[] kb = new byte[1000];
        try (DurableOutbox outbox = DurableOutbox.open(small(OutboxFullPolicy.DROP_OLDEST))) {
            for (int i = 0; i < 40; i++) {
                outbox.append(0, kb);
            }
            OutboxStats stats = outbox.stats();
            assertThat(stats.bytes()).isLessThanOrEqualTo(3 * 4096);
            assertThat(stats.dropped()).isPositive();
            assertThat(stats.pending() + stats.dropped()).isEqualTo(40);
            List<OutboxRecord> rest = outbox.read(100, Duration.ZERO);
            assertThat(rest).hasSize((int) stats.pending());
            assertThat(rest.get(rest.size() - 1).seq()).isEqualTo(outbox.nextSeq() - 1);
        }
    }

    @Test
    void rejectNewKeepsWhatIsQueuedAndCountsTheRefused() {
        byte[] kb = new byte[1000];
        try (DurableOutbox outbox = DurableOutbox.open(small(OutboxFullPolicy.REJECT_NEW))) {
            int accepted = 0;
            for (int i = 0; i < 40; i++) {
                if (outbox.append(0, kb) >= 0) {
                    accepted++;
                }
            }
            OutboxStats stats = outbox.stats();
            assertThat(stats.rejected()).isEqualTo(40 - accepted);
            assertThat(stats.pending()).isEqualTo(accepted);
            assertThat(stats.dropped()).isZero();
        }
    }

    @Test
    void fullyAcknowledgedSegmentsAreDeleted() throws Exception {
        byte[] kb = new byte[1000];
        try (DurableOutbox outbox = DurableOutbox.open(new OutboxSettings(dir, 1 << 20, 4096, Duration.ZERO, OutboxFullPolicy.DROP_OLDEST))) {
            for (int i = 0; i < 20; i++) {
                outbox.append(0, kb);
            }
            List<OutboxRecord> all = outbox.read(100, Duration.ZERO);
            outbox.ack(all.get(all.size() - 1).seq());
            assertThat(outbox.stats().pending()).isZero();
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.filter(p -> p.toString().endsWith(".seg")).count()).isEqualTo(1);
        }
    }

    @Test
    void fingerprintsOfAppendedMessagesSurviveARestart() {
        try (DurableOutbox outbox = DurableOutbox.open(OutboxSettings.defaults(dir))) {
            outbox.append(12345L, b("x"));
            assertThat(outbox.recentlyAppended(12345L)).isTrue();
        }
        try (DurableOutbox outbox = DurableOutbox.open(OutboxSettings.defaults(dir))) {
            assertThat(outbox.recentlyAppended(12345L)).isTrue();
            assertThat(outbox.recentlyAppended(999L)).isFalse();
        }
    }

    @Test
    void readerWaitsForTheNextAppend() throws Exception {
        try (DurableOutbox outbox = DurableOutbox.open(OutboxSettings.defaults(dir))) {
            List<List<OutboxRecord>> got = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try {
                    got.add(outbox.read(10, Duration.ofSeconds(10)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            reader.start();
            outbox.append(0, b("late"));
            reader.join(10_000);
            assertThat(texts(got.get(0))).containsExactly("late");
        }
    }

    @Test
    void readsManyRecordsAcrossChunksAndRecordsLargerThanTheReadBuffer() throws Exception {
        try (DurableOutbox outbox = DurableOutbox.open(OutboxSettings.defaults(dir))) {
            List<byte[]> bodies = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                bodies.add(b("record-" + i));
            }
            outbox.append(0, bodies);
            byte[] big = new byte[600 * 1024];
            big[big.length - 1] = 7;
            outbox.append(0, big);
            outbox.append(0, b("after"));
            List<OutboxRecord> all = new ArrayList<>();
            List<OutboxRecord> batch;
            while (!(batch = outbox.read(777, Duration.ZERO)).isEmpty()) {
                all.addAll(batch);
            }
            assertThat(all).hasSize(20_002);
            assertThat(new String(all.get(19_999).body(), StandardCharsets.UTF_8)).isEqualTo("record-19999");
            assertThat(all.get(20_000).body()).hasSize(600 * 1024).endsWith((byte) 7);
            assertThat(new String(all.get(20_001).body(), StandardCharsets.UTF_8)).isEqualTo("after");
            for (int i = 1; i < all.size(); i++) {
                assertThat(all.get(i).seq()).isEqualTo(all.get(i - 1).seq() + 1);
            }
        }
    }

    @Test
    void seqsOfAFreshOutboxStartFromTheClockSoARecreatedOneDoesNotReuseIds() throws IOException {
        long before = System.currentTimeMillis() * 1000L;
        try (DurableOutbox outbox = DurableOutbox.open(OutboxSettings.defaults(dir.resolve("fresh")))) {
            assertThat(outbox.nextSeq()).isGreaterThanOrEqualTo(before);
        }
    }
}
