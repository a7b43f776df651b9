package io.wareedge.profiles;

/**
 * Where a resource is found in an MQTT stream's records.
 *
 * @param stream     the {@link MqttStream} name
 * @param pointer    JSON pointer relative to the record
 * @param sourceUnit the unit the device sends (converted to the resource unit); the resource unit if not given
 * @param reduce     how an array field becomes one value
 * @param encoding   how a STRING field is spelled (hex/base64 ids are normalized to upper-case hex)
 */
public record MqttAddress(String stream, String pointer, Unit sourceUnit, ArrayReduce reduce, TextEncoding encoding) {
    public MqttAddress {
        Checks.name("stream", stream);
        Checks.pointer("mqtt pointer", pointer);
        if (pointer.isEmpty()) {
            throw new IllegalArgumentException("mqtt pointer must point into the record, e.g. /temperature");
        }
        Checks.notNull("source unit", sourceUnit);
        reduce = reduce == null ? ArrayReduce.NONE : reduce;
        encoding = encoding == null ? TextEncoding.TEXT : encoding;
    }

    public MqttAddress(String stream, String pointer, Unit sourceUnit) {
        this(stream, pointer, sourceUnit, ArrayReduce.NONE, TextEncoding.TEXT);
    }
}
