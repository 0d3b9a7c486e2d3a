package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.cluster.ClusterMembership;
import dev.ecubridge.cluster.EcuState;
import dev.ecubridge.cluster.EcuStates;
import dev.ecubridge.cluster.EcuTarget;
import dev.ecubridge.cluster.EcuTargets;
import dev.ecubridge.poll.EcuHealth;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode with two bridges in this JVM and a real broker: an ECU's state moves with it. Bridge a polls every ECU
 * twice (two data times, so its integrated energy is above 0); b joins (half of the ECUs move to it on revocation) and
 * a leaves (the other half move). On b each ECU goes on from its state in the state topic, not from the older state
 * file b has of it: b does not publish the data time a already published, its integrated energy continues from a's,
 * and no ECU is polled sooner than one interval after its previous poll, whichever instance polled it. A state the
 * topic does not take is counted and the writes after it go on.
 */
class ClusterStateTest {

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final int ECUS = 8;
    private static final int PARTITIONS = 4;
    private static final int SESSION_MS = 3000;
    private static final int INTERVAL_S = 12;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final MutableClock clock = TestBridge.summerNoon();
    private final Opened open = new Opened();
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
        p.put("ecubridge.poll-interval-seconds", INTERVAL_S);
        TestBridge bridge = TestBridge.start(p, clock);
        open.add(bridge);
        return bridge;
    }

    @Test
    void anEcuGoesOnFromItsStateOnItsNextOwner() throws Exception {
        fleet = SimulatorFleet.start(SiteSpec.defaults().withSeed(7), ECUS, "127.0.0.1", 0, clock, List.of());
        Map<String, EcuTarget> targets = new LinkedHashMap<>();
        Map<String, String> ecuIdOf = new LinkedHashMap<>();
        for (int i = 0; i < ECUS; i++) {
            targets.put("ecu" + i, new EcuTarget("127.0.0.1", fleet.server(i).port(), null));
            ecuIdOf.put("ecu" + i, fleet.ecu(i).ecuId());
        }
        EcuTargets topic = new EcuTargets(Map.of("bootstrap.servers", kafka.bootstrapServers()), "ecu-targets");
        assertThat(topic.create(PARTITIONS)).isEqualTo(PARTITIONS);
        topic.write(targets, true);

        // a alone: two data times of every ECU published, the second with energy integrated since the first
        TestBridge a = bridge("a");
        Await.until(PATIENCE, () -> owned(a).size() == ECUS && ecuIdOf.values().stream().allMatch(id -> published(a, id) >= 1));
        clock.advance(Duration.ofMinutes(5));
        Await.until(PATIENCE, () -> ecuIdOf.values().stream().allMatch(id -> published(a, id) >= 2));
        Map<String, Double> energyOnA = new HashMap<>();
        for (String id : ecuIdOf.values()) {
            energyOnA.put(id, inverterLifetimeKwh(a, id));
            assertThat(energyOnA.get(id)).as("energy integrated on a for " + id).isGreaterThan(0);
        }

        // b has older state files of its own of every ECU (an earlier data time, no energy): the topic must win
        for (String id : ecuIdOf.values()) {
            Path file = tmp.resolve("b").resolve("state").resolve(id + ".json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "{\"last_stamp\":\"2026-06-21T11:00\",\"last_lifetime_kwh\":null,\"day\":\"2026-06-21\"}");
        }
        TestBridge b = bridge("b");
        Await.until(PATIENCE, () -> partitions(a) == PARTITIONS / 2 && partitions(b) == PARTITIONS / 2
                && owned(a).size() + owned(b).size() == ECUS);
        a.close();
        open.remove(a);
        Await.until(PATIENCE, () -> owned(b).size() == ECUS);

        // b's first poll of each ECU finds the data time a published: a repeat, not published again
        Await.until(PATIENCE, () -> ecuIdOf.values().stream().allMatch(id -> duplicates(b, id) >= 1));
        for (String id : ecuIdOf.values()) {
            assertThat(published(b, id)).as("snapshots of " + id + " published again by b").isZero();
        }

        // new data: b publishes it, its integrated energy going on from a's
        clock.advance(Duration.ofMinutes(5));
        Await.until(PATIENCE, () -> ecuIdOf.values().stream().allMatch(id -> published(b, id) >= 1));
        for (String id : ecuIdOf.values()) {
            assertThat(inverterLifetimeKwh(b, id)).as("energy of " + id + " on b").isGreaterThan(energyOnA.get(id));
            assertThat(b.meter("ecubridge.values.rejected", "ecu_id", id)).isZero();
        }
        assertThat(b.meter("ecubridge.cluster.state.writes.failed")).isZero();

        // every poll of every ECU in the state topic, in order: a's, then b's, never closer than one interval
        Map<String, List<Instant>> polls = polls();
        assertThat(polls.keySet()).containsExactlyInAnyOrderElementsOf(targets.keySet());
        polls.forEach((ecu, times) -> {
            assertThat(times).as("polls of " + ecu + " (a: 2 data times; b: a repeat and new data)").hasSizeGreaterThanOrEqualTo(4);
            for (int i = 1; i < times.size(); i++) {
                assertThat(Duration.between(times.get(i - 1), times.get(i)))
                        .as("poll %d of %s after the one before (%s)", i, ecu, times)
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(INTERVAL_S).minusMillis(1000));
            }
        });
    }

    @Test
    void aStateTheTopicDoesNotTakeIsCountedAndPollingDoesNotWaitForIt() throws Exception {
        MeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (EcuStates states = new EcuStates(Map.of("bootstrap.servers", kafka.bootstrapServers()), "ecu-state-small", meters)) {
            assertThat(states.create(2)).isEqualTo(2);
            EcuState state = new EcuState(Instant.parse("2026-06-21T10:02:00Z"),
                    new EcuHealth.Backoff("216000000001", 0, null, null, null), null);
            // partitions the topic does not have (a targets topic with more): these writes fail, after max.block.ms
            states.write("far1", 7, state);
            states.write("far2", 9, state);
            states.write("near", 1, state);
            Await.until(PATIENCE, () -> meters.counter("ecubridge.cluster.state.writes.failed").count() == 2);
            states.flush(Duration.ofSeconds(10));
            Map<Integer, Map<String, EcuState>> read = states.read(List.of(0, 1), Duration.ofSeconds(10));
            assertThat(read.get(0)).isEmpty();
            assertThat(read.get(1)).containsOnlyKeys("near");
            assertThat(read.get(1).get("near")).isEqualTo(state);
        }
        assertThat(meters.counter("ecubridge.cluster.state.writes.failed").count()).isEqualTo(2);
    }

    /** The last poll of each state record, per ECU, in the order written. */
    private static Map<String, List<Instant>> polls() {
        Map<String, List<Instant>> polls = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor("ecu-state", Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition("ecu-state", p.partition())).toList();
            assertThat(parts).hasSize(PARTITIONS);
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    Instant poll = EcuState.parse(r.value()).lastPoll();
                    List<Instant> times = polls.computeIfAbsent(r.key(), k -> new ArrayList<>());
                    if (times.isEmpty() || !times.get(times.size() - 1).equals(poll)) {
                        times.add(poll);
                    }
                }
            }
        }
        return polls;
    }

    private static List<String> owned(TestBridge bridge) {
        return bridge.bean("clusterMembership", ClusterMembership.class).ecuNames();
    }

    private static int partitions(TestBridge bridge) {
        return bridge.bean("clusterMembership", ClusterMembership.class).partitions();
    }

    private static double published(TestBridge bridge, String ecuId) {
        return bridge.meter("ecubridge.snapshots.published", "ecu_id", ecuId);
    }

    private static double duplicates(TestBridge bridge, String ecuId) {
        return bridge.meter("ecubridge.snapshots.duplicate", "ecu_id", ecuId);
    }

    /** The bridge's integrated lifetime energy of all inverters of one ECU, as its last snapshot had it. */
    private static double inverterLifetimeKwh(TestBridge bridge, String ecuId) {
        return bridge.bean("metricsRegistry", MeterRegistry.class).find("ecubridge_inverter_energy_lifetime_kwh")
                .tag("ecu_id", ecuId).gauges().stream().mapToDouble(Gauge::value).sum();
    }
}
