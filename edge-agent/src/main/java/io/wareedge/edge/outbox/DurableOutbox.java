package io.wareedge.edge.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A durable store-and-forward queue on local disk: everything bound upstream is appended here first, and the
 * uplink reads it back, publishes it and acknowledges it. Nothing leaves the outbox before its acknowledgement, so
 * an uplink outage or a crash of the agent loses nothing that was appended.
 *
 * <p>Layout: segment files {@code <first seq>.seg} of records {@code [int length][int crc32c][long seq]
 * [long fingerprint][body]}, plus a file {@code ack} holding the highest acknowledged seq. On open, a torn tail
 * (a record cut short by a crash) is truncated and reading resumes after the acknowledged seq: delivery is
 * at-least-once, and each record's seq is the identity that lets receivers drop a replay.
 *
 * <p>Threading: any thread may append; one consumer thread (the uplink) reads, rewinds and acknowledges. All state
 * is guarded by one monitor; reads are positional reads served from the page cache. A background thread
 * ({@code outbox-fsync}) forces written data to the device at the configured interval.
 */
public final class DurableOutbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableOutbox.class);
    private static final int HEADER = 24;
    private static final int MAX_BODY = 16 << 20;
    private static final int FINGERPRINTS_KEPT = 8192;
    /** Bytes of record bodies one read hands out at most (plus the one record that crosses it). */
    public static final int MAX_READ_BYTES = 4 << 20;

    private final OutboxSettings settings;
    private final Object lock = new Object();
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final FileChannel ackChannel;
    private final ScheduledExecutorService syncer;
    /**
     * The fingerprints of the last {@value #FINGERPRINTS_KEPT} appends, as a ring. Written on every append, read only
     * for a message the broker flags as redelivered (rare), so a scan there beats a hash set's upkeep here.
     */
    private final long[] recentFingerprints = new long[FINGERPRINTS_KEPT];
    private int nextFingerprintSlot;

    private Segment active;
    private long nextSeq;
    private long acked;
    private long totalBytes;
    private boolean dirty;
    private boolean closed;
    private boolean readerWaiting;

    // Reader position: the next seq to hand out, and where it sits.
    private long readSeq;
    private Segment readSegment;
    private long readPosition;
    private final byte[] readBuffer = new byte[256 * 1024];

    private long appended;
    private long dropped;
    private long rejected;

    private DurableOutbox(OutboxSettings settings) throws IOException {
        this.settings = settings;
        Files.createDirectories(settings.directory());
        ackChannel = FileChannel.open(settings.directory().resolve("ack"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        acked = readAck();
        recover();
        if (!settings.fsyncEvery().isZero()) {
            syncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "outbox-fsync");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(1, settings.fsyncEvery().toMillis());
            syncer.scheduleWithFixedDelay(this::syncQuietly, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            syncer = null;
        }
    }

    /** Opens (or creates) the outbox in its directory, recovering what a crash left behind. */
    public static DurableOutbox open(OutboxSettings settings) {
        try {
            return new DurableOutbox(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open outbox in " + settings.directory(), e);
        }
    }

    /**
     * Appends records as one write. Returns the seq of the last record, or -1 when the outbox is full and its
     * policy is {@link OutboxFullPolicy#REJECT_NEW} (the records are counted as rejected).
     */
    public long append(long fingerprint, List<byte[]> bodies) {
        if (bodies.isEmpty()) {
            return -1;
        }
        int size = 0;
        for (byte[] b : bodies) {
            if (b.length > MAX_BODY) {
                throw new IllegalArgumentException("record of " + b.length + " bytes exceeds " + MAX_BODY);
            }
            size += HEADER + b.length;
        }
        synchronized (lock) {
            ensureOpen();
            if (!makeRoom(size)) {
                rejected += bodies.size();
                return -1;
            }
            if (active == null || active.size + size > settings.segmentBytes() && active.size > 0) {
                roll();
            }
            ByteBuffer buf = ByteBuffer.allocate(size);
            long seq = nextSeq;
            for (byte[] body : bodies) {
                buf.putInt(body.length);
                int crcAt = buf.position();
                buf.putInt(0).putLong(seq).putLong(fingerprint).put(body);
                buf.putInt(crcAt, crc(buf.array(), crcAt + 4, 16 + body.length));
                seq++;
            }
            buf.flip();
            try {
                long pos = active.size;
                while (buf.hasRemaining()) {
                    pos += active.channel.write(buf, pos);
                }
                if (settings.fsyncEvery().isZero()) {
                    active.channel.force(false);
                } else {
                    dirty = true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("outbox write failed in " + active.path, e);
            }
            active.size += size;
            active.lastSeq = seq - 1;
            totalBytes += size;
            nextSeq = seq;
            appended += bodies.size();
            if (fingerprint != 0) {
                rememberFingerprint(fingerprint);
            }
            if (readerWaiting) {
                lock.notifyAll(); // a wake-up is a system call: only when the reader sleeps
            }
            return seq - 1;
        }
    }

    /** Convenience for one record. */
    public long append(long fingerprint, byte[] body) {
        return append(fingerprint, List.of(body));
    }

    /**
     * Up to {@code max} records after the reader's position, waiting up to {@code wait} for the first one; fewer once
     * their bodies reach {@link #MAX_READ_BYTES} (the record that crosses it is included), so a backlog of large
     * records does not fill a small gateway's heap. For the consumer thread only.
     */
    public List<OutboxRecord> read(int max, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            while (readSeq >= nextSeq && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                readerWaiting = true;
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } finally {
                    readerWaiting = false;
                }
            }
            ensureOpen();
            return readLocked(max);
        }
    }

    /**
     * Marks every record up to {@code seq} as delivered; segments wholly delivered are deleted.
     * For the consumer thread only.
     */
    public void ack(long seq) {
        synchronized (lock) {
            if (seq <= acked) {
                return;
            }
            acked = Math.min(seq, nextSeq - 1);
            try {
                ackChannel.write(ByteBuffer.allocate(8).putLong(0, acked), 0);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot persist outbox ack", e);
            }
            while (segments.size() > 1) {
                Map.Entry<Long, Segment> oldest = segments.firstEntry();
                if (oldest.getValue() == active || oldest.getValue().lastSeq > acked) {
                    break;
                }
                delete(oldest.getValue());
            }
        }
    }

    /** Moves the reader back to the first record not yet acknowledged (after a failed delivery). */
    public void rewind() {
        synchronized (lock) {
            positionReaderAfter(acked);
        }
    }

    /** Whether a message with this fingerprint was appended recently (survives restarts). */
    public boolean recentlyAppended(long fingerprint) {
        synchronized (lock) {
            for (long f : recentFingerprints) {
                if (f == fingerprint) {
                    return fingerprint != 0;
                }
            }
            return false;
        }
    }

    /** The seq the next appended record will get. */
    public long nextSeq() {
        synchronized (lock) {
            return nextSeq;
        }
    }

    public OutboxStats stats() {
        synchronized (lock) {
            return new OutboxStats(Math.max(0, nextSeq - 1 - acked), totalBytes, appended, dropped, rejected, acked);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
        }
        if (syncer != null) {
            syncer.shutdownNow();
        }
        synchronized (lock) {
            try {
                for (Segment s : segments.values()) {
                    s.channel.force(false);
                    s.channel.close();
                }
                ackChannel.force(false);
                ackChannel.close();
            } catch (IOException e) {
                LOG.warn("closing outbox: {}", e.toString());
            }
        }
    }

    // ---- internals, all under lock ----

    private List<OutboxRecord> readLocked(int max) {
        List<OutboxRecord> out = new ArrayList<>(Math.min(max, 256));
        long bytes = 0;
        try {
            while (out.size() < max && bytes < MAX_READ_BYTES && readSeq < nextSeq) {
                if (readSegment == null || readPosition >= readSegment.size) {
                    Map.Entry<Long, Segment> next = readSegment == null ? segments.firstEntry()
                            : segments.higherEntry(readSegment.firstSeq);
                    if (next == null) {
                        break;
                    }
                    readSegment = next.getValue();
                    readPosition = 0;
                    continue;
                }
                // One positional read fetches many records; a record larger than the buffer gets a read of its own.
                long available = readSegment.size - readPosition;
                int limit = (int) Math.min(readBuffer.length, available);
                readFully(readSegment.channel, ByteBuffer.wrap(readBuffer, 0, limit), readPosition);
                int pos = 0;
                ByteBuffer view = ByteBuffer.wrap(readBuffer, 0, limit);
                while (out.size() < max && bytes < MAX_READ_BYTES && pos + HEADER <= limit) {
                    int length = view.getInt(pos);
                    long seq = view.getLong(pos + 8);
                    long fingerprint = view.getLong(pos + 16);
                    byte[] body = new byte[length];
                    if (pos + HEADER + length <= limit) {
                        System.arraycopy(readBuffer, pos + HEADER, body, 0, length);
                    } else if (pos == 0) {
                        readFully(readSegment.channel, ByteBuffer.wrap(body), readPosition + HEADER);
                    } else {
                        break;
                    }
                    pos += HEADER + length;
                    if (seq >= readSeq) {
                        out.add(new OutboxRecord(seq, fingerprint, body));
                        bytes += length;
                        readSeq = seq + 1;
                    }
                }
                readPosition += pos;
                if (pos == 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("outbox read failed", e);
        }
        return out;
    }

    private boolean makeRoom(int size) {
        while (totalBytes + size > settings.maxBytes()) {
            if (settings.fullPolicy() == OutboxFullPolicy.REJECT_NEW || segments.size() < 2) {
                return settings.fullPolicy() != OutboxFullPolicy.REJECT_NEW;
            }
            Segment oldest = segments.firstEntry().getValue();
            long lost = Math.max(0, oldest.lastSeq - Math.max(acked, oldest.firstSeq - 1));
            dropped += lost;
            LOG.warn("outbox full ({} bytes): dropped {} undelivered records {}..{}", totalBytes, lost,
                    oldest.firstSeq, oldest.lastSeq);
            boolean readerInside = readSegment == oldest;
            delete(oldest);
            if (oldest.lastSeq > acked) {
                acked = oldest.lastSeq;
                try {
                    ackChannel.write(ByteBuffer.allocate(8).putLong(0, acked), 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (readerInside || readSeq <= oldest.lastSeq) {
                positionReaderAfter(acked);
            }
        }
        return true;
    }

    private void roll() {
        try {
            Path path = settings.directory().resolve(String.format("%020d.seg", nextSeq));
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (active != null) {
                active.channel.force(false);
            }
            active = new Segment(path, nextSeq, ch);
            segments.put(nextSeq, active);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start outbox segment", e);
        }
    }

    private void delete(Segment s) {
        segments.remove(s.firstSeq);
        totalBytes -= s.size;
        if (readSegment == s) {
            readSegment = null;
            readPosition = 0;
        }
        if (active == s) {
            active = null;
        }
        try {
            s.channel.close();
            Files.deleteIfExists(s.path);
        } catch (IOException e) {
            LOG.warn("cannot delete outbox segment {}: {}", s.path, e.toString());
        }
    }

    private void positionReaderAfter(long seq) {
        readSeq = seq + 1;
        readSegment = null;
        readPosition = 0;
        Map.Entry<Long, Segment> e = segments.floorEntry(readSeq);
        if (e != null) {
            readSegment = e.getValue();
        }
    }

    private void recover() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(settings.directory())) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
        long lastSeq = -1;
        List<Long> tailFingerprints = new ArrayList<>();
        for (Path p : files) {
            long first = Long.parseLong(p.getFileName().toString().replace(".seg", ""));
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Segment seg = new Segment(p, first, ch);
            seg.lastSeq = first - 1;
            long pos = 0;
            long fileSize = ch.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos + HEADER <= fileSize) {
                header.clear();
                readFully(ch, header, pos);
                int length = header.getInt(0);
                if (length < 0 || length > MAX_BODY || pos + HEADER + length > fileSize) {
                    break;
                }
                ByteBuffer rec = ByteBuffer.allocate(16 + length);
                readFully(ch, rec, pos + 8);
                if (crc(rec.array(), 0, rec.capacity()) != header.getInt(4)) {
                    break;
                }
                seg.lastSeq = header.getLong(8);
                long fp = header.getLong(16);
                if (fp != 0) {
                    tailFingerprints.add(fp);
                    if (tailFingerprints.size() > 2 * FINGERPRINTS_KEPT) {
                        tailFingerprints.subList(0, FINGERPRINTS_KEPT).clear();
                    }
                }
                pos += HEADER + length;
            }
            if (pos < fileSize) {
                LOG.warn("outbox segment {}: truncating {} bytes of a torn write", p.getFileName(), fileSize - pos);
                ch.truncate(pos);
            }
            seg.size = pos;
            if (seg.size == 0 && seg.lastSeq < first) {
                ch.close();
                Files.delete(p);
                continue;
            }
            segments.put(first, seg);
            totalBytes += pos;
            lastSeq = Math.max(lastSeq, seg.lastSeq);
        }
        tailFingerprints.forEach(this::rememberFingerprint);
        if (lastSeq < 0 && acked == 0) {
            // A fresh outbox starts its seqs from the clock (µs-scale), so a wiped and recreated outbox does not
            // reuse ids a receiver has already seen.
            acked = System.currentTimeMillis() * 1000L - 1;
            ackChannel.write(ByteBuffer.allocate(8).putLong(0, acked), 0);
        }
        nextSeq = Math.max(lastSeq, acked) + 1;
        active = segments.isEmpty() ? null : segments.lastEntry().getValue();
        positionReaderAfter(acked);
        long pending = nextSeq - 1 - acked;
        if (pending > 0) {
            LOG.info("outbox {}: {} records waiting from before the restart", settings.directory(), pending);
        }
    }

    private long readAck() throws IOException {
        if (ackChannel.size() < 8) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.allocate(8);
        readFully(ackChannel, b, 0);
        return b.getLong(0);
    }

    private void rememberFingerprint(long fp) {
        recentFingerprints[nextFingerprintSlot] = fp;
        nextFingerprintSlot = (nextFingerprintSlot + 1) % FINGERPRINTS_KEPT;
    }

    /**
     * Forces written data to the device outside the lock: an fsync can take tens of milliseconds, and appends (a
     * sorter waiting for its divert command) must not wait for it. A segment closed meanwhile was forced by whoever
     * closed it.
     */
    private void syncQuietly() {
        FileChannel segment;
        synchronized (lock) {
            if (!dirty || closed) {
                return;
            }
            dirty = false;
            segment = active == null ? null : active.channel;
        }
        try {
            if (segment != null) {
                segment.force(false);
            }
            ackChannel.force(false);
        } catch (java.nio.channels.ClosedChannelException e) {
            // rolled over or closing: forced there
        } catch (IOException e) {
            LOG.warn("outbox fsync failed: {}", e.toString());
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("outbox is closed");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of outbox segment");
            }
        }
    }

    private static int crc(byte[] data, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(data, off, len);
        return (int) c.getValue();
    }

    private static final class Segment {
        final Path path;
        final long firstSeq;
        final FileChannel channel;
        long size;
        long lastSeq;

        Segment(Path path, long firstSeq, FileChannel channel) {
            this.path = path;
            this.firstSeq = firstSeq;
            this.channel = channel;
            this.lastSeq = firstSeq - 1;
        }
    }
}
