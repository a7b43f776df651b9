package io.wareedge.server.picking;

/** A picking request that cannot be done as asked; the message is for the person who made it. */
public final class PickingException extends RuntimeException {
    /** What kind of refusal: the API maps it to an HTTP status. */
    public enum Kind { BAD_REQUEST, UNAUTHORIZED, LOCKED, NOT_FOUND, CONFLICT }

    private final Kind kind;

    public PickingException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
