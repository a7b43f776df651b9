package io.wareedge.edge.outbox;

import io.wareedge.edge.normalize.Sample;

/** What the agent sends upstream, in the order it happened. */
public sealed interface OutboundMessage {

    /** Readings of one device. */
    record SampleMessage(Sample sample) implements OutboundMessage {
    }

    /** Device input the agent could not use, kept with its raw bytes. */
    record DeadLetter(String device, String topic, String kind, String detail, long receivedAtMillis,
                      byte[] payload) implements OutboundMessage {
    }

    /** A device came online (first data, or data after a silence) or went offline (silent, or its link lost). */
    record DeviceState(String device, boolean online, long atMillis, String reason) implements OutboundMessage {
    }
}
