package io.wareedge.profiles;

import java.util.List;

/**
 * A profile could not be loaded. The message reads {@code source:line: reason} so editors and CI logs can jump to
 * the offending line.
 */
public class ProfileException extends RuntimeException {
    private final String source;
    private final int line;
    private final String reason;
    private final List<ProfileException> problems;

    public ProfileException(String source, int line, String reason) {
        this(source, line, reason, List.of());
    }

    private ProfileException(String source, int line, String reason, List<ProfileException> problems) {
        super(source + ":" + line + ": " + reason);
        this.source = source;
        this.line = line;
        this.reason = reason;
        this.problems = List.copyOf(problems);
    }

    /** One exception that lists several problems (e.g. every bad file of a directory). */
    static ProfileException combining(String source, List<ProfileException> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        StringBuilder reason = new StringBuilder(problems.size() + " profile problems:");
        for (ProfileException p : problems) {
            reason.append(System.lineSeparator()).append("  ").append(p.getMessage());
        }
        return new ProfileException(source, 0, reason.toString(), problems);
    }

    /** The file (or source name) the problem is in. */
    public String source() {
        return source;
    }

    /** 1-based line of the problem, 0 if unknown. */
    public int line() {
        return line;
    }

    /** What is wrong, without the source and line. */
    public String reason() {
        return reason;
    }

    /** The individual problems when this exception combines several; otherwise a list containing only this one. */
    public List<ProfileException> problems() {
        return problems.isEmpty() ? List.of(this) : problems;
    }
}
