package io.wareedge.sortation;

/**
 * A divert result matched to its command.
 *
 * @param decision the decision the result answers (null unless accepted)
 * @param correct  whether the item reached a chute of its destination
 */
public record ResultCheck(Status status, String problem, Decision decision, boolean correct) {
    public enum Status { ACCEPTED, NO_SUCH_COMMAND, UNKNOWN_CHUTE, DUPLICATE }

    static ResultCheck rejected(Status status, String problem) {
        return new ResultCheck(status, problem, null, false);
    }

    public boolean accepted() {
        return status == Status.ACCEPTED;
    }
}
