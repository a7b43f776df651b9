package io.wareedge.edge.normalize;

/** Quality of a reading, mapped to Sparkplug's Quality property codes upstream. */
public enum Quality {
    // appended only: the outbox stores the ordinal
    GOOD(192), BAD(0), STALE(500), UNCERTAIN(64);

    private final int sparkplugCode;

    Quality(int sparkplugCode) {
        this.sparkplugCode = sparkplugCode;
    }

    public int sparkplugCode() {
        return sparkplugCode;
    }
}
