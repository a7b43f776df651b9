package io.wareedge.sparkplug;

/** Names of the Sparkplug metrics with a defined meaning. */
public final class NodeControl {
    /** Birth/death sequence number, in NBIRTH and in the NDEATH will. */
    public static final String BD_SEQ = "bdSeq";
    /** A host writes true to this metric in an NCMD to ask the edge node for a new birth. */
    public static final String REBIRTH = "Node Control/Rebirth";

    private NodeControl() {
    }
}
