package io.wareedge.server;

import io.wareedge.embedded.MosquittoBroker;
import io.wareedge.server.testing.TestEdgeNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

/**
 * The host scenarios on Debian's Eclipse Mosquitto, plus staleness (short stale-after). Skipped when Mosquitto is
 * not installed, except in CI where it must run.
 */
class SparkplugHostMosquittoTest extends SparkplugHostScenarios {
    private MosquittoBroker broker;

    @Override
    String startBroker(Path workDir) {
        Assumptions.assumeTrue(MosquittoBroker.isInstalled() || System.getenv("CI") != null,
                "mosquitto is not installed (apt-get install mosquitto)");
        broker = MosquittoBroker.start(workDir);
        return broker.url();
    }

    @Override
    String brokerUrlForNodes() {
        return broker.url();
    }

    @Override
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    Map<String, Object> serverProperties() {
        return Map.of("wareedge.registry.stale-after", "5s");
    }

    @Test
    void silentDeviceBecomesStaleAndDataBringsItBack() throws Exception {
        TestEdgeNode n = nodeWithReader();
        await().until(() -> "ONLINE".equals(device(n, "reader-1").get("state")));
        await().until(() -> "STALE".equals(device(n, "reader-1").get("state")));
        n.deviceData("reader-1", java.util.List.of(io.wareedge.sparkplug.Metric.of("reads", System.currentTimeMillis(),
                io.wareedge.sparkplug.DataType.INT64, 5L)));
        await().until(() -> "ONLINE".equals(device(n, "reader-1").get("state")));
    }

    /** A device that reports by exception says nothing while nothing changes: its node's NDATA keeps it online. */
    @Test
    void aQuietDeviceOfANodeThatKeepsTalkingIsNotStale() throws Exception {
        TestEdgeNode n = nodeWithReader();
        await().until(() -> "ONLINE".equals(device(n, "reader-1").get("state")));
        // For longer than stale-after (5 s), the node sends NDATA every second and the device stays online.
        org.awaitility.Awaitility.await().pollInterval(java.time.Duration.ofSeconds(1))
                .during(java.time.Duration.ofSeconds(8)).atMost(java.time.Duration.ofSeconds(20)).until(() -> {
                    n.nodeData(java.util.List.of(io.wareedge.sparkplug.Metric.of("Agent/Readings",
                            System.currentTimeMillis(), io.wareedge.sparkplug.DataType.INT64, 1L)));
                    return "ONLINE".equals(device(n, "reader-1").get("state"));
                });
        // The node falls silent too: now nobody vouches for the device.
        await().until(() -> "STALE".equals(device(n, "reader-1").get("state")));
    }
}
