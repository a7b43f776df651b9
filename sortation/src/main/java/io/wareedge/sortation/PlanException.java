package io.wareedge.sortation;

/** A layout, plan or plan update that breaks a rule; the message says which rule and which value. */
public final class PlanException extends IllegalArgumentException {
    public PlanException(String message) {
        super(message);
    }
}
