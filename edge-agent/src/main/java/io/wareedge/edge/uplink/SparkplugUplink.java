package io.wareedge.edge.uplink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wareedge.edge.config.AgentConfig;
import io.wareedge.sparkplug.MessageCallback;
import io.wareedge.edge.connect.ReconnectLoop;
import io.wareedge.edge.health.AgentCounters;
import io.wareedge.edge.ingest.BoundDevice;
import io.wareedge.edge.ingest.DeviceIngest;
import io.wareedge.edge.ingest.LastValue;
import io.wareedge.edge.normalize.Quality;
import io.wareedge.edge.normalize.Reading;
import io.wareedge.edge.outbox.DurableOutbox;
import io.wareedge.edge.outbox.OutboundCodec;
import io.wareedge.edge.outbox.OutboundMessage;
import io.wareedge.edge.outbox.OutboxRecord;
import io.wareedge.edge.outbox.OutboxStats;
import io.wareedge.profiles.Access;
import io.wareedge.profiles.Resource;
import io.wareedge.sparkplug.DataType;
import io.wareedge.sparkplug.EncodedMetrics;
import io.wareedge.sparkplug.InvalidPayloadException;
import io.wareedge.sparkplug.MessageType;
import io.wareedge.sparkplug.Metric;
import io.wareedge.sparkplug.NodeControl;
import io.wareedge.sparkplug.Payload;
import io.wareedge.sparkplug.PayloadCodec;
import io.wareedge.sparkplug.SparkplugTopic;
import io.wareedge.sparkplug.StatePayload;
import io.wareedge.sparkplug.TcpNoDelaySocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The uplink to the control plane: a Sparkplug B 3.0 edge node on MQTT that drains the durable outbox.
 *
 * <p>On every connection it publishes NBIRTH (with {@code bdSeq}, matching the NDEATH registered as its will) and a
 * DBIRTH for every device (followed by DDEATH for devices that are offline), then sends the outbox in order as
 * DDATA. A record leaves the outbox only when the broker has acknowledged the message that carried it (QoS 1), so
 * an outage or a crash replays instead of losing; every metric carries the record's seq as its {@code readingId}
 * property, so the host drops a replay. Records queued before the current connection go out flagged historical.
 *
 * <p>Threading: the {@code sparkplug-uplink} thread owns publishing, {@code seq}, the in-flight window and the
 * outbox reader. Paho's callback thread only raises flags (rebirth asked, host state, connection lost); the
 * reconnect loop's thread connects and then hands over to the uplink thread.
 */
public final class SparkplugUplink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SparkplugUplink.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_WINDOW = 64;
    /**
     * Records per published batch at most: only a backlog fills it, so it adds no latency when the uplink keeps up.
     * Large enough that at 60,000 samples/s a data window of 250 ms is not cut short (15,000 records): at 5,000 the
     * window closed after 83 ms, and the whole path took a quarter more CPU per sample for its three times as many
     * DDATA (bench, docs/benchmarks.md). The outbox bounds a batch's bytes.
     */
    private static final int READ_BATCH = 20_000;
    private static final int MAX_EVENTS_PER_MESSAGE = 500;
    private static final int LINGER_BELOW = 50;
    private static final Duration LINGER = Duration.ofMillis(5);
    /** How often a waiting batch looks for more: an event that arrives meanwhile waits no longer than {@link #LINGER}. */
    private static final long GATHER_STEP_MILLIS = LINGER.toMillis();

    private final AgentConfig config;
    private final DurableOutbox outbox;
    private final DeviceIngest ingest;
    private final AgentCounters counters;
    private final Clock clock;
    private final MqttAsyncClient client;
    private final ReconnectLoop reconnect;
    private final Thread thread;
    private final Path bdSeqFile;
    private final long dataWindowMillis;
    private final Map<String, Map<String, DataType>> metricTypes = new HashMap<>();
    /** DDATA topic per device; read and filled by the uplink thread only. */
    private final Map<String, String> dataTopics = new HashMap<>();
    private final String deadLetterTopic;
    private final String eventTopicPrefix;
    private final List<ControlPlaneListener> listeners;

    private final AtomicBoolean birthNeeded = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger connection = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicBoolean rebirthRequested = new AtomicBoolean();
    private volatile boolean connected;
    private volatile boolean hostOnline;
    private volatile long hostStateTimestamp;
    private volatile int window = 10;
    private volatile boolean closed;
    private long bdSeq;

    // Owned by the uplink thread.
    private int connectionSeen;
    private long seq;
    private long historicalUpTo;
    private long nextStatsAt;
    private final Deque<InFlight> inFlight = new ArrayDeque<>();

    private record InFlight(IMqttToken token, long lastRecordSeq) {
    }

    public SparkplugUplink(AgentConfig config, DurableOutbox outbox, DeviceIngest ingest, AgentCounters counters,
                           Clock clock) {
        this(config, outbox, ingest, counters, clock, List.of());
    }

    public SparkplugUplink(AgentConfig config, DurableOutbox outbox, DeviceIngest ingest, AgentCounters counters,
                           Clock clock, List<ControlPlaneListener> listeners) {
        this.config = config;
        this.listeners = List.copyOf(listeners);
        this.outbox = outbox;
        this.ingest = ingest;
        this.counters = counters;
        this.clock = clock;
        this.bdSeqFile = config.dataDir().resolve("bdseq");
        this.dataWindowMillis = config.uplink().dataWindow().toMillis();
        this.deadLetterTopic = "wareedge/" + config.site() + "/" + config.agentId() + "/deadletter";
        this.eventTopicPrefix = "wareedge/" + config.site() + "/" + config.agentId() + "/events/";
        for (BoundDevice d : ingest.devices()) {
            Map<String, DataType> types = new LinkedHashMap<>();
            for (Resource r : d.profile().resources()) {
                if (r.access() != Access.WRITE) {
                    types.put(r.name(), MetricTypes.of(r.type()));
                }
            }
            metricTypes.put(d.name(), types);
        }
        try {
            Files.createDirectories(config.dataDir());
            client = new MqttAsyncClient(config.uplink().url(), config.uplink().clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("uplink.url: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client.setCallback(new Callback());
        reconnect = new ReconnectLoop("uplink", config.uplink().initialBackoff(), config.uplink().maxBackoff(), this::connect);
        thread = new Thread(this::run, "sparkplug-uplink");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
        reconnect.start();
    }

    public boolean isConnected() {
        return connected;
    }

    /** Whether the uplink may send: connected, and the primary host (if one is configured) is online. */
    public boolean isSending() {
        return connected && (config.uplink().primaryHostId() == null || hostOnline);
    }

    // ---- connection (reconnect thread) ----

    private Void connect() throws MqttException {
        if (client.isConnected()) {
            return null;
        }
        bdSeq = nextBdSeq();
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setKeepAliveInterval((int) config.uplink().keepAlive().toSeconds());
        options.setConnectionTimeout(10);
        options.setSocketFactory(TcpNoDelaySocketFactory.INSTANCE);
        MqttMessage will = new MqttMessage(PayloadCodec.encode(new Payload(clock.millis(), -1,
                List.of(Metric.of(NodeControl.BD_SEQ, clock.millis(), DataType.INT64, bdSeq)))));
        will.setQos(1);
        options.setWill(nodeTopic(MessageType.NDEATH), will);
        IMqttToken token = client.connect(options);
        token.waitForCompletion(15_000);
        MqttProperties props = token.getResponseProperties();
        Integer receiveMaximum = props == null ? null : props.getReceiveMaximum();
        window = Math.max(1, Math.min(MAX_WINDOW, receiveMaximum == null ? 65_535 : receiveMaximum));
        List<String> subs = new ArrayList<>(List.of(nodeTopic(MessageType.NCMD)));
        listeners.forEach(l -> l.topics().forEach(subs::add));
        if (config.uplink().primaryHostId() != null) {
            hostOnline = false;
            subs.add(SparkplugTopic.state(config.uplink().primaryHostId()).toString());
        }
        int[] qos = new int[subs.size()];
        java.util.Arrays.fill(qos, 1);
        client.subscribe(subs.toArray(String[]::new), qos).waitForCompletion(15_000);
        counters.uplinkConnects.increment();
        LOG.info("uplink connected to {} as {}/{} (bdSeq {}, window {})", config.uplink().url(), config.site(),
                config.agentId(), bdSeq, window);
        connection.incrementAndGet();
        connected = true;
        return null;
    }

    private long nextBdSeq() {
        try {
            long previous = Files.exists(bdSeqFile) ? Long.parseLong(Files.readString(bdSeqFile).trim()) : -1;
            long next = (previous + 1) % 256;
            Files.writeString(bdSeqFile, Long.toString(next));
            return next;
        } catch (IOException | NumberFormatException e) {
            LOG.warn("bdSeq file {} unreadable ({}); starting from 0", bdSeqFile, e.toString());
            return 0;
        }
    }

    // ---- publishing (uplink thread) ----

    private void run() {
        while (!closed) {
            try {
                if (!connected) {
                    Thread.sleep(20);
                    continue;
                }
                if (config.uplink().primaryHostId() != null && !hostOnline) {
                    // Sparkplug: an edge node talks only while its primary host is there; the outbox keeps the rest.
                    Thread.sleep(50);
                    continue;
                }
                if (connectionSeen != connection.get()) {
                    // A new connection: whatever was in flight on the old one is unconfirmed and will be resent.
                    connectionSeen = connection.get();
                    inFlight.clear();
                    birthNeeded.set(false);
                    outbox.rewind();
                    historicalUpTo = outbox.nextSeq() - 1;
                    publishBirths();
                } else if (birthNeeded.getAndSet(false)) {
                    settle(true);
                    outbox.rewind();
                    historicalUpTo = outbox.nextSeq() - 1;
                    publishBirths();
                } else if (rebirthRequested.getAndSet(false)) {
                    settle(true);
                    publishBirths();
                }
                if (clock.millis() >= nextStatsAt) {
                    publish(nodeTopic(MessageType.NDATA), new Payload(clock.millis(), nextSeq(), nodeMetrics(false)), qos(), -1);
                    nextStatsAt = clock.millis() + config.uplink().statsInterval().toMillis();
                }
                publishRecords(gather(outbox.read(READ_BATCH, Duration.ofMillis(100))));
                settle(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (MqttException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("uplink publish failed: {}", e.toString());
                connectionLost();
            }
        }
    }

    private void publishBirths() throws MqttException {
        seq = 0;
        publish(nodeTopic(MessageType.NBIRTH), new Payload(clock.millis(), seq, nodeMetrics(true)), qos(), -1);
        for (BoundDevice d : ingest.devices()) {
            long now = clock.millis();
            List<Metric> metrics = deviceBirthMetrics(d, now);
            publish(deviceTopic(MessageType.DBIRTH, d.name()), new Payload(now, nextSeq(), metrics), qos(), -1);
            if (!ingest.isOnline(d.name())) {
                publish(deviceTopic(MessageType.DDEATH, d.name()), new Payload(now, nextSeq(), List.of()), qos(), -1);
            }
        }
    }

    /**
     * Every metric of a device with its last value. A known value keeps the timestamp and reading id of the reading
     * that carried it, so a host that stores readings sees a birth repeat a reading, never invent one.
     */
    private List<Metric> deviceBirthMetrics(BoundDevice d, long now) {
        List<Metric> metrics = new ArrayList<>();
        metrics.add(Metric.of("Device/Profile", now, DataType.STRING, d.profile().id()));
        metrics.add(Metric.of("Device/Kind", now, DataType.STRING, d.profile().kind().name()));
        if (d.config().area() != null) {
            metrics.add(Metric.of("Device/Area", now, DataType.STRING, d.config().area()));
        }
        Map<String, LastValue> last = ingest.lastValues(d.name());
        for (Resource r : d.profile().resources()) {
            if (r.access() == Access.WRITE) {
                continue;
            }
            LastValue lv = last.get(r.name());
            Map<String, Object> props = new LinkedHashMap<>();
            String unit = r.unit().symbol();
            if (unit != null && !unit.isEmpty()) {
                props.put(Metric.ENG_UNIT, unit);
            }
            if (lv != null) {
                props.put(Metric.READING_ID, lv.readingId());
            }
            metrics.add(new Metric(r.name(), 0, lv == null ? now : lv.timestampMillis(), MetricTypes.of(r.type()),
                    lv == null ? null : lv.value(), false, props));
        }
        return metrics;
    }

    private List<Metric> nodeMetrics(boolean birth) {
        long now = clock.millis();
        OutboxStats s = outbox.stats();
        List<Metric> m = new ArrayList<>();
        if (birth) {
            m.add(Metric.of(NodeControl.BD_SEQ, now, DataType.INT64, bdSeq));
            m.add(Metric.of(NodeControl.REBIRTH, now, DataType.BOOLEAN, false));
            m.add(Metric.of("Agent/Devices", now, DataType.INT64, (long) ingest.devices().size()));
        }
        m.add(Metric.of("Agent/Outbox/Pending", now, DataType.INT64, s.pending()));
        m.add(Metric.of("Agent/Outbox/Bytes", now, DataType.INT64, s.bytes()));
        m.add(Metric.of("Agent/Outbox/Dropped", now, DataType.INT64, s.dropped()));
        m.add(Metric.of("Agent/Outbox/Rejected", now, DataType.INT64, s.rejected()));
        m.add(Metric.of("Agent/Readings", now, DataType.INT64, counters.readings.sum()));
        m.add(Metric.of("Agent/DeadLetters", now, DataType.INT64, counters.deadLetters()));
        m.add(Metric.of("Agent/RedeliveredDuplicates", now, DataType.INT64, counters.redeliveredDuplicates.sum()));
        m.add(Metric.of("Agent/CommandsSent", now, DataType.INT64, counters.commandsSent.sum()));
        m.add(Metric.of("Agent/CommandsFailed", now, DataType.INT64, counters.commandsFailed.sum()));
        if (!listeners.isEmpty()) {
            m.add(Metric.of("Agent/Sort/Inductions", now, DataType.INT64, counters.inductions.sum()));
            m.add(Metric.of("Agent/Sort/DuplicateInductions", now, DataType.INT64, counters.duplicateInductions.sum()));
            m.add(Metric.of("Agent/Sort/Results", now, DataType.INT64, counters.divertResults.sum()));
            m.add(Metric.of("Agent/Sort/EventsLost", now, DataType.INT64, counters.sortEventsLost.sum()));
            m.add(Metric.of("Agent/Sort/PlansApplied", now, DataType.INT64, counters.sortPlansApplied.sum()));
        }
        return m;
    }

    /**
     * Lets a batch grow before it is published, so that one message carries several records instead of one publish,
     * one broker acknowledgement and one outbox ack each. Telemetry waits up to the uplink's data window: with many
     * devices each sending a few samples a second, only a window that long puts more than one sample of a device into
     * one DDATA. Anything else (an event a sorter waits on, a device state, a dead letter) ends the wait at once; a
     * trickle of those waits only {@link #LINGER}.
     */
    private List<OutboxRecord> gather(List<OutboxRecord> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return batch;
        }
        boolean onlySamples = onlySamples(batch);
        long wait = onlySamples ? dataWindowMillis : batch.size() < LINGER_BELOW ? LINGER.toMillis() : 0;
        long deadline = System.nanoTime() + wait * 1_000_000;
        List<OutboxRecord> gathered = batch;
        long bytes = bodyBytes(batch);
        while (gathered.size() < READ_BATCH && bytes < DurableOutbox.MAX_READ_BYTES) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, GATHER_STEP_MILLIS));
            List<OutboxRecord> more = outbox.read(READ_BATCH - gathered.size(), Duration.ZERO);
            if (!more.isEmpty()) {
                if (gathered == batch) {
                    gathered = new ArrayList<>(batch);
                }
                gathered.addAll(more);
                bytes += bodyBytes(more);
                if (onlySamples && !onlySamples(more)) {
                    break;
                }
            }
        }
        return gathered;
    }

    private static long bodyBytes(List<OutboxRecord> records) {
        long bytes = 0;
        for (OutboxRecord r : records) {
            bytes += r.body().length;
        }
        return bytes;
    }

    private static boolean onlySamples(List<OutboxRecord> records) {
        for (OutboxRecord r : records) {
            if (!OutboundCodec.isSample(r.body())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Publishes a batch read from the outbox. Consecutive samples are grouped per device, keeping each device's order,
     * so a backlog over many devices goes out as a few DDATA per device instead of one per sample. Regrouping changes
     * the order across devices only; the outbox is acknowledged up to a group's last record only by the message that
     * closes the group, after every message before it was confirmed.
     */
    private void publishRecords(List<OutboxRecord> batch) throws MqttException, InterruptedException {
        Map<String, PendingData> pending = new LinkedHashMap<>();
        long groupEnd = -1;
        EventBatch events = null;
        for (OutboxRecord record : batch) {
            OutboundMessage message = OutboundCodec.decode(record.body());
            boolean historical = record.seq() <= historicalUpTo;
            if (message instanceof OutboundMessage.Event ev) {
                flushData(pending, groupEnd);
                groupEnd = -1;
                if (events != null && (!events.kind.equals(ev.kind()) || events.count >= MAX_EVENTS_PER_MESSAGE)) {
                    publishEvents(events);
                    events = null;
                }
                if (events == null) {
                    events = new EventBatch(ev.kind(), config.agentId());
                }
                events.add(record.seq(), ev.json());
                continue;
            }
            if (events != null) {
                publishEvents(events);
                events = null;
            }
            if (message instanceof OutboundMessage.SampleMessage sm) {
                String device = sm.sample().device();
                PendingData data = pending.computeIfAbsent(device, d -> new PendingData());
                if (data.samples >= config.uplink().maxSamplesPerMessage()) {
                    publishData(device, data.metrics, -1);
                    data.metrics = new EncodedMetrics();
                    data.samples = 0;
                }
                Map<String, DataType> types = metricTypes.getOrDefault(device, Map.of());
                for (Reading r : sm.sample().readings()) {
                    DataType type = types.get(r.metric());
                    if (type == null) { // a metric the profile does not declare: typed by its value
                        type = MetricTypes.ofValue(r.value());
                    }
                    data.metrics.addReading(new Metric(r.metric(), 0, sm.sample().timestampMillis(), type, r.value(),
                            historical, Map.of()), record.seq(), r.quality() == Quality.GOOD ? -1 : r.quality().sparkplugCode());
                }
                data.samples++;
                groupEnd = record.seq();
                continue;
            }
            flushData(pending, groupEnd);
            groupEnd = -1;
            if (message instanceof OutboundMessage.DeviceState st) {
                if (historical) {
                    // The births of this connection already told the host each device's current state.
                    inFlight.addLast(new InFlight(null, record.seq()));
                } else if (st.online()) {
                    publishDeviceBirth(st.device(), record.seq());
                } else {
                    publish(deviceTopic(MessageType.DDEATH, st.device()), new Payload(st.atMillis(), nextSeq(), List.of()), qos(), record.seq());
                }
            } else if (message instanceof OutboundMessage.DeadLetter dl) {
                ObjectNode json = JSON.createObjectNode()
                        .put("id", record.seq())
                        .put("device", dl.device())
                        .put("topic", dl.topic())
                        .put("kind", dl.kind())
                        .put("detail", dl.detail())
                        .put("receivedAt", dl.receivedAtMillis())
                        .put("payloadBase64", Base64.getEncoder().encodeToString(dl.payload()));
                MqttMessage m = new MqttMessage(json.toString().getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                awaitWindow();
                inFlight.addLast(new InFlight(client.publish(deadLetterTopic, m), record.seq()));
            }
        }
        flushData(pending, groupEnd);
        if (events != null) {
            publishEvents(events);
        }
    }

    /**
     * Consecutive events of one kind, as one JSON message {@code {"agent": ..., "events": [{"id": seq, ...}, ...]}};
     * the id (the record's outbox seq) lets the server drop a replayed event.
     */
    private static final class EventBatch {
        final String kind;
        final java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream(512);
        int count;
        long lastSeq;

        EventBatch(String kind, String agent) {
            this.kind = kind;
            json.writeBytes(("{\"agent\":" + JSON.getNodeFactory().textNode(agent) + ",\"events\":[")
                    .getBytes(StandardCharsets.UTF_8));
        }

        void add(long seq, byte[] object) {
            json.writeBytes(((count == 0 ? "" : ",") + "{\"id\":" + seq + ",").getBytes(StandardCharsets.US_ASCII));
            json.write(object, 1, object.length - 1);
            count++;
            lastSeq = seq;
        }

        byte[] finish() {
            json.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
            return json.toByteArray();
        }
    }

    private void publishEvents(EventBatch events) throws MqttException, InterruptedException {
        MqttMessage m = new MqttMessage(events.finish());
        m.setQos(1);
        awaitWindow();
        inFlight.addLast(new InFlight(client.publish(eventTopicPrefix + events.kind, m), events.lastSeq));
        counters.eventsSent.add(events.count);
    }

    /** One device's samples of a batch, encoded as they are read (see {@link EncodedMetrics} for why). */
    private static final class PendingData {
        EncodedMetrics metrics = new EncodedMetrics();
        int samples;
    }

    /** Publishes the grouped samples; the last message acknowledges the whole group. */
    private void flushData(Map<String, PendingData> pending, long groupEnd) throws MqttException, InterruptedException {
        int left = pending.size();
        for (Map.Entry<String, PendingData> e : pending.entrySet()) {
            left--;
            publishData(e.getKey(), e.getValue().metrics, left == 0 ? groupEnd : -1);
        }
        pending.clear();
    }

    private void publishDeviceBirth(String device, long recordSeq) throws MqttException, InterruptedException {
        BoundDevice d = ingest.devices().stream().filter(x -> x.name().equals(device)).findFirst().orElse(null);
        if (d == null) {
            inFlight.addLast(new InFlight(null, recordSeq));
            return;
        }
        long now = clock.millis();
        List<Metric> metrics = deviceBirthMetrics(d, now);
        publish(deviceTopic(MessageType.DBIRTH, device), new Payload(now, nextSeq(), metrics), qos(), recordSeq);
    }

    /**
     * One QoS for every message in the seq sequence: a broker keeps order only within a QoS level, and a NDATA at
     * QoS 0 overtaking a DDATA at QoS 1 looks like a seq gap to the host.
     */
    private int qos() {
        return config.uplink().dataQos();
    }

    private void publishData(String device, EncodedMetrics metrics, long lastRecordSeq) throws MqttException, InterruptedException {
        String topic = dataTopics.computeIfAbsent(device, d -> deviceTopic(MessageType.DDATA, d));
        publish(topic, metrics.toPayload(clock.millis(), nextSeq()), qos(), lastRecordSeq);
    }

    private void publish(String topic, Payload payload, int qos, long lastRecordSeq) throws MqttException {
        publish(topic, PayloadCodec.encode(payload), qos, lastRecordSeq);
    }

    private void publish(String topic, byte[] payload, int qos, long lastRecordSeq) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        try {
            awaitWindow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION, e);
        }
        IMqttToken token = client.publish(topic, m);
        counters.published.increment();
        inFlight.addLast(new InFlight(token, lastRecordSeq));
    }

    private void awaitWindow() throws MqttException, InterruptedException {
        while (inFlight.size() >= window) {
            InFlight head = inFlight.peekFirst();
            if (head.token() != null) {
                head.token().waitForCompletion(10_000);
            }
            settle(false);
        }
    }

    /** Acknowledges to the outbox every record whose message the broker has confirmed, in order. */
    private void settle(boolean wait) throws MqttException {
        while (!inFlight.isEmpty()) {
            InFlight head = inFlight.peekFirst();
            if (head.token() != null) {
                if (!head.token().isComplete()) {
                    if (!wait) {
                        return;
                    }
                    head.token().waitForCompletion(10_000);
                }
                if (head.token().getException() != null) {
                    throw head.token().getException();
                }
            }
            inFlight.removeFirst();
            if (head.lastRecordSeq() >= 0) {
                outbox.ack(head.lastRecordSeq());
            }
        }
    }

    private long nextSeq() {
        long s = seq;
        seq = (seq + 1) % 256;
        return s;
    }

    private void connectionLost() {
        connected = false;
        inFlight.clear();
        if (!closed) {
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(0, 1000, false);
                }
            } catch (MqttException e) {
                LOG.debug("forced disconnect: {}", e.toString());
            }
            reconnect.requestConnect();
        }
    }

    private String nodeTopic(MessageType type) {
        return SparkplugTopic.node(config.site(), type, config.agentId()).toString();
    }

    private String deviceTopic(MessageType type, String device) {
        return SparkplugTopic.device(config.site(), type, config.agentId(), device).toString();
    }

    @Override
    public void close() {
        closed = true;
        reconnect.close();
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (client.isConnected()) {
                // A clean shutdown still tells the host we are gone: publish the death ourselves, then disconnect.
                MqttMessage death = new MqttMessage(PayloadCodec.encode(new Payload(clock.millis(), -1,
                        List.of(Metric.of(NodeControl.BD_SEQ, clock.millis(), DataType.INT64, bdSeq)))));
                death.setQos(1);
                client.publish(nodeTopic(MessageType.NDEATH), death).waitForCompletion(2_000);
                client.disconnect(2_000).waitForCompletion(3_000);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("closing uplink: {}", e.toString());
        }
    }

    private final class Callback extends MessageCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            for (ControlPlaneListener l : listeners) {
                if (l.onMessage(topic, message.getPayload())) {
                    return;
                }
            }
            try {
                SparkplugTopic t = SparkplugTopic.parse(topic);
                if (t.type() == MessageType.STATE) {
                    StatePayload state = StatePayload.parse(message.getPayload());
                    if (state.timestamp() >= hostStateTimestamp) {
                        hostStateTimestamp = state.timestamp();
                        boolean wasOnline = hostOnline;
                        hostOnline = state.online();
                        if (hostOnline && !wasOnline) {
                            // A host that (re)appears needs our births: it may have lost what it knew.
                            birthNeeded.set(true);
                        }
                        LOG.info("primary host {} is {}", t.hostId(), state.online() ? "online" : "offline");
                    }
                } else if (t.type() == MessageType.NCMD) {
                    Payload p = PayloadCodec.decode(message.getPayload());
                    Metric rebirth = p.metric(NodeControl.REBIRTH);
                    if (rebirth != null && Boolean.TRUE.equals(rebirth.value())) {
                        LOG.info("rebirth requested by the host");
                        rebirthRequested.set(true);
                    }
                }
            } catch (InvalidPayloadException | IllegalArgumentException e) {
                counters.deadLetter("BAD_COMMAND");
                LOG.warn("ignoring undecodable message on {}: {}", topic, e.getMessage());
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("uplink lost: {}", response.getReasonString() != null ? response.getReasonString()
                    : String.valueOf(response.getException()));
            connected = false;
            reconnect.requestConnect();
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("uplink: {}", exception.toString());
        }
    }
}
