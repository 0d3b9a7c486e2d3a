package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.app.EmbeddedMqttBroker;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT sink against a real broker: a large ECU's cycle, and a broker that stops answering. */
class MqttSinkTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(
            LocalDateTime.parse("2026-06-21T12:02:00").atZone(TestBridge.ZONE).toInstant(), TestBridge.ZONE);
    private final Opened open = new Opened();
    private TestBridge bridge;

    @AfterEach
    void stop() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        open.close();
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private SimulatorFleet simulate(String inverters) throws Exception {
        SiteSpec site = SiteSpec.defaults().withInverters(SiteSpec.parseInverters(inverters)).withSeed(5);
        return opened(SimulatorFleet.start(site, 1, "127.0.0.1", 0, clock, List.of()));
    }

    private Map<String, Object> config(int port, String brokerUrl) {
        Map<String, Object> p = TestBridge.fastPolling(tmp.resolve("data"));
        p.put("ecubridge.ecus", "big=127.0.0.1:" + port);
        p.put("ecubridge.mqtt.enabled", true);
        p.put("ecubridge.mqtt.broker-url", brokerUrl);
        p.put("ecubridge.mqtt.client-id", "bridge-" + System.nanoTime());
        p.put("ecubridge.outbox.retry-seconds", 1);
        return p;
    }

    /**
     * A broker that stops answering without closing the connection (a network cut): polling goes on, the sink is DOWN
     * with its data in the outbox, and once the network is back every state arrives exactly once, in order.
     */
    @Test
    void aBrokerThatStopsAnsweringNeverStallsPollingAndLosesNothing() throws Exception {
        EmbeddedMqttBroker broker = opened(EmbeddedMqttBroker.start("127.0.0.1", Ports.free(), tmp.resolve("artemis")));
        BlackHoleProxy proxy = opened(new BlackHoleProxy(broker.port()));
        SimulatorFleet fleet = simulate("DS3:2");
        SimulatedEcu ecu = fleet.ecu(0);
        MqttRecorder mqtt = opened(new MqttRecorder(broker.url(), "apsystems/" + ecu.ecuId() + "/#"));
        Map<String, Object> config = config(fleet.server(0).port(), proxy.url());
        config.put("ecubridge.sink-timeout-seconds", 1);
        config.put("ecubridge.outbox.retry-seconds", 2);
        int management = (Integer) config.get("camel.management.port");
        bridge = TestBridge.start(config);
        List<String> stamps = new ArrayList<>(List.of(ecu.realtime().timestamp().toString()));
        Await.until(PATIENCE, () -> states(mqtt).size() == 3);

        proxy.blackHole();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(5));
            stamps.add(ecu.realtime().timestamp().toString());
            int published = stamps.size();
            Await.until(PATIENCE, () -> bridge.meter("ecubridge.snapshots.published", "ecu_id", ecu.ecuId()) == published
                    && snapshotLines() == published);
        }
        double cycles = bridge.meter("ecubridge.poll.cycles", "ecu", "big");
        Await.until(PATIENCE, () -> bridge.meter("ecubridge.poll.cycles", "ecu", "big") >= cycles + 3);
        Await.until(PATIENCE, () -> bridge.meter("ecubridge.outbox.depth", "sink", "mqtt") > 0);
        JsonNode sink = Health.check(management, "sink-mqtt");
        assertThat(sink.get("status").asText()).isEqualTo("DOWN");
        assertThat(sink.get("message").asText()).contains("deliveries waiting in the outbox");
        assertThat(states(mqtt)).as("nothing got through the cut").hasSize(3);

        proxy.forward();
        Await.until(PATIENCE, () -> bridge.meter("ecubridge.outbox.depth", "sink", "mqtt") == 0 && states(mqtt).size() == 4 * 3);
        Await.until(PATIENCE, () -> "UP".equals(Health.check(management, "sink-mqtt").get("status").asText()));
        Map<String, List<String>> byTopic = new java.util.TreeMap<>();
        for (String[] s : states(mqtt)) {
            byTopic.computeIfAbsent(s[0], t -> new ArrayList<>()).add(s[1]);
        }
        assertThat(byTopic).hasSize(3);
        byTopic.forEach((topic, times) -> assertThat(times).as(topic + ": every snapshot once, in order").containsExactlyElementsOf(stamps));
    }

    /**
     * A broker that refuses one topic to the bridge's user (PUBACK 0x87, not authorized): each message there is dropped
     * with the rejected counter and never waits in the outbox, and the messages to the other topics still arrive.
     */
    @Test
    void aPublishTheBrokerRefusesIsDroppedAndTheOthersArrive() throws Exception {
        SimulatorFleet fleet = simulate("DS3:2");
        SimulatedEcu ecu = fleet.ecu(0);
        String denied = "apsystems/" + ecu.ecuId() + "/state";
        EmbeddedMqttBroker broker = opened(EmbeddedMqttBroker.start("127.0.0.1", Ports.free(), tmp.resolve("artemis"),
                "bridge", "secret", null, null, denied));
        MqttRecorder mqtt = opened(new MqttRecorder(broker.url(), "apsystems/" + ecu.ecuId() + "/#", "bridge", "secret"));
        Map<String, Object> config = config(fleet.server(0).port(), broker.url());
        config.put("ecubridge.mqtt.username", "bridge");
        config.put("ecubridge.mqtt.password", "secret");
        bridge = TestBridge.start(config);

        Await.until(PATIENCE, () -> rejected() == 1 && states(mqtt).size() == 2);
        clock.advance(Duration.ofMinutes(5));
        Await.until(PATIENCE, () -> rejected() == 2 && states(mqtt).size() == 4);
        assertThat(states(mqtt)).as("nothing reached the refused topic").noneMatch(s -> s[0].equals(denied));
        assertThat(bridge.meter("ecubridge.outbox.stored", "sink", "mqtt")).as("the refusal never waited").isZero();
        assertThat(bridge.meter("ecubridge.outbox.depth", "sink", "mqtt")).isZero();
    }

    private double rejected() {
        return bridge.meter("ecubridge.outbox.dropped", "sink", "mqtt", "reason", "rejected");
    }

    /** {topic, ECU-local time} of every JSON state received. */
    private static List<String[]> states(MqttRecorder recorder) throws Exception {
        List<String[]> out = new ArrayList<>();
        for (MqttRecorder.Received m : recorder.messages) {
            if (m.topic().endsWith("/state") && !m.payload().isEmpty()) {
                String time = JSON.readTree(m.payload()).get("time").asText();
                out.add(new String[] {m.topic(), LocalDateTime.ofInstant(java.time.Instant.parse(time), TestBridge.ZONE).toString()});
            }
        }
        return out;
    }

    private long snapshotLines() throws Exception {
        try (var files = Files.walk(tmp.resolve("data/snapshots"))) {
            long n = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                n += Files.readAllLines(f).size();
            }
            return n;
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }

    /** 200 inverters in one cycle: every inverter's state arrives and the sink never falls behind its in-flight window. */
    @Test
    void twoHundredInvertersInOneCycleAllArrive() throws Exception {
        EmbeddedMqttBroker broker = opened(EmbeddedMqttBroker.start("127.0.0.1", Ports.free(), tmp.resolve("artemis")));
        SimulatorFleet fleet = simulate("DS3:200");
        SimulatedEcu ecu = fleet.ecu(0);
        MqttRecorder mqtt = opened(new MqttRecorder(broker.url(), "apsystems/" + ecu.ecuId() + "/#"));
        bridge = TestBridge.start(config(fleet.server(0).port(), broker.url()));

        Await.until(PATIENCE, () -> mqtt.last.keySet().stream().filter(t -> t.endsWith("/state")).count() == 201);
        assertThat(bridge.meter("ecubridge.outbox.stored", "sink", "mqtt")).as("nothing had to wait").isZero();
        assertThat(bridge.meter("ecubridge.outbox.depth", "sink", "mqtt")).isZero();
    }
}
