package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.cluster.EcuTarget;
import dev.ecubridge.cluster.EcuTargets;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two bridge processes in cluster mode; one is frozen (SIGSTOP) for twice the session timeout and then thawed: the
 * other takes its ECUs within the session timeout and a few seconds, the thawed one sends no request to an ECU it no
 * longer owns, and the simulator never sees two connections to one ECU at once.
 */
class ClusterZombieTest {

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final int ECUS = 8;
    private static final int PARTITIONS = 4;
    private static final int SESSION_MS = 3000;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final MutableClock clock = TestBridge.summerNoon();
    private final Opened open = new Opened();
    private SimulatorFleet fleet;
    /** ECUs with a connection the frozen process held open: the new owner may connect while it is (see ClusterBridge). */
    private java.util.Set<Integer> heldOpen = java.util.Set.of();

    @AfterEach
    void stop() throws Exception {
        open.close();
        if (fleet != null) {
            fleet.close();
        }
    }

    private ClusterBridge bridge(String name) throws Exception {
        ClusterBridge bridge = ClusterBridge.start(tmp, name, kafka, PARTITIONS, SESSION_MS, List.of());
        open.add(bridge);
        return bridge;
    }

    private long[] connections() {
        long[] c = new long[ECUS];
        for (int i = 0; i < ECUS; i++) {
            c[i] = fleet.server(i).connections();
        }
        return c;
    }

    private boolean everyEcuPolledSince(long[] before) {
        long[] now = connections();
        for (int i = 0; i < ECUS; i++) {
            if (now[i] <= before[i]) {
                return false;
            }
        }
        return true;
    }

    private void noEcuConnectedTwiceAtOnce(String when) {
        for (int i = 0; i < ECUS; i++) {
            assertThat(fleet.server(i).maxConcurrentConnections()).as("connections at once to ecu" + i + " (" + when + ")")
                    .isLessThanOrEqualTo(heldOpen.contains(i) ? 2 : 1);
        }
    }

    /** Waits; on failure shows the end of each bridge's output. */
    private static void awaitOrShow(List<ClusterBridge> bridges, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            Await.until(PATIENCE, condition);
        } catch (AssertionError e) {
            StringBuilder out = new StringBuilder(e.getMessage());
            for (ClusterBridge b : bridges) {
                out.append("\n(ECUs ").append(b.ecus()).append(") ").append(b.tail());
            }
            throw new AssertionError(out.toString(), e);
        }
    }

    @Test
    void aFrozenInstanceLosesItsEcusAndPollsNoneOfThemWhenThawed() throws Exception {
        fleet = SimulatorFleet.start(SiteSpec.defaults().withSeed(5), ECUS, "127.0.0.1", 0, clock, List.of());
        Map<String, EcuTarget> targets = new LinkedHashMap<>();
        for (int i = 0; i < ECUS; i++) {
            targets.put("ecu" + i, new EcuTarget("127.0.0.1", fleet.server(i).port(), null));
        }
        EcuTargets topic = new EcuTargets(Map.of("bootstrap.servers", kafka.bootstrapServers()), "ecu-targets");
        topic.create(PARTITIONS);
        topic.write(targets, true);

        ClusterBridge a = bridge("a");
        ClusterBridge b = bridge("b");
        awaitOrShow(List.of(a, b), () -> a.ecus() > 0 && b.ecus() > 0 && a.ecus() + b.ecus() == ECUS);
        long[] before = connections();
        Await.until(PATIENCE, () -> everyEcuPolledSince(before));
        noEcuConnectedTwiceAtOnce("split");

        int ofB = b.ecus();
        b.process().signal("STOP");
        long frozen = System.nanoTime();
        heldOpen = ClusterBridge.connectionsHeldOpen(fleet);
        awaitOrShow(List.of(a), () -> a.ecus() == ECUS);
        long[] taken = connections();
        Await.until(PATIENCE, () -> everyEcuPolledSince(taken));
        long movedMs = (System.nanoTime() - frozen) / 1_000_000;
        assertThat(movedMs).as("ms until all ECUs polled by the other instance").isLessThan(SESSION_MS + 10_000);
        Thread.sleep(Math.max(0, 2L * SESSION_MS - movedMs));

        b.process().signal("CONT");
        // b learns it lost its partitions, and gets some back in a new rebalance; no ECU sees two connections
        awaitOrShow(List.of(a, b), () -> b.ecus() > 0 && a.ecus() + b.ecus() == ECUS);
        long[] again = connections();
        Await.until(PATIENCE, () -> everyEcuPolledSince(again));
        noEcuConnectedTwiceAtOnce("after the thaw");
        assertThat(b.process().output()).contains("no ECU request until the membership is confirmed");
        System.out.println("cluster zombie test: " + ofB + " ECUs of the frozen instance polled by the other after " + movedMs
                + " ms; " + heldOpen.size() + " with a connection the frozen one held open");
    }
}
