package io.wareedge.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A coarse guard against accidental slowness in the hot path (the target is a few microseconds per 200-byte
 * payload); the bound is loose so a busy CI machine does not make it flaky.
 */
class DecoderSpeedTest {
    @Test
    void decodesTypicalTagEventInMicroseconds() {
        DeviceProfile p = ProfileLoader.loadBundled().require("zebra-fx9600");
        JsonPayloadDecoder decoder = JsonPayloadDecoder.forStream(p, "tagData");
        byte[] payload = TestSupport.payload("zebra-fx9600-tag.json");
        Instant now = Instant.now();
        int sink = 0;
        for (int i = 0; i < 50_000; i++) {
            sink += decoder.decode(payload, now).records().size();
        }
        int n = 100_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += decoder.decode(payload, now).records().size();
        }
        double microsPerPayload = (System.nanoTime() - start) / 1000.0 / n;
        System.out.printf("zebra tag event (%d bytes): %.2f us/payload%n", payload.length, microsPerPayload);
        assertThat(sink).isEqualTo(150_000);
        assertThat(microsPerPayload).isLessThan(50);
    }
}
