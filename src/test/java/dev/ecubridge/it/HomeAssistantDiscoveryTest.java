package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.app.EmbeddedMqttBroker;
import dev.ecubridge.simulator.EcuKind;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Home Assistant's view through a real broker (Artemis): what its discovery rules make of the bridge's messages. */
class HomeAssistantDiscoveryTest {

    @TempDir
    Path data;
    private final MutableClock clock = TestBridge.summerNoon();
    private final List<AutoCloseable> open = new ArrayList<>();
    private EmbeddedMqttBroker broker;
    private TestBridge bridge;

    @BeforeEach
    void startBroker() throws Exception {
        broker = EmbeddedMqttBroker.start("127.0.0.1", Ports.free(), data.resolve("artemis"));
    }

    @AfterEach
    void stop() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        for (AutoCloseable c : open) {
            c.close();
        }
        broker.close();
    }

    private SimulatorFleet simulate(String inverters, int port) throws Exception {
        SiteSpec site = SiteSpec.defaults().withEcu(EcuKind.ECU_R, "216000000777")
                .withInverters(SiteSpec.parseInverters(inverters)).withSeed(77);
        SimulatorFleet fleet = SimulatorFleet.start(site, 1, "127.0.0.1", port, clock, List.of());
        open.add(fleet);
        return fleet;
    }

    private void startBridge(int port, Map<String, Object> more) throws Exception {
        Map<String, Object> p = TestBridge.fastPolling(data);
        p.put("ecubridge.ecus", "roof=127.0.0.1:" + port);
        p.put("ecubridge.mqtt.enabled", true);
        p.put("ecubridge.mqtt.broker-url", broker.url());
        p.put("ecubridge.mqtt.client-id", "bridge-" + System.nanoTime());
        p.putAll(more);
        bridge = TestBridge.start(p);
    }

    private MqttRecorder record() throws Exception {
        MqttRecorder recorder = new MqttRecorder(broker.url(), "#");
        open.add(recorder);
        return recorder;
    }

    /** The next ECU refresh, published and delivered. */
    private void nextRefresh(MqttRecorder mqtt, SimulatedEcu ecu, int snapshot) throws Exception {
        clock.advance(Duration.ofMinutes(5));
        PipelineEndToEndTest.await(() -> bridge.meter("ecubridge.snapshots.published", "ecu_id", ecu.ecuId()) == snapshot);
        String time = ecu.realtime().timestamp().toString();
        PipelineEndToEndTest.await(() -> mqtt.payload("apsystems/" + ecu.ecuId() + "/state") != null
                && json(mqtt.payload("apsystems/" + ecu.ecuId() + "/state")).get("local_time").asText().startsWith(time.substring(0, 16)));
        String lastUid = ecu.inverterUids().get(ecu.inverterUids().size() - 1);
        PipelineEndToEndTest.await(() -> mqtt.payload("apsystems/" + ecu.ecuId() + "/" + lastUid + "/state") != null
                && json(mqtt.payload("apsystems/" + ecu.ecuId() + "/" + lastUid + "/state")).get("time").asText()
                .equals(ecu.realtime().timestamp().atZone(TestBridge.ZONE).toInstant().toString()));
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    private static Set<String> components(String config) throws Exception {
        Set<String> ids = new HashSet<>();
        json(config).get("cmps").fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    @Test
    void aQt2KeepsItsComponentsFromOfflineToOnlineToOfflineAndItsConfigIsPublishedOnce() throws Exception {
        SimulatorFleet fleet = simulate("QT2:2", 0);
        SimulatedEcu ecu = fleet.ecu(0);
        String uid = ecu.inverterUids().get(0);
        String configTopic = "homeassistant/device/apsystems_" + uid + "/config";
        String t = "apsystems/" + ecu.ecuId() + "/" + uid;
        MqttRecorder mqtt = record();
        ecu.forceOffline(0);
        startBridge(fleet.server(0).port(), Map.of());
        PipelineEndToEndTest.await(() -> bridge.meter("ecubridge.snapshots.published", "ecu_id", ecu.ecuId()) == 1);
        // the last topic of the inverter's messages: all before it have arrived
        PipelineEndToEndTest.await(() -> mqtt.payload(configTopic) != null && mqtt.payload(t + "/ch4/lifetime_kwh") != null);
        assertThat(mqtt.payload(t + "/online")).isEqualTo("false");
        Set<String> offline = components(mqtt.payload(configTopic));
        assertThat(mqtt.payload(t + "/signal")).as("offline: no signal").isEmpty();

        ecu.restore(0);
        nextRefresh(mqtt, ecu, 2);
        assertThat(mqtt.payload(t + "/online")).isEqualTo("true");
        assertThat(mqtt.payload(t + "/signal")).isNotEmpty();
        ecu.forceOffline(0);
        nextRefresh(mqtt, ecu, 3);
        assertThat(mqtt.payload(t + "/online")).isEqualTo("false");
        PipelineEndToEndTest.await(() -> bridge.meter("ecubridge.poll.cycles", "ecu", "roof") >= 6); // cycles without new data

        List<String> configs = mqtt.messages.stream().filter(m -> m.topic().equals(configTopic)).map(MqttRecorder.Received::payload).toList();
        assertThat(configs).as("published once, not every cycle or at dawn and dusk").hasSize(1);
        assertThat(offline).contains(uid + "_ch4_power", uid + "_ch3_voltage", uid + "_ch4_lifetime", uid + "_today")
                .doesNotContain(uid + "_ch4_voltage");
        JsonNode cmps = json(configs.get(0)).get("cmps");
        assertThat(cmps.at("/" + uid + "_ch1_power/exp_aft").asLong()).as("3 poll intervals").isEqualTo(3);
        assertThat(cmps.at("/" + uid + "_lifetime/stat_cla").asText()).isEqualTo("total_increasing");
        assertThat(Double.parseDouble(mqtt.payload(t + "/lifetime_kwh"))).as("integrated while online").isPositive();
    }

    @Test
    void anInverterRemovedFromTheEcuHasItsComponentsRemovedTheWayHomeAssistantDocumentsIt() throws Exception {
        SimulatorFleet two = simulate("DS3:2", 0);
        int port = two.server(0).port();
        List<String> before = two.ecu(0).inverterUids();
        MqttRecorder mqtt = record();
        startBridge(port, Map.of());
        String ecuId = two.ecu(0).ecuId();
        PipelineEndToEndTest.await(() -> bridge.meter("ecubridge.snapshots.published", "ecu_id", ecuId) == 1);
        for (String uid : before) {
            PipelineEndToEndTest.await(() -> mqtt.payload("homeassistant/device/apsystems_" + uid + "/config") != null);
        }
        two.close();
        open.remove(two);
        SimulatorFleet one = simulate("DS3:1", port);
        Set<String> removed = new HashSet<>(before);
        removed.removeAll(one.ecu(0).inverterUids());
        assertThat(removed).hasSize(1);
        String gone = removed.iterator().next();
        String topic = "homeassistant/device/apsystems_" + gone + "/config";
        clock.advance(Duration.ofMinutes(5));
        PipelineEndToEndTest.await(() -> "".equals(mqtt.payload(topic)));

        List<String> configs = mqtt.messages.stream().filter(m -> m.topic().equals(topic)).map(MqttRecorder.Received::payload).toList();
        assertThat(configs).hasSize(3);
        JsonNode removal = json(configs.get(1)).get("cmps");
        assertThat(removal.size()).isEqualTo(json(configs.get(0)).get("cmps").size());
        removal.elements().forEachRemaining(c -> assertThat(c.size()).as("platform alone: " + c).isEqualTo(1));
        assertThat(removal.get(gone + "_online").get("p").asText()).isEqualTo("binary_sensor");
        assertThat(removal.get(gone + "_power").get("p").asText()).isEqualTo("sensor");
        String kept = one.ecu(0).inverterUids().get(0);
        assertThat(mqtt.messages.stream().filter(m -> m.topic().equals("homeassistant/device/apsystems_" + kept + "/config"))).hasSize(1);
    }

    @Test
    void nightZeroPublishesZeroWattsForAnOfflineInverterAndNoOtherNumbers() throws Exception {
        SimulatorFleet fleet = simulate("DS3:1", 0);
        SimulatedEcu ecu = fleet.ecu(0);
        String t = "apsystems/" + ecu.ecuId() + "/" + ecu.inverterUids().get(0);
        MqttRecorder mqtt = record();
        ecu.forceOffline(0);
        startBridge(fleet.server(0).port(), Map.of("ecubridge.night", "zero"));
        PipelineEndToEndTest.await(() -> mqtt.payload(t + "/ch2/lifetime_kwh") != null);
        assertThat(mqtt.payload(t + "/online")).isEqualTo("false");
        assertThat(mqtt.payload(t + "/power_w")).isEqualTo("0");
        assertThat(mqtt.payload(t + "/ch1/power_w")).isEqualTo("0");
        assertThat(mqtt.payload(t + "/ch1/voltage_v")).isEmpty();
        assertThat(mqtt.payload(t + "/frequency_hz")).isEmpty();
        assertThat(mqtt.payload(t + "/temperature_c")).isEmpty();
        assertThat(mqtt.payload(t + "/signal")).isEmpty();
        JsonNode state = json(mqtt.payload(t + "/state"));
        assertThat(state.get("power_w").asInt()).isZero();
        assertThat(state.get("temperature_c").isNull()).isTrue();
    }
}
