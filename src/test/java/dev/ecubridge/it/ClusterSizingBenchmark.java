package dev.ecubridge.it;

import dev.ecubridge.cluster.EcuTarget;
import dev.ecubridge.cluster.EcuTargets;
import dev.ecubridge.simulator.AcceleratedClock;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster sizing, on demand (not a test of the suite: its name does not end in Test):
 * {@code nice mvn -o -q test -Dtest=ClusterSizingBenchmark [-Dsizing.ecus=3000 -Dsizing.bridges=3 -Dsizing.seconds=120]}.
 * A broker, the simulated ECUs in this JVM (time x10, 8 inverters each) and N bridge processes in cluster mode polling
 * every 60 s with the files and Kafka sinks. After one interval and 30 s of warm-up it measures each bridge alone: the
 * ECUs it owns, cycles done, its CPU per cycle; and the connections the simulator accepted and the snapshots published.
 */
class ClusterSizingBenchmark {

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final int INTERVAL = 60;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private final List<ClusterBridge> bridges = new ArrayList<>();
    private SimulatorFleet fleet;

    @AfterEach
    void stop() throws Exception {
        for (ClusterBridge b : bridges) {
            b.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void measure() throws Exception {
        int ecus = Integer.getInteger("sizing.ecus", 3000);
        int count = Integer.getInteger("sizing.bridges", 3);
        int seconds = Integer.getInteger("sizing.seconds", 120);
        int partitions = 4 * count;
        fleet = SimulatorFleet.start(SiteSpec.defaults().withSeed(21), ecus, "127.0.0.1", 0,
                new AcceleratedClock(LocalDateTime.parse("2026-06-21T11:00:00").atZone(TestBridge.ZONE).toInstant(), 10,
                        TestBridge.ZONE), List.of());
        Map<String, EcuTarget> targets = new LinkedHashMap<>();
        for (int i = 0; i < ecus; i++) {
            targets.put("ecu" + i, new EcuTarget("127.0.0.1", fleet.server(i).port(), null));
        }
        EcuTargets topic = new EcuTargets(Map.of("bootstrap.servers", kafka.bootstrapServers()), "ecu-targets");
        topic.create(partitions);
        topic.write(targets, true);
        for (int i = 0; i < count; i++) {
            bridges.add(ClusterBridge.start(tmp, "bridge" + i, kafka, partitions, 10_000, List.of("-Xmx512m",
                    "-Decubridge.cluster.guard-margin-ms=3000", "-Decubridge.poll-interval-seconds=" + INTERVAL,
                    "-Decubridge.prometheus.solar-series=ecu", "-Decubridge.sink.kafka.enabled=true",
                    "-Decubridge.sink.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "-Decubridge.sink.kafka.topic=snapshots")));
        }
        // (not by their metrics: at 1,000 ECUs a scrape takes seconds on a busy machine)
        Await.until(Duration.ofMinutes(5), Duration.ofSeconds(2), () -> {
            for (ClusterBridge b : bridges) {
                if (!b.process().output().contains("Cluster: assigned partitions")) {
                    return false;
                }
            }
            return true;
        }, () -> "");
        Thread.sleep((INTERVAL + 30) * 1000L);

        long[] cpu = new long[count];
        double[][] before = new double[count][];
        for (int i = 0; i < count; i++) {
            cpu[i] = bridges.get(i).process().cpu().toMillis();
            before[i] = counters(bridges.get(i));
        }
        long connections = connections();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double window = (System.nanoTime() - start) / 1e9;
        long accepted = connections() - connections;
        double cycles = 0;
        double published = 0;
        System.out.printf("cluster sizing: %d ECUs (8 inverters each, time x10), %d bridges, %d partitions, every %d s, "
                + "%.0f s measured; load average %s%n", ecus, count, partitions, INTERVAL, window,
                java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
        for (int i = 0; i < count; i++) {
            ClusterBridge b = bridges.get(i);
            double[] after = counters(b);
            long used = b.process().cpu().toMillis() - cpu[i];
            double done = after[0] - before[i][0];
            cycles += done;
            published += after[2] - before[i][2];
            System.out.printf("  %s: %.0f ECUs, cycles done %.0f (%.1f/s), failures %.0f, snapshots %.0f, CPU %.1f s "
                            + "(%.0f %% of a core), %.2f ms per cycle%n", b.name(), after[3], done, done / window,
                    after[1] - before[i][1], after[2] - before[i][2], used / 1000.0, 100 * used / 1000.0 / window, used / done);
        }
        System.out.printf("  all: %.1f cycles/s, %.1f connections/s accepted by the simulator, %.1f snapshots/s "
                + "(%.0f inverter points/s)%n", cycles / window, accepted / window, published / window, 8 * published / window);
    }

    private long connections() {
        return fleet.servers().stream().mapToLong(s -> s.connections()).sum();
    }

    /** Cycles done, failures and snapshots published, summed over its ECUs; and the ECUs it owns. */
    private static double[] counters(ClusterBridge b) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.port() + "/observe/metrics"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()).body();
        double[] sums = new double[4];
        for (String line : text.lines().toList()) {
            int i = line.startsWith("ecubridge_poll_cycles_total") ? 0 : line.startsWith("ecubridge_poll_failures_total") ? 1
                    : line.startsWith("ecubridge_snapshots_published_total") ? 2 : line.startsWith("ecubridge_cluster_ecus ") ? 3 : -1;
            if (i >= 0) {
                sums[i] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sums;
    }
}
