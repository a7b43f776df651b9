package io.wareedge.sparkplug;

/** Thrown when bytes are not a Sparkplug B payload; the message says why. */
public class InvalidPayloadException extends Exception {
    public InvalidPayloadException(String message, Throwable cause) {
        super(message, cause);
    }

    public InvalidPayloadException(String message) {
        super(message);
    }
}
