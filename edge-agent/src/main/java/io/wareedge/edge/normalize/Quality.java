package io.wareedge.edge.normalize;

/** Quality of a reading, mapped to Sparkplug's Quality property codes upstream. */
public enum Quality {
    GOOD(192), BAD(0), STALE(500);

    private final int sparkplugCode;

    Quality(int sparkplugCode) {
        this.sparkplugCode = sparkplugCode;
    }

    public int sparkplugCode() {
        return sparkplugCode;
    }
}
