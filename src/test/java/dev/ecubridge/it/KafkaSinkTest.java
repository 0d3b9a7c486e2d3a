package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import dev.ecubridge.sinks.KafkaDelivery;
import dev.ecubridge.sinks.KafkaRecord;
import dev.ecubridge.sinks.KafkaWritten;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka sink against a real broker: what the records hold, a broker outage that loses and doubles nothing, and the
 * look-up that keeps a replay from writing twice what a timed-out send wrote.
 */
class KafkaSinkTest {

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    private static final ZoneId ZONE = TestBridge.ZONE;
    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final int INVERTER_COUNT = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(LocalDateTime.parse("2026-06-21T12:02:00").atZone(ZONE).toInstant(), ZONE);
    private SimulatorFleet fleet;
    private SimulatedEcu ecu;
    private TestBridge bridge;

    @BeforeEach
    void simulator() throws Exception {
        SiteSpec site = SiteSpec.defaults().withInverters(SiteSpec.parseInverters("DS3:2,QT2:1")).withSeed(7);
        fleet = SimulatorFleet.start(site, 1, "127.0.0.1", 0, clock, List.of());
        ecu = fleet.ecu(0);
    }

    @AfterEach
    void stop() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        fleet.close();
    }

    private int managementPort;

    /** The sink instance kafka, as ecubridge.sink.kafka.* keys; with {@code older}, as the ecubridge.kafka.* keys of before. */
    private Map<String, Object> config(String topic, String inverterTopic, boolean older) {
        Map<String, Object> p = TestBridge.fastPolling(tmp.resolve("data"));
        managementPort = (Integer) p.get("camel.management.port");
        p.put("ecubridge.ecus", "k=127.0.0.1:" + fleet.server(0).port());
        p.put("ecubridge.outbox.retry-seconds", 1);
        p.put("ecubridge.sink-timeout-seconds", 2);
        p.put("ecubridge.history.enabled", false);
        String prefix = older ? "ecubridge.kafka." : "ecubridge.sink.kafka.";
        p.put(prefix + "enabled", true);
        p.put(prefix + "bootstrap-servers", kafka.bootstrapServers());
        p.put(prefix + "topic", topic);
        p.put(prefix + "inverter-topic", inverterTopic);
        p.put(prefix + "security-protocol", "PLAINTEXT");
        return new HashMap<>(p);
    }

    /** The ECU's current data time, as the record timestamp should carry it. */
    private long ecuTime() {
        return ecu.realtime().timestamp().atZone(ZONE).toInstant().toEpochMilli();
    }

    private double published() {
        return bridge.meter("ecubridge.snapshots.published", "ecu_id", ecu.ecuId());
    }

    @Test
    void oneRecordPerSnapshotAndPerInverterKeyedByEcuAtTheEcuTime() throws Exception {
        bridge = TestBridge.start(config("snapshots-a", "inverters-a", false), clock);
        List<Long> times = new ArrayList<>(List.of(ecuTime()));
        // the clock moves only once the first data time is in: start() does not wait for the first poll
        Await.until(PATIENCE, () -> published() == 1);
        clock.advance(Duration.ofMinutes(5));
        times.add(ecuTime());
        Await.until(PATIENCE, () -> kafka.records("snapshots-a").size() >= 2 && kafka.records("inverters-a").size() >= 2 * INVERTER_COUNT);

        List<ConsumerRecord<String, String>> snapshots = kafka.records("snapshots-a");
        assertThat(snapshots).extracting(ConsumerRecord::key).containsOnly(ecu.ecuId());
        assertThat(snapshots).extracting(ConsumerRecord::timestamp).containsExactlyElementsOf(times);
        JsonNode first = JSON.readTree(snapshots.get(0).value());
        assertThat(first.get("ecu_id").asText()).isEqualTo(ecu.ecuId());
        assertThat(java.time.Instant.parse(first.get("time").asText()).toEpochMilli()).isEqualTo(times.get(0));
        assertThat(first.get("inverter_data")).hasSize(INVERTER_COUNT);
        assertThat(first.has("lifetime_kwh")).isTrue();
        // the very line the files sink wrote
        String day = ecu.realtime().timestamp().toLocalDate().toString();
        List<String> fileLines = java.nio.file.Files.readAllLines(tmp.resolve("data/snapshots/" + ecu.ecuId() + "/" + day + ".jsonl"));
        assertThat(snapshots.stream().map(ConsumerRecord::value).toList()).containsExactlyElementsOf(fileLines);

        List<ConsumerRecord<String, String>> inverters = kafka.records("inverters-a");
        assertThat(inverters).extracting(ConsumerRecord::key).containsOnly(ecu.ecuId());
        assertThat(inverters).extracting(ConsumerRecord::timestamp).containsOnly(times.toArray(Long[]::new));
        assertThat(inverters.stream().map(r -> read(r.value()).get("inverter_uid").asText()).distinct()).hasSize(INVERTER_COUNT);
        assertThat(inverters.stream().map(r -> read(r.value()).get("ecu_id").asText())).containsOnly(ecu.ecuId());
        assertThat(bridge.meter("ecubridge.outbox.depth", "sink", "kafka")).isZero();
    }

    @Test
    void brokerDownForSeveralCyclesThenEveryRecordOnceAndInOrder() throws Exception {
        bridge = TestBridge.start(config("snapshots-b", "", true), clock);
        List<Long> times = new ArrayList<>(List.of(ecuTime()));
        Await.until(PATIENCE, () -> kafka.records("snapshots-b").size() == 1);

        kafka.stop();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(5));
            times.add(ecuTime());
            int expected = times.size();
            Await.until(PATIENCE, () -> published() == expected);
        }
        Await.until(PATIENCE, () -> bridge.meter("ecubridge.outbox.depth", "sink", "kafka") == 3);
        JsonNode health = Health.check(managementPort, "sink-kafka");
        assertThat(health.get("status").asText()).isEqualTo("DOWN");
        assertThat(health.get("message").asText()).contains("deliveries waiting in the outbox");

        kafka.start();
        Await.until(PATIENCE, () -> bridge.meter("ecubridge.outbox.depth", "sink", "kafka") == 0);
        clock.advance(Duration.ofMinutes(5));
        times.add(ecuTime());
        Await.until(PATIENCE, () -> kafka.records("snapshots-b").stream().anyMatch(r -> r.timestamp() == times.get(times.size() - 1)));
        List<ConsumerRecord<String, String>> records = kafka.records("snapshots-b");
        assertThat(records).extracting(ConsumerRecord::timestamp).containsExactlyElementsOf(times);
        assertThat(records).extracting(ConsumerRecord::key).containsOnly(ecu.ecuId());
    }

    /**
     * A send that timed out after the broker had written it: the replay finds its records in their partitions (three
     * partitions, keys spread over them) and sends only the others; once the doubt is cleared it no longer reads back.
     */
    @Test
    void aReplayLeavesOutWhatTheBrokerAlreadyHas() throws Exception {
        try (var admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("snapshots", 3, (short) 1))).all().get();
        }
        KafkaRecord written = new KafkaRecord("snapshots", "216000012345", 1_000L, "{\"a\":1}");
        KafkaRecord writtenElsewhere = new KafkaRecord("snapshots", "216000099999", 2_000L, "{\"b\":1}");
        KafkaRecord notWritten = new KafkaRecord("snapshots", "216000012345", 301_000L, "{\"a\":2}");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            for (KafkaRecord r : List.of(written, writtenElsewhere)) {
                producer.send(new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value())).get();
            }
            // other ECUs' records after them in the same partitions
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("snapshots", null, 5_000L + i, "2160000" + i, "{}")).get();
            }
        }
        KafkaWritten check = new KafkaWritten(() -> new KafkaConsumer<>(
                KafkaWritten.consumerProperties(kafka.bootstrapServers(), Map.of()), new StringDeserializer(), new StringDeserializer()));
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setBody(new KafkaDelivery(List.of(written, notWritten, writtenElsewhere)));
            check.unsent(exchange);
            assertThat(exchange.getMessage().getBody(KafkaDelivery.class).records()).containsExactly(notWritten);

            // no doubt since: what it is given is sent as it is
            exchange.getMessage().setBody(new KafkaDelivery(List.of(written)));
            check.unsent(exchange);
            assertThat(exchange.getMessage().getBody(KafkaDelivery.class).records()).containsExactly(written);

            check.uncertain();
            check.unsent(exchange);
            assertThat(exchange.getMessage().getBody(KafkaDelivery.class).records()).isEmpty();
        } finally {
            check.close();
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
