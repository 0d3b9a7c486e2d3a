package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.app.EcuBridgeCli;
import dev.ecubridge.simulator.AcceleratedClock;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three bridge processes in cluster mode, a broker in its own JVM, 300 simulated ECUs on time ×10 (in this JVM: the
 * {@code simulate} command cannot tell another process what it served and how it was connected to). One bridge is
 * killed (SIGKILL), then another is frozen (SIGSTOP) for twice the session timeout and thawed.
 * <p>
 * What must hold, for every ECU data time the simulator had between the kill and the end of the thaw's rebalance:
 * <ul>
 * <li>it reaches the Kafka topic and the union of the files sinks exactly once after dedup by (ECU id, data time),
 * and no data time the ECU never had arrives. Duplicates are allowed (at-least-once: the new owner of an ECU publishes
 * again the data time its old owner did).</li>
 * <li>None is missing except, on an ECU taken over from the killed or frozen bridge, a data time that the ECU replaced
 * between the event (less one second: a cycle in flight) and the new owner's first poll: the old owner may have fetched
 * it and died (or been frozen and then held back by the zombie guard) before publishing it. A cycle in flight on the
 * killed bridge is otherwise polled again, not lost: an ECU serves a data time for 300 ECU seconds (30 s here), longer
 * than a hand-over takes (session timeout 4 s + one poll interval 10 s + the rebalance).</li>
 * <li>The simulator never sees two connections to one ECU at once, except to an ECU whose connection the frozen process
 * held open when it was frozen (a stopped process cannot close its socket; the new owner connects while it is open).</li>
 * <li>The killed bridge's ECUs are polled again within the session timeout, a poll interval (the first polls of
 * ECUs taken over are spread over it) and a few seconds; partitions per instance differ by at most one, ECU counts
 * by at most one partition's worth (6 partitions: with any balanced assignment, by the ECU names' hashes).</li>
 * </ul>
 */
@Tag("serial") // run alone: see the serial-test execution in pom.xml
class ClusterChaosTest {

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final int ECUS = 300;
    /** 2 per instance of 3, 3 per instance of 2: any balanced assignment keeps ECU counts within one partition. */
    private static final int PARTITIONS = 6;
    private static final int SESSION_MS = 4000;
    private static final int POLL_SECONDS = 10;
    private static final int SPEED = 10;
    private static final int REFRESH_SECONDS = SimulatedEcu.REFRESH_SECONDS;
    private static final String TOPIC = "snapshots";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** A scrape of 300 ECUs' metrics costs the bridge: not more often. */
    private static final Duration CHECK_EVERY = Duration.ofMillis(500);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final AcceleratedClock clock = new AcceleratedClock(
            LocalDateTime.parse("2026-06-21T12:00:00").atZone(TestBridge.ZONE).toInstant(), SPEED, TestBridge.ZONE);
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

    /** (ECU id, data time in epoch ms): the dedup key of the sinks. */
    private record Point(String ecuId, long time) {
    }

    @Test
    void killOneFreezeAnotherAndEveryDataTimeArrivesOnceWithNoEcuPolledTwiceAtOnce() throws Exception {
        long began = System.nanoTime();
        fleet = SimulatorFleet.start(SiteSpec.defaults().withSeed(11), ECUS, "127.0.0.1", 0, clock, List.of());
        importTargets();
        Map<Integer, Integer> partitionOf = partitionOfEcu();
        int partitionWorth = partitionOf.values().stream().collect(Collectors.groupingBy(p -> p, Collectors.counting()))
                .values().stream().mapToInt(Long::intValue).max().orElseThrow();

        try (var admin = kafka.admin()) { // not created on the first send, which would wait for it
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(TOPIC, 3, (short) 1))).all().get();
        }
        ClusterBridge a = bridge("a");
        ClusterBridge b = bridge("b");
        ClusterBridge c = bridge("c");
        awaitOrShow(() -> owns(List.of(a, b, c)));
        assertBalanced(List.of(a, b, c), partitionWorth);
        long[] split = connections();
        awaitOrShow(() -> everyEcuPolledSince(split));
        progress(began, "3 bridges polling");
        noteOverlaps("while 3 bridges joined");

        // the chaos starts: from here every data time counts
        Instant[] first = dataTimes();
        int ofC = c.ecus();
        Set<Integer> ofCPartitions = c.partitionIds();
        c.process().signal("KILL");
        Handover kill = new Handover(ecusOf(ofCPartitions, partitionOf));
        awaitOrShow(() -> kill.everyEcuPolled() && owns(List.of(a, b)));
        assertThat(kill.lastMs()).as("ms until the killed bridge's ECUs are polled again")
                .isLessThan(SESSION_MS + POLL_SECONDS * 1000L + 7000);
        assertBalanced(List.of(a, b), partitionWorth);
        progress(began, "c killed, its ECUs taken over");
        noteOverlaps("c killed");

        Set<Integer> ofBPartitions = b.partitionIds();
        b.process().signal("STOP");
        Handover freeze = new Handover(ecusOf(ofBPartitions, partitionOf));
        Set<Integer> heldOpen = ClusterBridge.connectionsHeldOpen(fleet);
        awaitOrShow(() -> freeze.everyEcuPolled() && owns(List.of(a)));
        Thread.sleep(Math.max(0, 2L * SESSION_MS - (System.nanoTime() - freeze.nanos) / 1_000_000));
        progress(began, "b frozen, its ECUs taken over");
        noteOverlaps("b frozen");
        b.process().signal("CONT");
        awaitOrShow(() -> owns(List.of(a, b)) && a.owned().partitions() == b.owned().partitions());
        assertBalanced(List.of(a, b), partitionWorth);
        long[] thawed = connections();
        awaitOrShow(() -> everyEcuPolledSince(thawed));
        Instant[] last = dataTimes();
        progress(began, "b thawed and rebalanced");
        noteOverlaps("b thawed");
        long chaosSeconds = (System.nanoTime() - kill.nanos) / 1_000_000_000;

        Set<Point> produced = new HashSet<>();
        Set<Point> mayBeLost = new HashSet<>();
        for (int i = 0; i < ECUS; i++) {
            for (Instant t = first[i]; !t.isAfter(last[i]); t = t.plusSeconds(REFRESH_SECONDS)) {
                Point p = new Point(fleet.ecu(i).ecuId(), t.toEpochMilli());
                produced.add(p);
                if (kill.mayLose(i, t) || freeze.mayLose(i, t)) {
                    mayBeLost.add(p);
                }
            }
        }
        Set<Point> due = new HashSet<>(produced);
        due.removeAll(mayBeLost);
        try {
            Await.until(PATIENCE, CHECK_EVERY, () -> inWindow(kafkaPoints(), first, last).containsAll(due)
                    && inWindow(filePoints(), first, last).containsAll(due), () -> "missing in Kafka "
                    + missing(due, kafkaPoints(), first, last, kill, freeze) + ", in the files "
                    + missing(due, filePoints(), first, last, kill, freeze));
        } catch (AssertionError e) {
            StringBuilder out = new StringBuilder(e.getMessage());
            bridges.forEach(br -> out.append("\n").append(br.tail()));
            throw new AssertionError(out.toString(), e);
        }
        progress(began, "every data time due arrived; CPU of the bridges " + bridges.stream()
                .map(br -> br.name() + " " + br.process().cpu().toMillis() + " ms").toList());
        a.close();
        b.close();

        List<Point> toKafka = kafkaPoints();
        List<Point> toFiles = filePoints();
        Set<Point> lostKafka = assertArrived("the Kafka topic", inWindow(toKafka, first, last), produced, mayBeLost);
        Set<Point> lostFiles = assertArrived("the files sinks", inWindow(toFiles, first, last), produced, mayBeLost);
        noteOverlaps("at the end");
        for (int i = 0; i < ECUS; i++) {
            assertThat(fleet.server(i).maxConcurrentConnections()).as("connections at once to ecu" + i + " (first seen: "
                    + overlaps.get(i) + "; held open by the frozen bridge: " + heldOpen.contains(i) + ")")
                    .isLessThanOrEqualTo(heldOpen.contains(i) ? 2 : 1);
        }
        System.out.printf("cluster chaos test: %d ECUs, %d (ECU, data time) produced in %d s of chaos, %d of them in a "
                        + "hand-over that may lose them, lost: Kafka %d, files %d; Kafka %d records, files %d lines (%d and %d "
                        + "duplicates); the killed bridge's %d ECUs polled again after %d ms, the frozen one's after %d ms; "
                        + "%d ECUs had a connection held open by the frozen process; %d s in all%n",
                ECUS, produced.size(), chaosSeconds, mayBeLost.size(), lostKafka.size(), lostFiles.size(), toKafka.size(),
                toFiles.size(), toKafka.size() - new HashSet<>(toKafka).size(), toFiles.size() - new HashSet<>(toFiles).size(),
                ofC, kill.lastMs(), freeze.lastMs(), heldOpen.size(), (System.nanoTime() - began) / 1_000_000_000);
    }

    /** ECU -> the step after which the simulator first counted two connections to it at once. */
    private final Map<Integer, String> overlaps = new HashMap<>();

    private void noteOverlaps(String step) {
        for (int i = 0; i < ECUS; i++) {
            if (fleet.server(i).maxConcurrentConnections() > 1) {
                overlaps.putIfAbsent(i, step);
            }
        }
    }

    /** The first few points due that a sink lacks, with the ECU's hand-over times, for a failure message. */
    private String missing(Set<Point> due, List<Point> got, Instant[] first, Instant[] last, Handover kill, Handover freeze) {
        Set<Point> missing = new HashSet<>(due);
        missing.removeAll(inWindow(got, first, last));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ECUS; i++) {
            index.put(fleet.ecu(i).ecuId(), i);
        }
        return missing.size() + ": " + missing.stream().limit(10).map(p -> {
            int i = index.get(p.ecuId());
            return "ecu" + i + "@" + Instant.ofEpochMilli(p.time()) + " (first polled " + kill.firstPollMs[i] + " ms after the kill at "
                    + kill.at + (kill.taken.contains(i) ? " (its ECU)" : "") + ", " + freeze.firstPollMs[i]
                    + " ms after the freeze at " + freeze.at + (freeze.taken.contains(i) ? " (its ECU)" : "") + ")";
        }).toList();
    }

    private static void progress(long began, String what) {
        System.out.printf("cluster chaos test, %d s: %s%n", (System.nanoTime() - began) / 1_000_000_000, what);
    }

    /** What a sink got of the points produced: nothing else, and all of them but some that a hand-over may lose. */
    private static Set<Point> assertArrived(String sink, Set<Point> got, Set<Point> produced, Set<Point> mayBeLost) {
        assertThat(got).as("(ECU, data time) in " + sink + " the simulator never had").isSubsetOf(produced);
        Set<Point> missing = new HashSet<>(produced);
        missing.removeAll(got);
        assertThat(missing).as("(ECU, data time) missing in " + sink + " beyond what a hand-over may lose").isSubsetOf(mayBeLost);
        return missing;
    }

    /**
     * An instance killed or frozen: when each ECU was first polled after it. An ECU of that instance's partitions may
     * lose the data time its old poller fetched but did not publish if the ECU replaced it before the new owner's
     * first poll.
     */
    private final class Handover {
        final Set<Integer> taken;
        final long nanos = System.nanoTime();
        final Instant at = clock.instant();
        final long[] before = connections();
        final Instant[] firstPoll = new Instant[ECUS];
        final long[] firstPollMs = new long[ECUS];

        Handover(Set<Integer> taken) {
            this.taken = taken;
        }

        boolean everyEcuPolled() {
            long[] now = connections();
            Instant when = clock.instant();
            long ms = (System.nanoTime() - nanos) / 1_000_000;
            boolean all = true;
            for (int i = 0; i < ECUS; i++) {
                if (firstPoll[i] == null && now[i] > before[i]) {
                    firstPoll[i] = when;
                    firstPollMs[i] = ms;
                }
                all &= firstPoll[i] != null;
            }
            return all;
        }

        long lastMs() {
            return IntStream.range(0, ECUS).mapToLong(i -> firstPollMs[i]).max().orElseThrow();
        }

        boolean mayLose(int ecu, Instant dataTime) {
            Instant replaced = dataTime.plusSeconds(REFRESH_SECONDS);
            return taken.contains(ecu)
                    && !replaced.isBefore(at.minusSeconds(SPEED)) && !replaced.isAfter(firstPoll[ecu]);
        }
    }

    /** The ECU list through the command a user runs: one line per simulated ECU, its partitions as configured. */
    private void importTargets() throws Exception {
        Path ecus = tmp.resolve("ecus.txt");
        Files.write(ecus, IntStream.range(0, ECUS).mapToObj(i -> "ecu" + i + " 127.0.0.1 " + fleet.server(i).port()).toList());
        Path config = tmp.resolve("cluster.properties");
        Files.writeString(config, "ecubridge.kafka.bootstrap-servers=" + kafka.bootstrapServers()
                + "\necubridge.cluster.partitions=" + PARTITIONS + "\n");
        assertThat(EcuBridgeCli.commandLine().execute("targets", "import", ecus.toString(), "--config", config.toString()))
                .isZero();
    }

    /** ECU index -> its partition of the targets topic, as the topic holds it. */
    private static Map<Integer, Integer> partitionOfEcu() {
        Map<Integer, Integer> partitionOf = new HashMap<>();
        kafka.records("ecu-targets").forEach(r -> partitionOf.put(Integer.valueOf(r.key().substring("ecu".length())), r.partition()));
        assertThat(partitionOf).hasSize(ECUS);
        return partitionOf;
    }

    private static Set<Integer> ecusOf(Set<Integer> partitions, Map<Integer, Integer> partitionOf) {
        assertThat(partitions).isNotEmpty();
        return partitionOf.entrySet().stream().filter(e -> partitions.contains(e.getValue())).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private ClusterBridge bridge(String name) throws Exception {
        ClusterBridge bridge = ClusterBridge.start(tmp, name, kafka, PARTITIONS, SESSION_MS, List.of(
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Decubridge.cluster.guard-margin-ms=1500", "-Decubridge.poll-interval-seconds=" + POLL_SECONDS, "-Decubridge.prometheus.solar-series=ecu",
                "-Decubridge.sink.kafka.enabled=true",
                "-Decubridge.sink.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "-Decubridge.sink.kafka.topic=" + TOPIC,
                "-Decubridge.sink.kafka.security-protocol=PLAINTEXT"));
        bridges.add(bridge);
        return bridge;
    }

    /** Each of them owns some partitions, together all, and all ECUs. */
    private static boolean owns(List<ClusterBridge> live) {
        int partitions = 0;
        int ecus = 0;
        for (ClusterBridge b : live) {
            ClusterBridge.Owned o = b.owned();
            if (o.partitions() <= 0) {
                return false;
            }
            partitions += o.partitions();
            ecus += o.ecus();
        }
        return partitions == PARTITIONS && ecus == ECUS;
    }

    private static void assertBalanced(List<ClusterBridge> live, int partitionWorth) {
        List<ClusterBridge.Owned> owned = live.stream().map(ClusterBridge::owned).toList();
        List<Integer> partitions = owned.stream().map(ClusterBridge.Owned::partitions).toList();
        List<Integer> ecus = owned.stream().map(ClusterBridge.Owned::ecus).toList();
        assertThat(partitions.stream().mapToInt(Integer::intValue).sum()).as("partitions owned " + partitions).isEqualTo(PARTITIONS);
        assertThat(spread(partitions)).as("partitions per instance " + partitions).isLessThanOrEqualTo(1);
        assertThat(spread(ecus)).as("ECUs per instance " + ecus + ", one partition's worth " + partitionWorth)
                .isLessThanOrEqualTo(partitionWorth);
    }

    private static int spread(Collection<Integer> counts) {
        return counts.stream().max(Integer::compare).orElseThrow() - counts.stream().min(Integer::compare).orElseThrow();
    }

    private long[] connections() {
        return IntStream.range(0, ECUS).mapToLong(i -> fleet.server(i).connections()).toArray();
    }

    private boolean everyEcuPolledSince(long[] before) {
        long[] now = connections();
        return IntStream.range(0, ECUS).allMatch(i -> now[i] > before[i]);
    }

    /** The data time each ECU serves now. */
    private Instant[] dataTimes() {
        return IntStream.range(0, ECUS).mapToObj(i -> fleet.ecu(i).realtime().timestamp().atZone(TestBridge.ZONE).toInstant())
                .toArray(Instant[]::new);
    }

    /** The distinct points of each ECU from its first to its last data time. */
    private Set<Point> inWindow(List<Point> points, Instant[] first, Instant[] last) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ECUS; i++) {
            index.put(fleet.ecu(i).ecuId(), i);
        }
        return points.stream().filter(p -> {
            Integer i = index.get(p.ecuId());
            return i != null && p.time() >= first[i].toEpochMilli() && p.time() <= last[i].toEpochMilli();
        }).collect(Collectors.toSet());
    }

    /** Every snapshot record on the topic: key the ECU id, timestamp its data time. */
    private static List<Point> kafkaPoints() {
        List<Point> points = new ArrayList<>();
        for (ConsumerRecord<String, String> r : kafka.records(TOPIC)) {
            points.add(new Point(r.key(), r.timestamp()));
        }
        return points;
    }

    /** Every snapshot line of the three bridges' files (a line the killed one left unfinished is not one). */
    private List<Point> filePoints() throws Exception {
        List<Point> points = new ArrayList<>();
        for (ClusterBridge b : bridges) {
            Path snapshots = b.data().resolve("snapshots");
            if (!Files.isDirectory(snapshots)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(snapshots)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                    String text = Files.readString(file);
                    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).lines().toList()) {
                        JsonNode n = JSON.readTree(line);
                        points.add(new Point(n.get("ecu_id").asText(), Instant.parse(n.get("time").asText()).toEpochMilli()));
                    }
                }
            }
        }
        return points;
    }

    /** Waits; on failure shows the end of each bridge's output. */
    private void awaitOrShow(Callable<Boolean> condition) throws Exception {
        try {
            Await.until(PATIENCE, CHECK_EVERY, condition, () -> "");
        } catch (AssertionError e) {
            StringBuilder out = new StringBuilder(e.getMessage());
            for (ClusterBridge b : bridges) {
                out.append("\n(").append(b.owned()).append(") ").append(b.tail());
            }
            throw new AssertionError(out.toString(), e);
        }
    }
}
