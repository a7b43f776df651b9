package io.wareedge.profiles.bench;

import io.wareedge.profiles.DecodeResult;
import io.wareedge.profiles.DeviceProfile;
import io.wareedge.profiles.JsonPayloadDecoder;
import io.wareedge.profiles.ProfileLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of {@link JsonPayloadDecoder#decode} for the sample payload of each shipped MQTT profile (one decode = one
 * message; the Speedway sample is a batch of 3 tag reads and a heartbeat). How to run: docs/benchmarks.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeBench {
    /** profile id : stream : sample payload under src/test/resources/payloads/. */
    @Param({
        "zebra-fx9600:tagData:zebra-fx9600-tag.json",
        "impinj-speedway-connect:tagReads:impinj-speedway-connect-batch.json",
        "impinj-r700:events:impinj-r700-tag.json",
        "zigbee2mqtt-temp-humidity:state:zigbee2mqtt-temp-humidity.json"
    })
    public String sample;

    private JsonPayloadDecoder decoder;
    private byte[] payload;
    private Instant receivedAt;

    @Setup
    public void setUp() {
        String[] parts = sample.split(":");
        DeviceProfile profile = ProfileLoader.loadBundled().require(parts[0]);
        decoder = JsonPayloadDecoder.forStream(profile, parts[1]);
        try (InputStream in = DecodeBench.class.getResourceAsStream("/payloads/" + parts[2])) {
            payload = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        receivedAt = Instant.parse("2026-11-23T22:00:00Z");
        DecodeResult check = decoder.decode(payload, receivedAt);
        if (!check.clean() || check.records().isEmpty()) {
            throw new IllegalStateException(sample + " does not decode cleanly: " + check);
        }
    }

    @Benchmark
    public DecodeResult decode() {
        return decoder.decode(payload, receivedAt);
    }
}
