package io.wareedge.edge.sortation;

import io.wareedge.edge.health.AgentCounters;
import io.wareedge.edge.ingest.DeviceIngest;
import io.wareedge.edge.outbox.DurableOutbox;
import io.wareedge.edge.outbox.OutboundCodec;
import io.wareedge.edge.outbox.OutboundMessage;
import io.wareedge.profiles.DecodeResult;
import io.wareedge.profiles.DecodedRecord;
import io.wareedge.profiles.JsonPayloadDecoder;
import io.wareedge.profiles.TopicTemplate;
import io.wareedge.sortation.ChuteState;
import io.wareedge.sortation.Decision;
import io.wareedge.sortation.Decisions;
import io.wareedge.sortation.Induction;
import io.wareedge.sortation.Outcome;
import io.wareedge.sortation.ResultCheck;
import io.wareedge.sortation.SortEvent;
import io.wareedge.sortation.SortJson;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One sorter at the edge: answers each induction with a divert command decided from the local plan replica, and
 * sends decisions and divert results upstream through the durable outbox. The control server is not on the path:
 * the round trip is the broker hop and this class.
 *
 * <p>Threading: {@link #onMessage} is called only by the callback thread of the device broker the sorter is
 * connected to; that thread owns {@link Decisions}' memory and chute states. Plans are swapped in by
 * {@link PlanReplica} on the uplink's thread.
 */
public final class SorterSession {
    /** Kind of the outbox events, and the last level of their upstream topic. */
    public static final String EVENT_KIND = "sort";

    private final SorterBinding binding;
    private final Decisions decisions;
    private final DurableOutbox outbox;
    private final DeviceIngest ingest;
    private final AgentCounters counters;
    private final Clock clock;
    private final TopicTemplate chuteTopic;

    public SorterSession(SorterBinding binding, Decisions decisions, DurableOutbox outbox, DeviceIngest ingest,
                         AgentCounters counters, Clock clock) {
        this.binding = binding;
        this.decisions = decisions;
        this.outbox = outbox;
        this.ingest = ingest;
        this.counters = counters;
        this.clock = clock;
        this.chuteTopic = binding.device().profile().mqttStream(SorterBinding.CHUTE).orElseThrow().topic();
    }

    public String sorter() {
        return binding.name();
    }

    public Decisions decisions() {
        return decisions;
    }

    /** Whether messages of this stream are the session's (the others are ordinary telemetry). */
    public static boolean handles(String stream) {
        return SorterBinding.handles(stream);
    }

    /** Whether messages of this stream should also be recorded as telemetry (chute fill levels, for example). */
    public static boolean alsoTelemetry(String stream) {
        return SorterBinding.CHUTE.equals(stream);
    }

    public void onMessage(String stream, JsonPayloadDecoder decoder, String topic, byte[] payload, DivertSender sender) {
        ingest.deviceSeen(binding.device());
        DecodeResult decoded = decoder.decode(payload, clock.instant());
        switch (stream) {
            case SorterBinding.INDUCTION:
                decoded.records().forEach(r -> induct(r, topic, payload, sender));
                break;
            case SorterBinding.RESULT:
                decoded.records().forEach(r -> result(r, topic, payload));
                break;
            case SorterBinding.CHUTE:
                decoded.records().forEach(r -> chute(r, topic, payload));
                break;
            default:
                throw new IllegalArgumentException("not a sortation stream: " + stream);
        }
        if (!decoded.problems().isEmpty()) {
            ingest.rejected(binding.device(), topic, payload, decoded.problems());
        }
        if (decoded.records().isEmpty() && decoded.problems().isEmpty()) {
            ingest.rejected(binding.device(), topic, payload, "SORT_EMPTY_MESSAGE", "no " + stream + " in the message");
        }
    }

    private void induct(DecodedRecord r, String topic, byte[] payload, DivertSender sender) {
        Long seq = asLong(r.value("seq"));
        Long pass = asLong(r.value("pass"));
        if (seq == null || seq < 0 || seq > Decisions.MAX_SEQ || (pass != null && (pass < 0 || pass > 255))) {
            ingest.rejected(binding.device(), topic, payload, "SORT_BAD_INDUCTION",
                    "an induction needs seq 0.." + Decisions.MAX_SEQ + " and pass 0..255, got seq " + r.value("seq")
                            + " pass " + r.value("pass"));
            return;
        }
        Object codesValue = r.value("codes");
        List<String> codes = codesValue == null || codesValue.toString().isEmpty()
                ? List.of() : List.of(codesValue.toString().split(",", -1));
        Instant inducted = r.timestamp();
        Decisions.Verdict verdict = decisions.induct(new Induction(seq, pass == null ? 0 : pass.intValue(), codes,
                inducted.toEpochMilli()));
        Decision d = verdict.decision();
        counters.inductions.increment();
        // The command first: the sorter is waiting. The decision is already remembered, and an induction not yet
        // acknowledged to the broker comes back after a crash, so the event below cannot be lost for good.
        sender.send(binding.divertTopic(), divertPayload(d), binding.divertQos());
        if (verdict.duplicate()) {
            counters.duplicateInductions.increment();
        } else {
            long now = clock.millis();
            byte[] event = SortJson.eventBytes(new SortEvent.Decided(sorter(), d, codes, inducted.toEpochMilli(), now));
            if (outbox.append(0, OutboundCodec.encode(new OutboundMessage.Event(EVENT_KIND, event))) < 0) {
                counters.sortEventsLost.increment();
            }
        }
    }

    static byte[] divertPayload(Decision d) {
        String json = "{\"seq\":" + d.seq() + ",\"pass\":" + d.pass() + ",\"chute\":" + d.chute() + ",\"reason\":\""
                + d.reason().wireName() + "\"}";
        return json.getBytes(StandardCharsets.US_ASCII);
    }

    private void result(DecodedRecord r, String topic, byte[] payload) {
        Long seq = asLong(r.value("resultSeq"));
        Long pass = asLong(r.value("resultPass"));
        Long chute = asLong(r.value("resultChute"));
        Object outcomeValue = r.value("outcome");
        Outcome outcome;
        try {
            outcome = outcomeValue == null ? null : Outcome.fromWire(outcomeValue.toString());
        } catch (IllegalArgumentException e) {
            outcome = null;
        }
        if (seq == null || chute == null || outcome == null || chute < 0 || chute > 999) {
            ingest.rejected(binding.device(), topic, payload, "SORT_BAD_RESULT",
                    "a result needs seq, chute 0..999 and an outcome, got seq " + seq + " chute " + chute
                            + " outcome " + outcomeValue);
            return;
        }
        int p = pass == null ? 0 : pass.intValue();
        ResultCheck check = decisions.result(seq, p, chute.intValue(), outcome);
        if (check.status() == ResultCheck.Status.DUPLICATE) {
            counters.duplicateResults.increment();
            return;
        }
        if (!check.accepted()) {
            ingest.rejected(binding.device(), topic, payload, "SORT_RESULT_" + check.status().name(), check.problem());
            return;
        }
        counters.divertResults.increment();
        byte[] event = SortJson.eventBytes(new SortEvent.Completed(sorter(), seq, p, chute.intValue(), outcome,
                check.decision().destination(), check.correct(), r.timestamp().toEpochMilli()));
        if (outbox.append(0, OutboundCodec.encode(new OutboundMessage.Event(EVENT_KIND, event))) < 0) {
            counters.sortEventsLost.increment();
        }
    }

    private void chute(DecodedRecord r, String topic, byte[] payload) {
        Optional<Map<String, String>> vars = chuteTopic.match(topic);
        Integer chute = null;
        try {
            chute = vars.map(v -> Integer.parseInt(v.get(SorterBinding.CHUTE_VARIABLE))).orElse(null);
        } catch (NumberFormatException e) {
            // reported below
        }
        Object stateValue = r.value("chuteState");
        ChuteState state;
        try {
            state = stateValue == null ? null : ChuteState.fromWire(stateValue.toString());
        } catch (IllegalArgumentException e) {
            state = null;
        }
        if (chute == null || state == null) {
            ingest.rejected(binding.device(), topic, payload, "SORT_BAD_CHUTE_STATE",
                    "a chute state needs a numeric {chute} in the topic and a state, got " + stateValue);
            return;
        }
        if (!decisions.chuteState(chute, state)) {
            ingest.rejected(binding.device(), topic, payload, "SORT_UNKNOWN_CHUTE",
                    "chute " + chute + " is not in the layout of sorter " + sorter());
        }
    }

    private static Long asLong(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) ? (long) d : null;
        }
        return null;
    }
}
