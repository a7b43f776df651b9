package io.wareedge.edge.ingest;

import io.wareedge.edge.health.AgentCounters;
import io.wareedge.edge.health.OncePerKindLog;
import io.wareedge.edge.normalize.Quality;
import io.wareedge.edge.normalize.Reading;
import io.wareedge.edge.normalize.Sample;
import io.wareedge.edge.outbox.DurableOutbox;
import io.wareedge.edge.outbox.OutboundCodec;
import io.wareedge.edge.outbox.OutboundMessage;
import io.wareedge.profiles.DecodeProblem;
import io.wareedge.profiles.DecodeResult;
import io.wareedge.profiles.DecodedRecord;
import io.wareedge.profiles.JsonPayloadDecoder;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's inbound stage: a device message goes in; typed readings, device liveness changes and dead letters
 * come out into the durable outbox, in the order they happened.
 *
 * <p>Threading: {@link #accept} runs on device-driver callback threads and {@link #checkStale} on the watchdog
 * thread; both are synchronized so a liveness change and the readings that follow it land in the outbox in order.
 * The uplink thread reads {@link #isOnline} (a volatile flag) and {@link #lastValues} (a copy taken under the same
 * monitor) for births. Each device's state sits in one {@link LiveDevice}, looked up once per message: a map write
 * per reading, locked and boxed, was a tenth of the agent's CPU at 60,000 samples/s.
 */
public final class DeviceIngest {

    private final DurableOutbox outbox;
    private final AgentCounters counters;
    private final Clock clock;
    private final OncePerKindLog badInputLog;
    private final Map<String, BoundDevice> devices;
    /** Fixed at construction, so lookups need no lock. */
    private final Map<String, LiveDevice> live;
    /** The edge rules stage: sees every accepted reading, after the outbox took it. */
    private volatile java.util.function.BiConsumer<String, List<Reading>> rules = (d, r) -> { };

    public DeviceIngest(DurableOutbox outbox, AgentCounters counters, Clock clock, Collection<BoundDevice> devices) {
        this.outbox = outbox;
        this.counters = counters;
        this.clock = clock;
        this.badInputLog = new OncePerKindLog(LoggerFactory.getLogger(DeviceIngest.class), Duration.ofMinutes(1), clock);
        Map<String, BoundDevice> byName = new java.util.LinkedHashMap<>();
        Map<String, LiveDevice> states = new HashMap<>();
        for (BoundDevice d : devices) {
            byName.put(d.name(), d);
            states.put(d.name(), new LiveDevice());
        }
        this.devices = Map.copyOf(byName);
        this.live = Map.copyOf(states);
    }

    /** What the agent knows of one device now. */
    private static final class LiveDevice {
        static final long NEVER = Long.MIN_VALUE;
        /** Written without the monitor by {@link #deviceSeen}; {@link #NEVER} until the device is first heard. */
        volatile long lastSeenMillis = NEVER;
        volatile boolean online;
        /** Guarded by the DeviceIngest monitor. */
        final Map<String, LastValue> lastValues = new HashMap<>();
    }

    /** Hands every accepted reading to the edge rules (interlocks) too. */
    public void onAccepted(java.util.function.BiConsumer<String, List<Reading>> rules) {
        this.rules = rules;
    }

    /**
     * Takes one message from a device.
     *
     * @param redelivered the broker flagged it as a redelivery (MQTT DUP): if the outbox already holds it (the agent
     *                    crashed after storing it but before acknowledging it), it is dropped, not stored twice
     * @return false when the outbox refused it (full, policy reject-new)
     */
    public synchronized boolean accept(BoundDevice device, JsonPayloadDecoder decoder, String topic, byte[] payload,
                                       boolean redelivered) {
        counters.messages.increment();
        long fingerprint = fingerprint(topic, payload);
        if (redelivered && outbox.recentlyAppended(fingerprint)) {
            counters.redeliveredDuplicates.increment();
            return true;
        }
        Instant now = clock.instant();
        DecodeResult result = decoder.decode(payload, now);
        List<byte[]> out = new ArrayList<>(result.records().size() + 2);
        counters.skippedRecords.add(result.skipped());
        LiveDevice state = live.get(device.name());
        if (!result.records().isEmpty()) {
            state.lastSeenMillis = now.toEpochMilli();
            if (!state.online) {
                out.add(OutboundCodec.encode(new OutboundMessage.DeviceState(device.name(), true, now.toEpochMilli(), "data received")));
            }
        }
        int firstSample = out.size();
        List<Sample> samples = new ArrayList<>(result.records().size());
        for (DecodedRecord record : result.records()) {
            List<Reading> readings = new ArrayList<>(record.values().size());
            record.values().forEach((metric, value) -> readings.add(new Reading(metric, value, Quality.GOOD)));
            long ts = record.timestamp() == null ? now.toEpochMilli() : record.timestamp().toEpochMilli();
            Sample sample = new Sample(device.name(), ts, readings);
            samples.add(sample);
            out.add(OutboundCodec.encode(new OutboundMessage.SampleMessage(sample)));
            counters.samples.increment();
            counters.readings.add(readings.size());
        }
        if (!result.problems().isEmpty()) {
            out.add(deadLetter(device.name(), topic, payload, result.problems(), now));
        }
        if (out.isEmpty()) {
            return true;
        }
        long lastSeq = outbox.append(fingerprint, out);
        if (lastSeq < 0) {
            counters.outboxRejected.increment();
            return false;
        }
        // Only what the outbox took counts as known state; record i of this append has seq firstSeq + i.
        if (!result.records().isEmpty()) {
            state.online = true;
            long firstSeq = lastSeq - out.size() + 1;
            for (int i = 0; i < samples.size(); i++) {
                long readingId = firstSeq + firstSample + i;
                Sample sample = samples.get(i);
                for (Reading r : sample.readings()) {
                    state.lastValues.put(r.metric(), new LastValue(r.value(), sample.timestampMillis(), readingId));
                }
            }
            for (Sample sample : samples) {
                rules.accept(device.name(), sample.readings());
            }
        }
        return true;
    }

    /**
     * Takes readings that arrived already typed and normalized (an OPC UA data change, a GPIO edge): one sample
     * at {@code timestampMillis}. A reading of BAD quality still counts as hearing from the device.
     *
     * @return false when the outbox refused it
     */
    public synchronized boolean acceptReadings(BoundDevice device, long timestampMillis, List<Reading> readings) {
        if (readings.isEmpty()) {
            return true;
        }
        counters.messages.increment();
        long now = clock.millis();
        LiveDevice state = live.get(device.name());
        state.lastSeenMillis = now;
        List<byte[]> out = new ArrayList<>(2);
        if (!state.online) {
            out.add(OutboundCodec.encode(new OutboundMessage.DeviceState(device.name(), true, now, "data received")));
        }
        out.add(OutboundCodec.encode(new OutboundMessage.SampleMessage(new Sample(device.name(), timestampMillis, readings))));
        long lastSeq = outbox.append(0, out);
        if (lastSeq < 0) {
            counters.outboxRejected.increment();
            return false;
        }
        counters.samples.increment();
        counters.readings.add(readings.size());
        state.online = true;
        for (Reading r : readings) {
            if (r.quality() == Quality.GOOD) {
                state.lastValues.put(r.metric(), new LastValue(r.value(), timestampMillis, lastSeq));
            }
        }
        rules.accept(device.name(), readings);
        return true;
    }

    /**
     * A device showed it is alive by a message that is not telemetry (a sorter's induction, for example): it is
     * online from now on, as if it had sent data.
     */
    public void deviceSeen(BoundDevice device) {
        long now = clock.millis();
        LiveDevice state = live.get(device.name());
        state.lastSeenMillis = now;
        if (!state.online) {
            synchronized (this) {
                if (!state.online && outbox.append(0, OutboundCodec.encode(new OutboundMessage.DeviceState(
                        device.name(), true, now, "data received"))) >= 0) {
                    state.online = true;
                }
            }
        }
    }

    /** Device input that another stage (sortation) could not use: counted, logged and kept with its raw bytes. */
    public void rejected(BoundDevice device, String topic, byte[] payload, String kind, String detail) {
        counters.messages.increment();
        keepDeadLetter(device.name(), topic, kind, detail,
                "device " + device.name() + " on " + topic + ": " + detail + " payload=" + preview(payload), payload);
    }

    /** Decode problems found by another stage (sortation), as {@link #accept} would report them. */
    public void rejected(BoundDevice device, String topic, byte[] payload, List<DecodeProblem> problems) {
        outbox.append(0, deadLetter(device.name(), topic, payload, problems, clock.instant()));
    }

    /** A message on a subscribed topic that no configured device owns. */
    public synchronized void unknownDevice(String topic, byte[] payload) {
        counters.messages.increment();
        keepDeadLetter("", topic, "UNKNOWN_DEVICE", "no configured device publishes on this topic",
                "no configured device publishes on " + topic, payload);
    }

    /** A packet from a device broker that breaks the MQTT protocol; the connection to that broker is dropped. */
    public void badBrokerPacket(String broker, byte[] packet, String detail) {
        keepDeadLetter("", "broker:" + broker, "MQTT_PROTOCOL", detail,
                "device broker " + broker + " sent " + detail + " packet=" + preview(packet), packet);
    }

    /** Counts the kind, logs it (rate-limited per kind) and keeps the raw bytes in the outbox as a dead letter. */
    private void keepDeadLetter(String device, String topic, String kind, String detail, String logLine, byte[] raw) {
        counters.deadLetter(kind);
        badInputLog.warn(kind, logLine);
        outbox.append(0, OutboundCodec.encode(new OutboundMessage.DeadLetter(device, topic, kind, detail,
                clock.millis(), raw)));
    }

    /** The link to these devices is gone (their broker connection dropped): they are offline until data flows again. */
    public synchronized void linkLost(Collection<BoundDevice> lost, String reason) {
        for (BoundDevice d : lost) {
            goOffline(d.name(), reason);
        }
    }

    /** Marks devices offline that have been silent longer than their profile allows. Called by the watchdog. */
    public synchronized void checkStale() {
        long now = clock.millis();
        for (BoundDevice d : devices.values()) {
            LiveDevice state = live.get(d.name());
            if (state.online && state.lastSeenMillis != LiveDevice.NEVER && now - state.lastSeenMillis > d.profile().staleAfter().toMillis()) {
                goOffline(d.name(), "no data for " + d.profile().staleAfter());
            }
        }
    }

    public boolean isOnline(String device) {
        LiveDevice state = live.get(device);
        return state != null && state.online;
    }

    /** The last value of every metric the device has sent, with the reading that carried it (for births). */
    public synchronized Map<String, LastValue> lastValues(String device) {
        LiveDevice state = live.get(device);
        return state == null ? Map.of() : Map.copyOf(state.lastValues);
    }

    public Collection<BoundDevice> devices() {
        return devices.values();
    }

    private void goOffline(String device, String reason) {
        LiveDevice state = live.get(device);
        if (!state.online) {
            return;
        }
        if (outbox.append(0, OutboundCodec.encode(new OutboundMessage.DeviceState(device, false, clock.millis(), reason))) >= 0) {
            state.online = false;
        }
    }

    private byte[] deadLetter(String device, String topic, byte[] payload, List<DecodeProblem> problems, Instant now) {
        DecodeProblem first = problems.get(0);
        StringBuilder detail = new StringBuilder();
        for (DecodeProblem p : problems) {
            counters.deadLetter(p.kind().name());
            if (detail.length() > 0) {
                detail.append("; ");
            }
            detail.append(p.kind()).append(p.resource() == null ? "" : " " + p.resource()).append(": ").append(p.detail());
        }
        badInputLog.warn(first.kind().name(), "device " + device + " on " + topic + ": " + detail
                + " payload=" + preview(payload));
        return OutboundCodec.encode(new OutboundMessage.DeadLetter(device, topic, first.kind().name(), detail.toString(),
                now.toEpochMilli(), payload));
    }

    private static String preview(byte[] payload) {
        String s = new String(payload, 0, Math.min(payload.length, 120), StandardCharsets.UTF_8);
        return s.replaceAll("\\p{Cntrl}", "?") + (payload.length > 120 ? "…" : "");
    }

    /** FNV-1a, 64 bits, over topic and payload: cheap, and collisions only matter for flagged redeliveries. */
    static long fingerprint(String topic, byte[] payload) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < topic.length(); i++) {
            h = (h ^ topic.charAt(i)) * 0x100000001b3L;
        }
        for (byte b : payload) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }
}
