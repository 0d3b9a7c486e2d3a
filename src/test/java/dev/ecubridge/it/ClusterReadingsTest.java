package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.cluster.EcuTarget;
import dev.ecubridge.cluster.EcuTargets;
import dev.ecubridge.simulator.EcuKind;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode with the readings topic, a real broker and a real InfluxDB v2 write API (QuestDB): the pollers publish
 * each snapshot to the topic, the sinks (InfluxDB and the files) read it in their own consumer groups. An InfluxDB outage
 * loses nothing and the files go on meanwhile; records Kafka delivers again (the group's offsets set back, as after a
 * crash between write and commit) are written once; a sinks-only instance writes what a poller-only instance polled.
 */
class ClusterReadingsTest {

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @RegisterExtension
    static final RealServers servers = RealServers.questDbOnly();

    private static final int ECUS = 2;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final MutableClock clock = TestBridge.summerNoon();
    private final Opened open = new Opened();
    private SimulatorFleet fleet;
    private final List<String> ecuIds = new ArrayList<>();
    /** per ECU id, its data times in the order the ECU had them */
    private final Map<String, List<Instant>> times = new LinkedHashMap<>();

    @AfterEach
    void stop() throws Exception {
        open.close();
        if (fleet != null) {
            fleet.close();
        }
    }

    /** ECUs with ids from {@code baseId}, in the targets topic {@code test}-targets. */
    private void ecus(String test, String baseId) throws Exception {
        fleet = SimulatorFleet.start(SiteSpec.defaults().withEcu(EcuKind.ECU_R, baseId).withSeed(5), ECUS, "127.0.0.1", 0,
                clock, List.of());
        Map<String, EcuTarget> targets = new LinkedHashMap<>();
        for (int i = 0; i < ECUS; i++) {
            targets.put(test + i, new EcuTarget("127.0.0.1", fleet.server(i).port(), null));
            ecuIds.add(fleet.ecu(i).ecuId());
        }
        EcuTargets topic = new EcuTargets(Map.of("bootstrap.servers", kafka.bootstrapServers()), test + "-targets");
        // right after creating the topic, the broker may not know it yet when asked for its partitions (seen under load)
        Await.until(PATIENCE, () -> {
            try {
                return topic.create(2) == 2;
            } catch (java.util.concurrent.ExecutionException notYet) {
                return false;
            }
        });
        topic.write(targets, true);
        // the records bear the simulated ECU time, months before the broker's clock: outside its default retention
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(test + "-readings", 2, (short) 1)
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")))).all().get();
        }
        noteTimes();
    }

    private void noteTimes() {
        for (int i = 0; i < ECUS; i++) {
            times.computeIfAbsent(fleet.ecu(i).ecuId(), k -> new ArrayList<>())
                    .add(fleet.ecu(i).realtime().timestamp().atZone(TestBridge.ZONE).toInstant());
        }
    }

    /** A bridge in cluster mode; {@code influxUrl} null: no InfluxDB sink. */
    private Map<String, Object> config(String test, String instance, String roles, String influxUrl) {
        Map<String, Object> p = TestBridge.clusterPolling(tmp.resolve(instance), kafka, 2, 3000);
        p.put("ecubridge.cluster.targets-topic", test + "-targets");
        p.put("ecubridge.cluster.group-id", test + "-pollers");
        p.put("ecubridge.cluster.readings-topic", test + "-readings");
        p.put("ecubridge.cluster.sink-group-prefix", test + "-sink");
        p.put("ecubridge.cluster.roles", roles);
        p.put("ecubridge.sink-timeout-seconds", 2);
        p.put("ecubridge.outbox.retry-seconds", 1);
        p.put("ecubridge.influxdb.enabled", influxUrl != null);
        p.put("ecubridge.influxdb.url", influxUrl == null ? "http://127.0.0.1:1" : influxUrl);
        return p;
    }

    private TestBridge start(Map<String, Object> config) throws Exception {
        TestBridge bridge = TestBridge.start(config, clock);
        open.add(bridge);
        return bridge;
    }

    /** The next data time of every ECU, once each poller published it. */
    private void nextCycle(TestBridge poller) throws Exception {
        Map<String, Double> before = new HashMap<>();
        ecuIds.forEach(id -> before.put(id, published(poller, id)));
        clock.advance(Duration.ofMinutes(5));
        noteTimes();
        Await.until(PATIENCE, () -> ecuIds.stream().allMatch(id -> published(poller, id) == before.get(id) + 1));
    }

    private static double published(TestBridge bridge, String ecuId) {
        return bridge.meter("ecubridge.snapshots.published", "ecu_id", ecuId);
    }

    /** The data times in an ECU's snapshot files, in the order of their lines. */
    private List<Instant> fileTimes(String instance, String ecuId) throws Exception {
        Path dir = tmp.resolve(instance).resolve("snapshots").resolve(ecuId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Instant> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir).sorted()) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f)) {
                    lines.add(Instant.parse(JSON.readTree(line).get("time").asText()));
                }
            }
        }
        return lines;
    }

    /** The ECU's rows in InfluxDB (measurement ecu), by time: duplicates would show as the same time twice. */
    private List<Instant> influxTimes(String ecuId) throws Exception {
        return servers.questDb().query("SELECT timestamp FROM 'ecu' WHERE ecu_id = '" + ecuId + "' ORDER BY timestamp").stream()
                .map(r -> Instant.parse(r.get("timestamp").asText())).toList();
    }

    private boolean allWritten(String instance) throws Exception {
        for (String id : ecuIds) {
            if (!fileTimes(instance, id).equals(times.get(id)) || !influxTimes(id).equals(times.get(id))) {
                return false;
            }
        }
        return true;
    }

    private Object state(String instance) throws Exception {
        Map<String, Object> state = new LinkedHashMap<>();
        for (String id : ecuIds) {
            state.put(id, Map.of("expected", times.get(id), "files", fileTimes(instance, id), "influx", influxTimes(id)));
        }
        return state;
    }

    @Test
    void anInfluxDbOutageLosesNothingAndWhatKafkaDeliversAgainIsWrittenOnce() throws Exception {
        ecus("outage", "216000110000");
        String questDb = servers.questDb().url();
        try (BlackHoleProxy influx = new BlackHoleProxy(Integer.parseInt(questDb.substring(questDb.lastIndexOf(':') + 1)))) {
            String url = "http://127.0.0.1:" + influx.url().substring(influx.url().lastIndexOf(':') + 1);
            Map<String, Object> config = config("outage", "a", "poller,sinks", url);
            TestBridge a = start(config);
            Await.until(PATIENCE, () -> allWritten("a"), () -> state("a"));

            // InfluxDB silent for three cycles: the files go on, InfluxDB's readings wait in Kafka
            influx.blackHole();
            for (int i = 0; i < 3; i++) {
                nextCycle(a);
            }
            Await.until(PATIENCE, () -> ecuIds.stream().allMatch(id -> {
                try {
                    return fileTimes("a", id).equals(times.get(id));
                } catch (Exception e) {
                    return false;
                }
            }), () -> state("a"));
            int managementPort = (Integer) config.get("camel.management.port");
            Await.until(PATIENCE, () -> Health.check(managementPort, "readings-influxdb").get("status").asText().equals("DOWN"));
            for (String id : ecuIds) {
                assertThat(influxTimes(id)).as("InfluxDB rows of %s while it is cut off", id).hasSize(1);
            }
            assertThat(a.meter("ecubridge.outbox.depth", "sink", "influxdb")).as("no outbox in cluster mode").isZero();
            Await.until(PATIENCE, () -> a.meter("ecubridge.readings.lag", "sink", "influxdb") == 3 * ECUS
                    && a.meter("ecubridge.readings.lag", "sink", "files") == 0);

            influx.forward();
            Await.until(PATIENCE, () -> allWritten("a"), () -> state("a"));
            Await.until(PATIENCE, () -> Health.check(managementPort, "readings-influxdb").get("status").asText().equals("UP"));
            int records = ECUS * times.values().iterator().next().size();
            Await.until(PATIENCE, () -> a.meter("ecubridge.readings.committed", "sink", "influxdb") == records
                    && a.meter("ecubridge.readings.committed", "sink", "files") == records);
            assertThat(a.meter("ecubridge.readings.duplicates", "sink", "influxdb")).isZero();
            Await.until(PATIENCE, () -> a.meter("ecubridge.readings.lag", "sink", "influxdb") == 0);

            // a restart after a crash between write and commit: Kafka delivers again what the sinks wrote
            a.close();
            open.remove(a);
            try (Admin admin = kafka.admin()) {
                Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
                for (int p = 0; p < 2; p++) {
                    start.put(new TopicPartition("outage-readings", p), new OffsetAndMetadata(0));
                }
                for (String sink : List.of("influxdb", "files")) {
                    admin.alterConsumerGroupOffsets("outage-sink-" + sink, start).all().get();
                }
            }
            TestBridge again = start(config);
            nextCycle(again);
            Await.until(PATIENCE, () -> allWritten("a"), () -> state("a"));
            Await.until(PATIENCE, () -> again.meter("ecubridge.readings.committed", "sink", "influxdb") == records + ECUS
                    && again.meter("ecubridge.readings.committed", "sink", "files") == records + ECUS);
            assertThat(again.meter("ecubridge.readings.duplicates", "sink", "influxdb")).isEqualTo(records);
            assertThat(again.meter("ecubridge.readings.duplicates", "sink", "files")).isEqualTo(records);
            assertThat(allWritten("a")).as("every (ECU, time) once, in order: %s", state("a")).isTrue();
        }
    }

    @Test
    void aSinksOnlyInstanceWritesWhatAPollerOnlyInstancePolled() throws Exception {
        ecus("split", "216000220000");
        TestBridge poller = start(config("split", "poller", "poller", null));
        TestBridge sinks = start(config("split", "sinks", "sinks", servers.questDb().url()));
        Await.until(PATIENCE, () -> allWritten("sinks"), () -> state("sinks"));
        nextCycle(poller);
        Await.until(PATIENCE, () -> allWritten("sinks"), () -> state("sinks"));

        assertThat(sinks.bean("clusterMembership", Object.class)).as("the sinks-only instance polls nothing").isNull();
        for (String id : ecuIds) {
            assertThat(published(sinks, id)).isZero();
            assertThat(fileTimes("poller", id)).as("snapshot lines at the poller").isEmpty();
            assertThat(tmp.resolve("poller/captures").resolve(id)).as("its raw replies stay with the poller").isDirectory();
        }
        assertThat(sinks.meter("ecubridge.readings.consumed", "sink", "influxdb")).isEqualTo(2.0 * ECUS);
        // the records: the snapshot lines, keyed by ECU id, at the ECU's data time; read back, the very same lines
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> records = kafka.records("split-readings");
        assertThat(records).hasSize(2 * ECUS);
        for (String id : ecuIds) {
            List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> ofEcu = records.stream()
                    .filter(r -> r.key().equals(id)).toList();
            assertThat(ofEcu).extracting(r -> Instant.ofEpochMilli(r.timestamp())).containsExactlyElementsOf(times.get(id));
            List<String> lines = new ArrayList<>();
            try (Stream<Path> files = Files.list(tmp.resolve("sinks/snapshots").resolve(id)).sorted()) {
                for (Path f : files.toList()) {
                    lines.addAll(Files.readAllLines(f));
                }
            }
            assertThat(lines).containsExactlyElementsOf(ofEcu.stream().map(r -> r.value()).toList());
        }
    }
}
