package io.wareedge.server.alerts;

import java.time.Instant;

/** An open alert as the alert thread keeps it; owned by that thread alone. */
final class Alert {
    static final String ACTIVE = "active";
    static final String ACKNOWLEDGED = "acknowledged";
    static final String CLEARED = "cleared";
    static final String CLOSED = "closed";

    long id;
    final String rule;
    final String ruleSource;
    final String source;
    String area;
    final String severity;
    final String message;
    final boolean latch;
    String state = ACTIVE;
    boolean active = true;
    boolean acknowledged;
    Instant conditionSince;
    Instant raisedAt;
    String value;
    Instant ackedAt;
    String ackedBy;
    Instant clearedAt;
    Instant closedAt;
    String closedBy;
    Instant shelvedUntil;
    String shelvedBy;
    String shelveReason;
    String suppressedBy;
    Instant escalatedAt;
    boolean chattering;
    int occurrences = 1;
    /** A chattering alert closes when its condition stayed clear until then (epoch ms; 0 = not pending). */
    long closeDueAt;

    Alert(String rule, String ruleSource, String source, String area, String severity, String message, boolean latch) {
        this.rule = rule;
        this.ruleSource = ruleSource;
        this.source = source;
        this.area = area;
        this.severity = severity;
        this.message = message;
        this.latch = latch;
    }

    String key() {
        return key(rule, source);
    }

    static String key(String rule, String source) {
        return rule + "\u0000" + source;
    }

    boolean open() {
        return !CLOSED.equals(state);
    }

    boolean shelved(Instant now) {
        return shelvedUntil != null && shelvedUntil.isAfter(now);
    }

    AlertView view() {
        return new AlertView(id, rule, ruleSource, source, area, severity, message, latch, state, active, acknowledged,
                conditionSince, raisedAt, value, ackedAt, ackedBy, clearedAt, closedAt, closedBy, shelvedUntil,
                shelvedBy, shelveReason, suppressedBy, escalatedAt, chattering, occurrences);
    }

    static Alert of(AlertView v) {
        Alert a = new Alert(v.rule(), v.ruleSource(), v.source(), v.area(), v.severity(), v.message(), v.latch());
        a.id = v.id();
        a.state = v.state();
        a.active = v.active();
        a.acknowledged = v.acknowledged();
        a.conditionSince = v.conditionSince();
        a.raisedAt = v.raisedAt();
        a.value = v.value();
        a.ackedAt = v.ackedAt();
        a.ackedBy = v.ackedBy();
        a.clearedAt = v.clearedAt();
        a.closedAt = v.closedAt();
        a.closedBy = v.closedBy();
        a.shelvedUntil = v.shelvedUntil();
        a.shelvedBy = v.shelvedBy();
        a.shelveReason = v.shelveReason();
        a.suppressedBy = v.suppressedBy();
        a.escalatedAt = v.escalatedAt();
        a.chattering = v.chattering();
        a.occurrences = v.occurrences();
        return a;
    }
}
