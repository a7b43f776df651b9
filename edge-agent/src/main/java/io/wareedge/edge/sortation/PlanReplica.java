package io.wareedge.edge.sortation;

import io.wareedge.edge.health.AgentCounters;
import io.wareedge.sortation.Decisions;
import io.wareedge.sortation.PlanException;
import io.wareedge.sortation.SortJson;
import io.wareedge.sortation.SortPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's copies of its sorters' plans. The control server publishes each plan as a retained snapshot on
 * {@code wareedge/{site}/sortplan/{sorter}}; the uplink delivers it here, a newer version replaces the current one
 * and is written to {@code <dataDir>/sortplans/<sorter>.json} before it is used, so an agent restarted while the
 * control server is unreachable sorts with the last plan it had.
 *
 * <p>Threading: {@link #onSnapshot} runs on the uplink's callback thread; {@link Decisions#replacePlan} swaps the
 * plan atomically for the sorter's thread.
 */
public final class PlanReplica implements io.wareedge.edge.uplink.ControlPlaneListener {
    private static final Logger LOG = LoggerFactory.getLogger(PlanReplica.class);

    private final Path directory;
    private final AgentCounters counters;
    private final Map<String, Decisions> byTopic = new LinkedHashMap<>();

    public PlanReplica(Path dataDir, String site, Map<String, Decisions> bySorter, AgentCounters counters) {
        this.directory = dataDir.resolve("sortplans");
        this.counters = counters;
        bySorter.forEach((sorter, decisions) -> byTopic.put(topic(site, sorter), decisions));
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String topic(String site, String sorter) {
        return "wareedge/" + site + "/sortplan/" + sorter;
    }

    /** The topics to subscribe to on the uplink broker. */
    @Override
    public Iterable<String> topics() {
        return byTopic.keySet();
    }

    /** The plan last stored on disk for a sorter, if there is a usable one. */
    public static Optional<SortPlan> stored(Path dataDir, String sorter) {
        Path file = dataDir.resolve("sortplans").resolve(sorter + ".json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            SortPlan plan = SortJson.readPlanSnapshot(Files.readAllBytes(file));
            if (!plan.sorter().equals(sorter)) {
                LOG.warn("ignoring {}: it holds the plan of sorter {}", file, plan.sorter());
                return Optional.empty();
            }
            LOG.info("sorter {}: using stored plan version {} ({} codes) until the control server sends a newer one",
                    sorter, plan.version(), plan.destinationByCode().size());
            return Optional.of(plan);
        } catch (IOException | PlanException e) {
            LOG.warn("ignoring unusable stored plan {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** A plan snapshot from the uplink; returns whether the topic was one of this replica's. */
    @Override
    public boolean onMessage(String topic, byte[] payload) {
        Decisions decisions = byTopic.get(topic);
        if (decisions == null) {
            return false;
        }
        if (payload.length == 0) {
            return true; // a cleared retained message: keep the plan we have
        }
        SortPlan plan;
        try {
            plan = SortJson.readPlanSnapshot(payload);
        } catch (PlanException e) {
            counters.deadLetter("SORT_BAD_PLAN");
            LOG.warn("ignoring unusable plan on {}: {}", topic, e.getMessage());
            return true;
        }
        if (!plan.sorter().equals(decisions.sorter())) {
            counters.deadLetter("SORT_BAD_PLAN");
            LOG.warn("ignoring plan for sorter {} published on {}", plan.sorter(), topic);
            return true;
        }
        SortPlan current = decisions.plan();
        if (current != null && current.version() >= plan.version()) {
            return true;
        }
        store(plan.sorter(), payload);
        if (decisions.replacePlan(plan)) {
            counters.sortPlansApplied.increment();
            LOG.info("sorter {}: plan version {} applied ({} codes, {} chutes)", plan.sorter(), plan.version(),
                    plan.destinationByCode().size(), plan.layout().chutes().size());
        }
        return true;
    }

    private void store(String sorter, byte[] payload) {
        Path file = directory.resolve(sorter + ".json");
        Path tmp = directory.resolve(sorter + ".json.tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(payload));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // The plan is still used; only a restart without the control server would miss it.
            LOG.warn("could not store the plan of sorter {} in {}: {}", sorter, file, e.toString());
        }
    }
}
