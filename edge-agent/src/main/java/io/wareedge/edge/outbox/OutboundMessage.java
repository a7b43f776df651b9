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

    /**
     * An application event (a sort decision, a divert result) for the control server: a JSON object sent in a
     * batch on {@code wareedge/{site}/{agent}/events/{kind}}.
     */
    record Event(String kind, byte[] json) implements OutboundMessage {
        public Event {
            if (json.length < 2 || json[0] != '{' || json[1] == '}') {
                throw new IllegalArgumentException("an event body must be a non-empty JSON object");
            }
        }
    }
}
