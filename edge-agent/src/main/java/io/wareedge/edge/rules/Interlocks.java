package io.wareedge.edge.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wareedge.edge.normalize.Quality;
import io.wareedge.edge.normalize.Reading;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Evaluates the agent's interlocks on every reading it ingests and runs their actions. A rule fires once when its
 * condition has held for its hold time, and re-arms when the condition clears. Each firing becomes an event
 * (kind {@code interlock}) for the outbox, with the rule, what triggered it, each action's answer and how long
 * the actions took.
 *
 * <p>Threading: {@link #onReadings} runs on ingest threads and {@link #tick} on the rules timer; the rule state is
 * guarded by this object's lock. Commands are sent asynchronously: no lock is held while a device answers.
 */
public final class Interlocks {
    private static final Logger LOG = LoggerFactory.getLogger(Interlocks.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Interlock> rules;
    private final CommandPort commands;
    private final Consumer<byte[]> events;
    private final Clock clock;
    /** Per rule: since when its condition holds (null: it does not), and whether it fired in this activation. */
    private final Map<String, Long> since = new HashMap<>();
    private final Map<String, Object> triggerValue = new HashMap<>();
    private final Map<String, Boolean> fired = new HashMap<>();
    private final Map<String, List<Interlock>> byTrigger = new HashMap<>();

    public Interlocks(List<Interlock> rules, CommandPort commands, Consumer<byte[]> events, Clock clock) {
        this.rules = List.copyOf(rules);
        this.commands = commands;
        this.events = events;
        this.clock = clock;
        for (Interlock r : rules) {
            byTrigger.computeIfAbsent(r.when().device() + "\u0000" + r.when().resource(), k -> new ArrayList<>()).add(r);
        }
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** A device's new readings (GOOD or UNCERTAIN values count; a BAD reading leaves a rule as it was). */
    public void onReadings(String device, List<Reading> readings) {
        if (rules.isEmpty()) {
            return;
        }
        long now = clock.millis();
        List<Interlock> due = new ArrayList<>();
        synchronized (this) {
            for (Reading r : readings) {
                List<Interlock> affected = byTrigger.get(device + "\u0000" + r.metric());
                if (affected == null || r.quality() == Quality.BAD) {
                    continue;
                }
                for (Interlock rule : affected) {
                    if (rule.when().test(r.value())) {
                        since.putIfAbsent(rule.name(), now);
                        triggerValue.put(rule.name(), r.value());
                        if (!fired.getOrDefault(rule.name(), false) && now - since.get(rule.name()) >= rule.holdFor().toMillis()) {
                            fired.put(rule.name(), true);
                            due.add(rule);
                        }
                    } else {
                        since.remove(rule.name());
                        fired.remove(rule.name());
                    }
                }
            }
        }
        due.forEach(rule -> fire(rule, now));
    }

    /** Fires rules whose condition has now held long enough without a new reading. */
    public void tick() {
        long now = clock.millis();
        List<Interlock> due = new ArrayList<>();
        synchronized (this) {
            for (Interlock rule : rules) {
                Long s = since.get(rule.name());
                if (s != null && !fired.getOrDefault(rule.name(), false) && now - s >= rule.holdFor().toMillis()) {
                    fired.put(rule.name(), true);
                    due.add(rule);
                }
            }
        }
        due.forEach(rule -> fire(rule, now));
    }

    private void fire(Interlock rule, long firedAt) {
        Object value;
        long heldSince;
        synchronized (this) {
            value = triggerValue.get(rule.name());
            heldSince = since.getOrDefault(rule.name(), firedAt);
        }
        LOG.warn("interlock {} fired: {} (held since {} ms ago): {}", rule.name(), rule.when().describe(),
                firedAt - heldSince, rule.then());
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (Interlock.Action a : rule.then()) {
            answers.add(commands.send(a.device(), a.command(), a.parameters())
                    .exceptionally(e -> "failed: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).whenComplete((x, e) -> {
            long done = clock.millis();
            ObjectNode event = JSON.createObjectNode()
                    .put("rule", rule.name())
                    .put("condition", rule.when().describe())
                    .put("device", rule.when().device())
                    .put("resource", rule.when().resource())
                    .put("value", String.valueOf(value))
                    .put("heldSince", heldSince)
                    .put("firedAt", firedAt)
                    .put("completedAt", done)
                    .put("actionMillis", done - firedAt);
            ArrayNode actions = event.putArray("actions");
            for (int i = 0; i < rule.then().size(); i++) {
                Interlock.Action a = rule.then().get(i);
                actions.addObject().put("device", a.device()).put("command", a.command())
                        .put("result", answers.get(i).join());
            }
            try {
                events.accept(JSON.writeValueAsBytes(event));
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                LOG.error("interlock event of {} not encoded: {}", rule.name(), ex.toString());
            }
        });
    }
}
