package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.cluster.ClusterMembership;
import dev.ecubridge.cluster.EcuTarget;
import dev.ecubridge.cluster.EcuTargets;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode with two bridges in this JVM and a real broker: the ECUs of the targets topic are split between them by
 * partition, never polled by both, and all go to the one left when the other leaves.
 */
class ClusterTest {

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final int ECUS = 12;
    private static final int PARTITIONS = 4;
    private static final int SESSION_MS = 3000;
    private static final Duration PATIENCE = Duration.ofSeconds(40);

    @TempDir
    Path tmp;

    private final MutableClock clock = TestBridge.summerNoon();
    private final Opened open = new Opened();
    private final Map<TestBridge, Integer> managementPort = new java.util.HashMap<>();
    private SimulatorFleet fleet;

    @AfterEach
    void stop() throws Exception {
        open.close();
        if (fleet != null) {
            fleet.close();
        }
    }

    private TestBridge bridge(String name) throws Exception {
        Map<String, Object> p = TestBridge.clusterPolling(tmp.resolve(name), kafka, PARTITIONS, SESSION_MS);
        TestBridge bridge = TestBridge.start(p, clock);
        managementPort.put(bridge, (Integer) p.get("camel.management.port"));
        open.add(bridge);
        return bridge;
    }

    private static List<String> owned(TestBridge bridge) {
        return bridge.bean("clusterMembership", ClusterMembership.class).ecuNames();
    }

    private static double published(TestBridge bridge, String ecuId) {
        return bridge.meter("ecubridge.snapshots.published", "ecu_id", ecuId);
    }

    @Test
    void theEcusAreSplitByPartitionAndMoveWhenAnInstanceLeaves() throws Exception {
        fleet = SimulatorFleet.start(SiteSpec.defaults().withSeed(3), ECUS, "127.0.0.1", 0, clock, List.of());
        Map<String, EcuTarget> targets = new LinkedHashMap<>();
        Map<String, String> ecuIdOf = new LinkedHashMap<>();
        for (int i = 0; i < ECUS; i++) {
            targets.put("ecu" + i, new EcuTarget("127.0.0.1", fleet.server(i).port(), null));
            ecuIdOf.put("ecu" + i, fleet.ecu(i).ecuId());
        }
        EcuTargets topic = new EcuTargets(Map.of("bootstrap.servers", kafka.bootstrapServers()), "ecu-targets");
        assertThat(topic.create(PARTITIONS)).isEqualTo(PARTITIONS);
        topic.write(targets, true);

        TestBridge a = bridge("a");
        Await.until(PATIENCE, () -> owned(a).size() == ECUS
                && ecuIdOf.values().stream().allMatch(id -> published(a, id) >= 1));

        noEcuConnectedTwiceAtOnce("a alone");

        TestBridge b = bridge("b");
        Await.until(PATIENCE, () -> owned(a).size() + owned(b).size() == ECUS && !owned(a).isEmpty() && !owned(b).isEmpty()
                && bridgeOwnsPartitions(a) == PARTITIONS / 2 && bridgeOwnsPartitions(b) == PARTITIONS / 2);
        Set<String> both = new HashSet<>(owned(a));
        both.retainAll(owned(b));
        assertThat(both).as("ECUs owned by both").isEmpty();

        // new data: each ECU's snapshot is published by its owner, once
        clock.advance(Duration.ofMinutes(5));
        List<String> ofB = List.copyOf(owned(b));
        Await.until(PATIENCE, () -> ofB.stream().allMatch(n -> published(b, ecuIdOf.get(n)) >= 1));

        noEcuConnectedTwiceAtOnce("b joined");

        // b leaves: a polls them all again
        b.close();
        open.remove(b);
        Await.until(Duration.ofMillis(SESSION_MS).plus(PATIENCE), () -> owned(a).size() == ECUS);
        clock.advance(Duration.ofMinutes(5));
        Await.until(PATIENCE, () -> ofB.stream().allMatch(n -> published(a, ecuIdOf.get(n)) >= 1));

        noEcuConnectedTwiceAtOnce("b left");
        assertThat(Health.check(managementPort.get(a), "cluster").get("status").asText()).isEqualTo("UP");
        assertThat(a.meter("ecubridge.cluster.ecus")).isEqualTo(ECUS);
        assertThat(a.meter("ecubridge.cluster.partitions")).isEqualTo(PARTITIONS);
    }

    private void noEcuConnectedTwiceAtOnce(String when) {
        for (int i = 0; i < ECUS; i++) {
            assertThat(fleet.server(i).maxConcurrentConnections()).as("connections at once to ecu" + i + " (" + when + ")")
                    .isLessThanOrEqualTo(1);
        }
    }

    private static int bridgeOwnsPartitions(TestBridge bridge) {
        return bridge.bean("clusterMembership", ClusterMembership.class).partitions();
    }
}
