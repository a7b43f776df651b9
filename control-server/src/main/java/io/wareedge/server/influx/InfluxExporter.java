package io.wareedge.server.influx;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.wareedge.server.config.InfluxSettings;
import io.wareedge.server.registry.ChangeSet;
import io.wareedge.server.registry.DeviceChange;
import io.wareedge.server.registry.EdgeRegistry;
import io.wareedge.server.registry.Sample;
import io.wareedge.server.registry.TelemetryListener;
import io.wareedge.sparkplug.EdgeNodeId;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies device readings to InfluxDB in batches, so a short outage of InfluxDB loses nothing and a long one loses a
 * counted amount, while ingest never waits for it.
 *
 * <p>Schema: one measurement per device profile (its id, e.g. {@code conveyor-plc-opcua}), so a field keeps one type;
 * tags {@code site}, {@code agent}, {@code device}, {@code area}; one point per device and instant, its metrics as
 * fields (numbers as floats, booleans, strings). See docs/influxdb.md.
 *
 * <p>Threading: the ingest store thread calls {@link #stored} (it alone touches the device map) and appends to a bounded
 * buffer under its lock; when the buffer is full the oldest points are dropped and counted, never the ingest made to
 * wait. {@value #WRITERS} threads, {@value #THREAD_NAME}-1 and -2, take batches and write them: while one waits for
 * InfluxDB to store its batch, the other turns the next into line protocol, so the export keeps pace with what the
 * server takes from a plain writer (InfluxDB does not care in which order batches arrive). A failed batch stays in
 * its writer's hand and is retried with exponential backoff behind a circuit breaker (Resilience4j) shared by both,
 * while new points pile up in the buffer.
 * A batch InfluxDB refuses for good (a 4xx such as a field type conflict) is dropped and counted as rejected.
 */
public final class InfluxExporter implements TelemetryListener, AutoCloseable {
    static final String THREAD_NAME = "wareedge-influx";
    static final int WRITERS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(InfluxExporter.class);

    private final InfluxSettings settings;
    private final InfluxDB influx;
    private final CircuitBreaker breaker;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;

    private final Object lock = new Object();
    private final ArrayDeque<ExportLine> buffer = new ArrayDeque<>();

    /** Device → its series key, built once at its birth; ingest store thread only. */
    private final Map<String, String> seriesKeys = new HashMap<>();

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile String lastError;
    private volatile boolean databaseReady;

    /** @param knownSeries device ({@link #key}) → its series key ({@link #seriesKey}), for devices born before */
    InfluxExporter(InfluxSettings settings, InfluxDB influx, Map<String, String> knownSeries) {
        this.settings = settings;
        this.influx = influx;
        this.seriesKeys.putAll(knownSeries);
        this.breaker = CircuitBreaker.of("influxdb", CircuitBreakerConfig.custom()
                .slidingWindowSize(5)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        for (int i = 1; i <= WRITERS; i++) {
            writers.add(new Thread(this::run, THREAD_NAME + "-" + i));
        }
    }

    void start() {
        running = true;
        writers.forEach(Thread::start);
    }

    /** What the exporter has done since start. */
    public InfluxHealth health() {
        int buffered;
        synchronized (lock) {
            buffered = buffer.size();
        }
        return new InfluxHealth(true, settings.url(), settings.database(), buffered, written.get(), dropped.get(),
                rejected.get(), failedWrites.get(), breaker.getState().name(), lastError);
    }

    @Override
    public void stored(ChangeSet changes) {
        for (DeviceChange c : changes.deviceChanges()) {
            if (c.event() == DeviceChange.Event.BIRTH) {
                seriesKeys.put(key(c.node().groupId(), c.node().edgeNodeId(), c.device()),
                        seriesKey(c.profile(), c.node().groupId(), c.node().edgeNodeId(), c.device(), c.area()));
            }
        }
        if (settings.telemetry()) {
            offerSamples(changes.samples());
        }
    }

    /** Readings as ingest stores them: consecutive readings of one device at one instant become one point. */
    void offerSamples(List<Sample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        List<ExportLine> points = new ArrayList<>();
        // Consecutive samples of one device at one instant (one message's metrics) become one point.
        Sample first = null;
        List<String> names = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        SeriesOf series = new SeriesOf();
        for (Sample s : samples) {
            if (EdgeRegistry.NODE_LEVEL.equals(s.device()) || s.value() == null || s.value() instanceof byte[]) {
                continue;
            }
            if (first != null && !(s.timestamp() == first.timestamp() && sameDevice(s, first))) {
                points.add(new ExportLine.Telemetry(series.key(first), names, values, first.timestamp()));
                names = new ArrayList<>(names.size());
                values = new ArrayList<>(values.size());
            }
            if (names.isEmpty()) {
                first = s;
            }
            int same = names.indexOf(s.metric());
            if (same >= 0) { // one metric twice at one instant: the later value wins, as a map would have it
                values.set(same, s.value());
            } else {
                names.add(s.metric());
                values.add(s.value());
            }
        }
        if (first != null && !names.isEmpty()) {
            points.add(new ExportLine.Telemetry(series.key(first), names, values, first.timestamp()));
        }
        add(points);
    }

    /** A message's samples share their node and device objects: the record's equals is the slow way to see it. */
    private static boolean sameDevice(Sample a, Sample b) {
        return (a.node() == b.node() || a.node().equals(b.node()))
                && (a.device() == b.device() || a.device().equals(b.device()));
    }

    /** Series keys of the devices in one stored batch, whose samples come message by message, device by device. */
    private final class SeriesOf {
        private EdgeNodeId node;
        private String device;
        private String key;

        String key(Sample s) {
            if (s.node() != node || s.device() != device) {
                node = s.node();
                device = s.device();
                key = seriesKeys.get(InfluxExporter.key(node.groupId(), node.edgeNodeId(), device));
                if (key == null) { // not born since this server started: no profile, no area
                    key = seriesKey(null, node.groupId(), node.edgeNodeId(), device, null);
                }
            }
            return key;
        }
    }

    /** Adds points (KPIs, for example) to the buffer; never blocks. */
    public void offer(List<Point> points) {
        List<ExportLine> lines = new ArrayList<>(points.size());
        for (Point p : points) {
            lines.add(new ExportLine.ClientPoint(p));
        }
        add(lines);
    }

    private void add(List<ExportLine> points) {
        if (points.isEmpty()) {
            return;
        }
        synchronized (lock) {
            for (ExportLine p : points) {
                if (buffer.size() >= settings.bufferPoints()) {
                    buffer.removeFirst();
                    dropped.incrementAndGet();
                }
                buffer.addLast(p);
            }
            lock.notifyAll();
        }
    }

    private void run() {
        long backoff = 200;
        List<ExportLine> batch = new ArrayList<>();
        while (running) {
            try {
                if (batch.isEmpty()) {
                    take(batch);
                    if (batch.isEmpty()) {
                        continue;
                    }
                }
                if (!breaker.tryAcquirePermission()) {
                    Thread.sleep(250);
                    continue;
                }
                long t0 = System.nanoTime();
                try {
                    int lines = write(batch);
                    breaker.onSuccess(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                    written.addAndGet(lines);
                    batch.clear();
                    backoff = 200;
                } catch (InfluxDBException e) {
                    if (!e.isRetryWorth()) {
                        // Refused for good (bad line, field type conflict): retrying would block everything behind it.
                        breaker.onSuccess(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                        rejected.addAndGet(batch.size());
                        lastError = e.getMessage();
                        LOG.warn("InfluxDB refused a batch of {} points: {}", batch.size(), e.getMessage());
                        batch.clear();
                        continue;
                    }
                    throw e;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                breaker.onError(0, TimeUnit.NANOSECONDS, e);
                failedWrites.incrementAndGet();
                databaseReady = false;
                if (!e.toString().equals(lastError)) {
                    LOG.warn("writing {} points to InfluxDB failed (kept, retried): {}", batch.size(), e.toString());
                }
                lastError = e.toString();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
                backoff = Math.min(backoff * 2, settings.maxBackoff().toMillis());
            }
        }
    }

    /** Takes up to a batch, waiting until one is full or the flush interval has passed. */
    private void take(List<ExportLine> batch) throws InterruptedException {
        long deadline = System.currentTimeMillis() + settings.flushInterval().toMillis();
        synchronized (lock) {
            while (running && buffer.size() < settings.batchSize()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                lock.wait(left);
            }
            while (!buffer.isEmpty() && batch.size() < settings.batchSize()) {
                batch.add(buffer.removeFirst());
            }
        }
    }

    /** Returns the points written. */
    private int write(List<ExportLine> batch) {
        StringBuilder lines = new StringBuilder(batch.size() * 160);
        int empty = 0;
        for (ExportLine point : batch) {
            int mark = lines.length();
            if (mark > 0) {
                lines.append('\n');
            }
            if (!point.appendTo(lines)) {
                lines.setLength(mark);
                empty++;
            }
        }
        if (lines.length() == 0) {
            rejected.addAndGet(empty);
            return 0;
        }
        if (!databaseReady) {
            influx.query(new Query("CREATE DATABASE \"" + settings.database() + "\""));
            databaseReady = true;
        }
        influx.write(settings.database(), null, InfluxDB.ConsistencyLevel.ONE, TimeUnit.MILLISECONDS, lines.toString());
        if (empty > 0) {
            // Every field NaN or infinite: InfluxDB has no way to store such a point.
            rejected.addAndGet(empty);
        }
        return batch.size() - empty;
    }

    /** A device's measurement (its profile) and tags, escaped for line protocol. */
    static String seriesKey(String profile, String group, String node, String device, String area) {
        return ExportLine.seriesKey(profile == null || profile.isBlank() ? "telemetry" : profile, group, node, device,
                area);
    }

    static String key(String group, String node, String device) {
        return group + "/" + node + "/" + device;
    }

    @Override
    public void close() {
        running = false;
        synchronized (lock) {
            lock.notifyAll();
        }
        writers.forEach(Thread::interrupt);
        try {
            for (Thread t : writers) {
                t.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("InfluxDB exporter stopped ({} points written, {} buffered)", written.get(), health().buffered());
        influx.close();
    }
}
