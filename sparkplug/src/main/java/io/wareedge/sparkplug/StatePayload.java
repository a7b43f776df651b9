package io.wareedge.sparkplug;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host application's STATE message in Sparkplug 3.0 form: {@code {"online":true,"timestamp":1700000000000}},
 * published retained at QoS 1 on {@code spBv1.0/STATE/<host id>}; the MQTT will carries the same timestamp with
 * {@code online:false}.
 */
public record StatePayload(boolean online, long timestamp) {

    private static final Pattern ONLINE = Pattern.compile("\"online\"\\s*:\\s*(true|false)");
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\"\\s*:\\s*(\\d+)");

    public byte[] toJson() {
        return ("{\"online\":" + online + ",\"timestamp\":" + timestamp + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a STATE payload; throws IllegalArgumentException when it is not one. */
    public static StatePayload parse(byte[] json) {
        String s = new String(json, StandardCharsets.UTF_8);
        Matcher online = ONLINE.matcher(s);
        Matcher ts = TIMESTAMP.matcher(s);
        if (!online.find() || !ts.find()) {
            throw new IllegalArgumentException("not a Sparkplug 3.0 STATE payload: " + s);
        }
        return new StatePayload(Boolean.parseBoolean(online.group(1)), Long.parseLong(ts.group(1)));
    }
}
