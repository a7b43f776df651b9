package io.wareedge.sparkplug;

/** The Sparkplug B 3.0 message types, as they appear in the topic. */
public enum MessageType {
    NBIRTH, NDEATH, DBIRTH, DDEATH, NDATA, DDATA, NCMD, DCMD, STATE;

    /** True for the types whose topic carries a device id. */
    public boolean isDeviceLevel() {
        return this == DBIRTH || this == DDEATH || this == DDATA || this == DCMD;
    }

    /** True for the types that take part in the edge node's {@code seq} sequence (every node message but NDEATH). */
    public boolean isSequenced() {
        return this == NBIRTH || this == NDATA || this == DBIRTH || this == DDEATH || this == DDATA;
    }
}
