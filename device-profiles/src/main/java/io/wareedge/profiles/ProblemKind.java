package io.wareedge.profiles;

/** Why (part of) a payload could not be decoded. */
public enum ProblemKind {
    /** The payload is not parseable JSON. */
    NOT_JSON,
    /** The records pointer is missing or a record is not a JSON object. */
    WRONG_SHAPE,
    /** A value has the wrong JSON type for its resource, e.g. "abc" for a FLOAT. */
    BAD_TYPE,
    /** A value lies outside the resource's min/max or its type's range. */
    OUT_OF_RANGE,
    /** A raw value has no label in the resource's enum. */
    UNKNOWN_ENUM,
    /** The timestamp field is missing or unparseable; the record keeps the receive time. */
    BAD_TIMESTAMP,
    /** The payload is bigger than the stream's maxPayloadBytes; nothing was decoded. */
    OVERSIZED,
    /** A resource marked {@code required: true} is absent from a record. */
    MISSING_REQUIRED
}
