package io.wareedge.profiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

final class TestSupport {
    static final Instant RECEIVED = Instant.parse("2026-11-23T22:00:00Z");

    private TestSupport() {
    }

    static byte[] payload(String name) {
        try (InputStream in = TestSupport.class.getResourceAsStream("/payloads/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test payload " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DecodeResult decode(String profileId, String stream, String payloadName) {
        DeviceProfile p = ProfileLoader.loadBundled().require(profileId);
        return JsonPayloadDecoder.forStream(p, stream).decode(payload(payloadName), RECEIVED);
    }

    static DecodeResult decodeText(String profileId, String stream, String json) {
        DeviceProfile p = ProfileLoader.loadBundled().require(profileId);
        return JsonPayloadDecoder.forStream(p, stream).decode(json.getBytes(), RECEIVED);
    }
}
