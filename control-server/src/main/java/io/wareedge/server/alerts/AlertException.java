package io.wareedge.server.alerts;

/** An operator's request about alerts that cannot be carried out, with a message the operator can act on. */
public final class AlertException extends Exception {

    public enum Kind { BAD_REQUEST, NOT_FOUND, CONFLICT, UNAVAILABLE }

    private final Kind kind;

    public AlertException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
