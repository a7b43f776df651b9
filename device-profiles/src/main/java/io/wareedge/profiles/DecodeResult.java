package io.wareedge.profiles;

import java.util.List;

/**
 * The outcome of decoding one payload: the usable records, the problems found (a record with a bad field keeps
 * its good fields) and how many records the stream's {@code where} filter skipped.
 */
public record DecodeResult(List<DecodedRecord> records, List<DecodeProblem> problems, int skipped) {
    public DecodeResult {
        records = List.copyOf(records);
        problems = List.copyOf(problems);
    }

    /** Whether the payload decoded without any problem. */
    public boolean clean() {
        return problems.isEmpty();
    }

    static DecodeResult failed(ProblemKind kind, String detail) {
        return new DecodeResult(List.of(), List.of(new DecodeProblem(kind, null, detail)), 0);
    }
}
