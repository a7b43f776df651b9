package io.wareedge.profiles;

/**
 * Something in a payload that could not be used.
 *
 * @param resource the resource concerned, or null for problems of the whole payload or record
 */
public record DecodeProblem(ProblemKind kind, String resource, String detail) {
    public DecodeProblem {
        Checks.notNull("kind", kind);
        detail = Checks.text(detail);
    }

    @Override
    public String toString() {
        return kind + (resource == null ? "" : "[" + resource + "]") + ": " + detail;
    }
}
