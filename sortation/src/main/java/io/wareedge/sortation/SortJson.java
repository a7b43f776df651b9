package io.wareedge.sortation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON forms shared by the control server and the edge agent: layouts (API), plan snapshots (server → agent)
 * and sort events (agent → server). Reading is strict: a missing or mistyped field is a {@link PlanException}
 * naming the field.
 */
public final class SortJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SortJson() {
    }

    // ---- layout ----

    public static ObjectNode layout(SorterLayout layout) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode chutes = o.putArray("chutes");
        for (Chute c : layout.chutes()) {
            ObjectNode chute = chutes.addObject().put("number", c.number());
            ArrayNode ds = chute.putArray("destinations");
            c.destinations().forEach(ds::add);
        }
        o.put("rejectChute", layout.rejectChute());
        o.put("maxRecirculations", layout.maxRecirculations());
        o.put("noRead", layout.noRead().wireName());
        o.put("unknownCode", layout.unknownCode().wireName());
        o.put("multiRead", layout.multiRead().wireName());
        return o;
    }

    public static SorterLayout readLayout(JsonNode o) {
        requireObject(o, "layout");
        JsonNode chutesNode = o.get("chutes");
        if (chutesNode == null || !chutesNode.isArray()) {
            throw new PlanException("layout.chutes must be an array of {number, destinations}");
        }
        List<Chute> chutes = new ArrayList<>();
        int i = 0;
        for (JsonNode c : chutesNode) {
            String at = "layout.chutes[" + i++ + "]";
            requireObject(c, at);
            List<String> destinations = new ArrayList<>();
            JsonNode ds = c.get("destinations");
            if (ds != null && !ds.isNull()) {
                if (!ds.isArray()) {
                    throw new PlanException(at + ".destinations must be an array of strings");
                }
                for (JsonNode d : ds) {
                    if (!d.isTextual()) {
                        throw new PlanException(at + ".destinations must be an array of strings, got " + d);
                    }
                    destinations.add(d.asText());
                }
            }
            chutes.add(new Chute(intField(c, "number", at), destinations));
        }
        return new SorterLayout(chutes, intField(o, "rejectChute", "layout"),
                o.has("maxRecirculations") ? intField(o, "maxRecirculations", "layout") : 3,
                action(o, "noRead", UnresolvedAction.REJECT),
                action(o, "unknownCode", UnresolvedAction.RECIRCULATE),
                action(o, "multiRead", UnresolvedAction.REJECT));
    }

    private static UnresolvedAction action(JsonNode o, String field, UnresolvedAction dflt) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        try {
            return UnresolvedAction.fromWire(n.asText());
        } catch (IllegalArgumentException e) {
            throw new PlanException("layout." + field + " " + e.getMessage());
        }
    }

    // ---- plan snapshot ----

    public static byte[] planSnapshot(SortPlan plan) {
        ObjectNode o = JSON.createObjectNode();
        o.put("sorter", plan.sorter());
        o.put("version", plan.version());
        o.set("layout", layout(plan.layout()));
        ObjectNode codes = o.putObject("codes");
        plan.destinationByCode().forEach(codes::put);
        return bytes(o);
    }

    public static SortPlan readPlanSnapshot(byte[] payload) {
        JsonNode o = parse(payload);
        requireObject(o, "plan");
        JsonNode codesNode = o.get("codes");
        if (codesNode == null || !codesNode.isObject()) {
            throw new PlanException("plan.codes must be an object of code → destination");
        }
        Map<String, String> codes = new HashMap<>(codesNode.size() * 4 / 3 + 1);
        for (Iterator<Map.Entry<String, JsonNode>> it = codesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new PlanException("plan.codes." + e.getKey() + " must be a destination name");
            }
            codes.put(e.getKey(), e.getValue().asText());
        }
        return new SortPlan(textField(o, "sorter", "plan"), longField(o, "version", "plan"),
                readLayout(o.get("layout")), codes);
    }

    // ---- sort events ----

    /** The event as the JSON the agent sends upstream, written field by field (it is on the per-item path). */
    public static byte[] eventBytes(SortEvent event) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("sorter", event.sorter());
            g.writeNumberField("seq", event.seq());
            g.writeNumberField("pass", event.pass());
            if (event instanceof SortEvent.Decided d) {
                Decision decision = d.decision();
                g.writeStringField("type", "decided");
                g.writeArrayFieldStart("codes");
                for (String code : d.codes()) {
                    g.writeString(code);
                }
                g.writeEndArray();
                g.writeNumberField("chute", decision.chute());
                g.writeStringField("reason", decision.reason().wireName());
                g.writeStringField("code", decision.code());
                g.writeStringField("destination", decision.destination());
                g.writeNumberField("planVersion", decision.planVersion());
                g.writeNumberField("inductedAt", d.inductedAtMillis());
                g.writeNumberField("decidedAt", d.decidedAtMillis());
            } else if (event instanceof SortEvent.Completed c) {
                g.writeStringField("type", "completed");
                g.writeNumberField("chute", c.chute());
                g.writeStringField("outcome", c.outcome().wireName());
                g.writeStringField("destination", c.destination());
                g.writeBooleanField("correct", c.correct());
                g.writeNumberField("at", c.atMillis());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    /** The event as a JSON tree (tests and tools; the agent sends {@link #eventBytes}). */
    public static ObjectNode event(SortEvent event) {
        return (ObjectNode) parse(eventBytes(event));
    }

    public static SortEvent readEvent(JsonNode o) {
        requireObject(o, "event");
        String type = textField(o, "type", "event");
        String sorter = textField(o, "sorter", "event");
        long seq = longField(o, "seq", "event");
        int pass = intField(o, "pass", "event");
        int chute = intField(o, "chute", "event");
        try {
            switch (type) {
                case "decided": {
                    List<String> codes = new ArrayList<>();
                    JsonNode cs = o.get("codes");
                    if (cs == null || !cs.isArray()) {
                        throw new PlanException("event.codes must be an array");
                    }
                    cs.forEach(c -> codes.add(c.asText()));
                    Decision d = new Decision(seq, pass, chute, Reason.fromWire(textField(o, "reason", "event")),
                            optionalText(o, "code"), optionalText(o, "destination"), longField(o, "planVersion", "event"));
                    return new SortEvent.Decided(sorter, d, codes, longField(o, "inductedAt", "event"),
                            longField(o, "decidedAt", "event"));
                }
                case "completed":
                    return new SortEvent.Completed(sorter, seq, pass, chute,
                            Outcome.fromWire(textField(o, "outcome", "event")), optionalText(o, "destination"),
                            o.path("correct").asBoolean(false), longField(o, "at", "event"));
                default:
                    throw new PlanException("event.type must be decided or completed, got '" + type + "'");
            }
        } catch (PlanException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new PlanException("event: " + e.getMessage());
        }
    }

    // ---- helpers ----

    public static JsonNode parse(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new PlanException("not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireObject(JsonNode o, String what) {
        if (o == null || !o.isObject()) {
            throw new PlanException(what + " must be a JSON object");
        }
    }

    private static String textField(JsonNode o, String field, String at) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw new PlanException(at + "." + field + " must be a string");
        }
        return n.asText();
    }

    private static String optionalText(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static long longField(JsonNode o, String field, String at) {
        JsonNode n = o.get(field);
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) {
            throw new PlanException(at + "." + field + " must be an integer");
        }
        return n.asLong();
    }

    private static int intField(JsonNode o, String field, String at) {
        JsonNode n = o.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new PlanException(at + "." + field + " must be an integer, got " + n);
        }
        return n.asInt();
    }
}
