package io.wareedge.server.deadletter;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The JSON an edge agent publishes on {@code wareedge/<group>/<node>/deadletter} for device payloads it could not
 * decode: {@code {"id":123,"device":"reader-1","topic":"fx9600/fx-01/data","kind":"NOT_JSON","detail":"...",
 * "receivedAt":1763933452011,"payloadBase64":"..."}}.
 */
@Serdeable
public record AgentDeadLetterMessage(@Nullable Long id, @Nullable String device, @Nullable String topic,
                                     @Nullable String kind, @Nullable String detail, @Nullable Long receivedAt,
                                     @Nullable String payloadBase64) {
}
