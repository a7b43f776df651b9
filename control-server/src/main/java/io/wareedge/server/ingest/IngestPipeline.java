package io.wareedge.server.ingest;

import io.micronaut.serde.ObjectMapper;
import io.wareedge.server.config.IngestSettings;
import io.wareedge.server.deadletter.AgentDeadLetterMessage;
import io.wareedge.server.sortation.ReportedSortEvent;
import io.wareedge.sortation.PlanException;
import io.wareedge.sortation.SortJson;
import io.wareedge.server.deadletter.DeadLetter;
import io.wareedge.server.deadletter.DeadLetterLog;
import io.wareedge.server.persistence.IngestStore;
import io.wareedge.server.registry.ChangeSet;
import io.wareedge.server.registry.EdgeRegistry;
import io.wareedge.server.registry.Problem;
import io.wareedge.sparkplug.EdgeNodeId;
import io.wareedge.sparkplug.InvalidPayloadException;
import io.wareedge.sparkplug.MessageType;
import io.wareedge.sparkplug.Payload;
import io.wareedge.sparkplug.PayloadCodec;
import io.wareedge.sparkplug.SparkplugTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The ingest threads and the queues in front of them.
 *
 * <p>Threading: the Paho callback thread calls {@link #enqueue} and does nothing else (routing by topic is done
 * there, decoding is not). The bounded queue makes a slow database push back on the broker: when it is full the
 * callback blocks, Paho stops reading the socket, and unacknowledged messages stay with the broker. Two threads
 * then work as a pipeline, so decoding the next batch overlaps storing the last one:
 * <ul>
 *   <li>{@value #THREAD_NAME} drains up to {@code batch-size} messages at a time, decodes them and applies them to
 *   the {@link EdgeRegistry} (which it alone touches), collecting what changed;</li>
 *   <li>{@value #STORE_THREAD_NAME} writes each batch's changes in one transaction and only then hands them to the
 *   listeners and acknowledges the batch's QoS 1 messages, in batch order.</li>
 * </ul>
 * Between them sits a hand-off of one batch: while one batch is being stored, at most one more waits, decoded. A
 * crash before a commit loses nothing: the broker still holds the unacknowledged messages for the persistent session
 * and redelivers them; storage dedupes what was stored twice.
 */
final class IngestPipeline {
    static final String THREAD_NAME = "wareedge-ingest";
    static final String STORE_THREAD_NAME = "wareedge-ingest-store";
    /** The event kind edge agents use for sorter decisions and results. */
    static final String SORT_EVENTS = "sort";
    /** Event kinds stored as reported, for the API to list (the agent's interlock firings). */
    static final java.util.Set<String> STORED_EVENT_KINDS = java.util.Set.of("interlock");
    private static final com.fasterxml.jackson.databind.ObjectMapper EVENT_JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);
    /** Oversized payloads are kept only in part: the limit exists to protect memory and the database. */
    private static final int OVERSIZED_KEPT_BYTES = 64 * 1024;

    private final IngestSettings settings;
    private final EdgeRegistry registry;
    private final IngestStore store;
    private final IngestCounters counters;
    private final DeadLetterLog deadLetterLog;
    private final ObjectMapper json;
    private final List<io.wareedge.server.registry.TelemetryListener> listeners;
    private final BlockingQueue<InboundMessage> queue;
    private final BlockingQueue<Batch> decoded = new ArrayBlockingQueue<>(1);
    private final Thread thread;
    private final Thread storeThread;
    private volatile boolean running;
    private HostConnection connection;

    /** Messages taken together, and what decoding them produced; built by the ingest thread, then owned by the store thread. */
    private static final class Batch {
        final List<InboundMessage> messages = new ArrayList<>();
        final ChangeSet changes = new ChangeSet();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final List<String> deadLetterKinds = new ArrayList<>();
    }

    // Owned by the ingest thread: the batch being decoded.
    private Batch batch = new Batch();

    IngestPipeline(IngestSettings settings, EdgeRegistry registry, IngestStore store, IngestCounters counters,
                   DeadLetterLog deadLetterLog, ObjectMapper json, List<io.wareedge.server.registry.TelemetryListener> listeners) {
        this.settings = settings;
        this.registry = registry;
        this.store = store;
        this.counters = counters;
        this.deadLetterLog = deadLetterLog;
        this.json = json;
        this.listeners = List.copyOf(listeners);
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.thread = new Thread(this::run, THREAD_NAME);
        this.storeThread = new Thread(this::runStore, STORE_THREAD_NAME);
    }

    void start(HostConnection connection) {
        this.connection = connection;
        running = true;
        storeThread.start();
        thread.start();
    }

    /**
     * Called on the MQTT callback thread; blocks while the queue is full. Returns false, leaving the message
     * unacknowledged for redelivery, when the pipeline is stopping.
     */
    boolean enqueue(InboundMessage message) throws InterruptedException {
        while (running) {
            if (queue.offer(message, 200, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    int queueDepth() {
        return queue.size();
    }

    EdgeRegistry registry() {
        return registry;
    }

    /** Stops after the batch in hand; queued messages stay unacknowledged and come back with the session. */
    void stop() {
        running = false;
        thread.interrupt();
        storeThread.interrupt();
        try {
            thread.join(10_000);
            storeThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        LOG.info("ingest threads started (queue {}, batch {})", settings.queueCapacity(), settings.batchSize());
        while (running) {
            try {
                InboundMessage first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.messages.add(first);
                queue.drainTo(batch.messages, settings.batchSize() - 1);
                for (InboundMessage m : batch.messages) {
                    handle(m);
                }
                while (running && !decoded.offer(batch, 200, TimeUnit.MILLISECONDS)) {
                    // the store thread is busy with the batch before: wait, and so push back on the broker
                }
            } catch (InterruptedException e) {
                if (running) {
                    LOG.warn("ingest thread interrupted while running; stopping");
                }
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // A bug must not kill ingest for good: the batch stays unacknowledged and comes back on reconnect.
                LOG.error("decoding a batch of {} messages failed; they stay unacknowledged", batch.messages.size(), e);
            } finally {
                batch = new Batch();
            }
        }
        LOG.info("ingest thread stopped");
    }

    private void runStore() {
        while (running) {
            Batch next = null;
            try {
                next = decoded.poll(500, TimeUnit.MILLISECONDS);
                if (next != null) {
                    store(next);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("storing a batch of {} messages failed; they stay unacknowledged", next.messages.size(), e);
            }
        }
        LOG.info("ingest store thread stopped");
    }

    private void store(Batch b) throws InterruptedException {
        IngestStore.WriteResult result = storeWithRetry(b);
        if (result == null) {
            return; // stopping: not acknowledged, the broker redelivers
        }
        ChangeSet changes = b.changes;
        // Exports and alert rules see a batch once it is stored; a full alert queue makes ingest (and so the broker) wait.
        for (io.wareedge.server.registry.TelemetryListener l : listeners) {
            l.stored(changes);
        }
        for (EdgeNodeId node : changes.rebirthRequests()) {
            connection.requestRebirth(node);
            counters.rebirthsRequested.increment();
        }
        for (InboundMessage m : b.messages) {
            if (m.qos() > 0) {
                connection.acknowledge(m);
            }
        }
        counters.batches.increment();
        counters.messages.add(b.messages.size());
        counters.readingsStored.add(result.readingsInserted());
        counters.duplicates.add(result.duplicates());
        counters.sortEventsStored.add(result.sortEventsInserted());
        counters.sortEventDuplicates.add(changes.sortEvents().size() - result.sortEventsInserted());
        counters.seqGaps.add(changes.seqGaps());
        counters.staleDeaths.add(changes.staleDeaths());
        counters.redeliveries.add(changes.redeliveries());
        long now = System.currentTimeMillis();
        for (int i = 0; i < b.deadLetters.size(); i++) {
            deadLetterLog.record(b.deadLetterKinds.get(i), b.deadLetters.get(i), now);
        }
    }

    private IngestStore.WriteResult storeWithRetry(Batch b) throws InterruptedException {
        long backoffMillis = 100;
        while (true) {
            try {
                return store.write(b.changes, b.deadLetters);
            } catch (Exception e) {
                counters.storeFailures.increment();
                if (!running) {
                    return null;
                }
                LOG.warn("storing a batch of {} messages failed, retrying in {} ms: {}", b.messages.size(), backoffMillis, e.toString());
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    private void handle(InboundMessage m) {
        if (m.payload().length > settings.maxPayloadBytes()) {
            reject(m, "OVERSIZED", m.payload().length + " bytes, over wareedge.ingest.max-payload-bytes "
                    + settings.maxPayloadBytes() + "; first " + OVERSIZED_KEPT_BYTES + " bytes kept",
                    Arrays.copyOf(m.payload(), Math.min(m.payload().length, OVERSIZED_KEPT_BYTES)));
            return;
        }
        InboundMessage.Route route = m.route();
        if (route instanceof InboundMessage.Sparkplug s) {
            sparkplug(m, s.topic());
        } else if (route instanceof InboundMessage.AgentDeadLetter a) {
            agentDeadLetter(m, a.node());
        } else if (route instanceof InboundMessage.AgentEvents e) {
            agentEvents(m, e);
        } else if (route instanceof InboundMessage.Unknown u) {
            reject(m, "NOT_SPARKPLUG_TOPIC", u.reason(), m.payload());
        }
    }

    private void sparkplug(InboundMessage m, SparkplugTopic topic) {
        MessageType type = topic.type();
        if (type == MessageType.STATE || type == MessageType.NCMD || type == MessageType.DCMD) {
            return; // host STATE (ours included) and commands (ours echoed back) are not edge telemetry
        }
        Payload payload;
        try {
            payload = PayloadCodec.decode(m.payload());
        } catch (InvalidPayloadException e) {
            // With a cause the bytes are not protobuf at all; without one a metric's value contradicts its type.
            reject(m, e.getCause() != null ? "NOT_SPARKPLUG_PAYLOAD" : "METRIC_TYPE_MISMATCH", e.getMessage(), m.payload());
            return;
        }
        for (Problem p : registry.apply(topic, payload, m.receivedAt(), batch.changes)) {
            reject(m, p.kind(), p.detail(), m.payload());
        }
    }

    private void agentDeadLetter(InboundMessage m, EdgeNodeId node) {
        AgentDeadLetterMessage d;
        byte[] payload;
        try {
            d = json.readValue(m.payload(), AgentDeadLetterMessage.class);
            if (d == null || d.id() == null || d.kind() == null || d.kind().isBlank()) {
                throw new IOException("needs at least \"id\" and \"kind\"");
            }
            payload = d.payloadBase64() == null ? null : Base64.getDecoder().decode(d.payloadBase64());
        } catch (IOException | RuntimeException e) {
            reject(m, "BAD_AGENT_DEAD_LETTER", "edge agent dead letter from " + node + " is not usable: " + e.getMessage(), m.payload());
            return;
        }
        batch.deadLetters.add(new DeadLetter(d.receivedAt() != null ? d.receivedAt() : m.receivedAt(), node.toString(), d.id(),
                d.device(), d.topic() != null ? d.topic() : m.topic(), d.kind(), d.detail(), payload));
        batch.deadLetterKinds.add("agent:" + d.kind());
    }

    /** A batch {@code {"agent": ..., "events": [{"id": n, ...}, ...]}}: each usable event goes in, each bad one is a dead letter. */
    private void agentEvents(InboundMessage m, InboundMessage.AgentEvents route) {
        if (STORED_EVENT_KINDS.contains(route.kind())) {
            edgeEvents(m, route);
            return;
        }
        if (!SORT_EVENTS.equals(route.kind())) {
            reject(m, "UNKNOWN_EVENT_KIND", "events of kind '" + route.kind() + "' are not handled", m.payload());
            return;
        }
        com.fasterxml.jackson.databind.JsonNode body;
        try {
            body = SortJson.parse(m.payload());
        } catch (PlanException e) {
            reject(m, "BAD_SORT_EVENTS", e.getMessage(), m.payload());
            return;
        }
        com.fasterxml.jackson.databind.JsonNode events = body.get("events");
        if (events == null || !events.isArray()) {
            reject(m, "BAD_SORT_EVENTS", "needs an array \"events\"", m.payload());
            return;
        }
        EdgeNodeId node = route.node();
        int i = 0;
        for (com.fasterxml.jackson.databind.JsonNode e : events) {
            try {
                com.fasterxml.jackson.databind.JsonNode id = e.get("id");
                if (id == null || !id.canConvertToLong()) {
                    throw new PlanException("event.id must be an integer");
                }
                batch.changes.add(new ReportedSortEvent(node.groupId(), node.edgeNodeId(), id.asLong(), SortJson.readEvent(e)));
            } catch (PlanException ex) {
                reject(m, "BAD_SORT_EVENT", "event " + i + " from " + node + ": " + ex.getMessage(),
                        e.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            i++;
        }
    }

    /** Events stored as they came, one row each (interlock firings). */
    private void edgeEvents(InboundMessage m, InboundMessage.AgentEvents route) {
        com.fasterxml.jackson.databind.JsonNode body;
        try {
            body = EVENT_JSON.readTree(m.payload());
        } catch (java.io.IOException e) {
            reject(m, "BAD_EDGE_EVENTS", "not JSON: " + e.getMessage(), m.payload());
            return;
        }
        com.fasterxml.jackson.databind.JsonNode events = body == null ? null : body.get("events");
        if (events == null || !events.isArray()) {
            reject(m, "BAD_EDGE_EVENTS", "needs an array \"events\"", m.payload());
            return;
        }
        EdgeNodeId node = route.node();
        for (com.fasterxml.jackson.databind.JsonNode e : events) {
            com.fasterxml.jackson.databind.JsonNode id = e.get("id");
            if (!e.isObject() || id == null || !id.canConvertToLong()) {
                reject(m, "BAD_EDGE_EVENT", route.kind() + " event from " + node + " needs an integer \"id\"",
                        e.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                continue;
            }
            long at = e.path("firedAt").canConvertToLong() ? e.path("firedAt").asLong() : m.receivedAt();
            batch.changes.add(new io.wareedge.server.registry.EdgeEvent(node.groupId(), node.edgeNodeId(), route.kind(),
                    id.asLong(), java.time.Instant.ofEpochMilli(at), e.toString()));
        }
    }

    private void reject(InboundMessage m, String kind, String detail, byte[] payload) {
        batch.deadLetters.add(DeadLetter.server(m.receivedAt(), m.topic(), kind, detail, payload));
        batch.deadLetterKinds.add(kind);
    }
}
