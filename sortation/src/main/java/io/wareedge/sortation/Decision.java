package io.wareedge.sortation;

/**
 * Where one item on one pass goes.
 *
 * @param chute       the chute to divert into; {@link #RECIRCULATE} for none
 * @param code        the code the decision is based on, or null (no-read, conflicting multi-read)
 * @param destination the destination of that code, or null when unknown
 */
public record Decision(long seq, int pass, int chute, Reason reason, String code, String destination,
                       long planVersion) {
    public static final int RECIRCULATE = 0;

    public boolean recirculates() {
        return chute == RECIRCULATE;
    }
}
