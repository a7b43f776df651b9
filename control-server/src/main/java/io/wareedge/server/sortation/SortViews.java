package io.wareedge.server.sortation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the sortation API returns. */
public final class SortViews {
    private SortViews() {
    }

    public record SorterView(String site, String sorter, long planVersion, int chutes, int rejectChute,
                             int maxRecirculations, long assignedCodes, Instant updatedAt) {
    }

    public record LayoutResult(long planVersion, List<String> warnings) {
    }

    /** A row the upload refused: its position (0-based), its code and why. */
    public record RejectedRow(int row, String code, String reason) {
    }

    public record UploadResult(int accepted, List<RejectedRow> rejected, long planVersion) {
    }

    public record Assignment(String code, String destination) {
    }

    public record PlanView(String site, String sorter, long planVersion, long assignedCodes, long orderCodes,
                           List<Assignment> assignments) {
    }

    /**
     * @param state pending (not inducted yet), inducted (on the sorter), sorted (left it into a chute of its
     *              destination), missorted (into another chute), rejected (into the reject chute) or jammed
     */
    public record UnitView(String code, String state, String sorter, Integer chute, Instant at) {
    }

    public record OrderView(String id, String site, String destination, Instant createdAt, boolean sorted,
                            Instant sortedAt, List<UnitView> units) {
    }

    /** Counts of one time bucket (or of the whole range). */
    public record Counts(long inducted, long decisions, long recirculated, long rejected, long noReads,
                         long multiReads, long results, long sorted, long missed, long chuteFull, long jams,
                         long withDestination, long correct, Double accuracy) {
    }

    public record Bucket(Instant start, Counts counts) {
    }

    public record SorterStats(String site, String sorter, String bucket, Instant from, Instant to, Counts totals,
                              Map<String, Long> byReason, List<Bucket> buckets) {
    }

    public record PassView(int pass, List<String> codes, int chute, String reason, String code, String destination,
                           long planVersion, Instant inductedAt, Instant decidedAt, String outcome, Integer resultChute,
                           Boolean correct, Instant resultAt) {
    }

    public record ItemView(String site, String sorter, long seq, List<PassView> passes) {
    }
}
