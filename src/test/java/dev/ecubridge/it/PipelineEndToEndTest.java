package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.SignalReply;
import dev.ecubridge.simulator.EcuKind;
import dev.ecubridge.simulator.Fault;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import dev.ecubridge.simulator.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge as users run it (application.properties, YAML routes, type converter), against simulated ECUs, a real
 * MQTT 5 broker (Artemis) and a real InfluxDB v2 write API (QuestDB), all on loopback and started here.
 */
class PipelineEndToEndTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    @RegisterExtension
    static final RealServers servers = RealServers.brokerAndQuestDb();

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(LocalDateTime.parse("2026-06-21T12:02:00").atZone(ZONE).toInstant(), ZONE);
    private final List<AutoCloseable> open = new java.util.ArrayList<>();
    private TestBridge bridge;

    @AfterEach
    void stop() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private SimulatorFleet simulate(EcuKind kind, String inverters, long seed) throws Exception {
        SiteSpec site = SiteSpec.defaults().withEcu(kind, kind.idPrefix() + String.format("%08d", 100 + seed))
                .withInverters(SiteSpec.parseInverters(inverters)).withSeed(seed);
        SimulatorFleet fleet = SimulatorFleet.start(site, 1, "127.0.0.1", 0, clock, List.of());
        open.add(fleet);
        return fleet;
    }

    private MqttRecorder record(String filter) throws Exception {
        MqttRecorder recorder = new MqttRecorder(servers.broker().url(), filter);
        open.add(recorder);
        return recorder;
    }

    private void startBridge(Map<String, Object> properties) throws Exception {
        Map<String, Object> p = TestBridge.fastPolling(data);
        p.put("ecubridge.influxdb.url", servers.questDb().url());
        p.put("ecubridge.mqtt.broker-url", servers.broker().url());
        p.put("ecubridge.mqtt.client-id", "bridge-" + System.nanoTime());
        p.putAll(properties);
        bridge = TestBridge.start(p);
    }

    private double counter(String name, String... tags) {
        return bridge.meter(name, tags);
    }

    @Test
    void oneCycleLandsInAllThreeSinksWithExactValuesAndTwoEcusArePolledConcurrently() throws Exception {
        SimulatorFleet r = simulate(EcuKind.ECU_R, "DS3:2,QS1:1,QT2:1", 1);
        SimulatorFleet pro = simulate(EcuKind.ECU_R_PRO, "YC600:2,UNREPORTED:1", 2);
        SimulatedEcu ecuR = r.ecu(0);
        SimulatedEcu ecuPro = pro.ecu(0);
        MqttRecorder mqtt = record("#");
        startBridge(Map.of("ecubridge.ecus", "roof=127.0.0.1:" + r.server(0).port() + ",garage=127.0.0.1:" + pro.server(0).port(),
                "ecubridge.mqtt.enabled", true, "ecubridge.influxdb.enabled", true));

        for (SimulatedEcu ecu : List.of(ecuR, ecuPro)) {
            InfoReply info = ecu.info();
            RealtimeReply rt = ecu.realtime();
            SignalReply signal = ecu.signal();
            String t = "apsystems/" + ecu.ecuId();
            // one write per cycle, but QuestDB commits each table apart
            await(() -> mqtt.payload(t + "/state") != null && servers.questDb().count("SELECT * FROM inverter WHERE ecu_id = '" + ecu.ecuId() + "'") == rt.inverters().size()
                    && servers.questDb().count("SELECT * FROM ecu WHERE ecu_id = '" + ecu.ecuId() + "'") == 1
                    && servers.questDb().count("SELECT * FROM channel WHERE ecu_id = '" + ecu.ecuId() + "'") > 0);

            // MQTT: values, JSON state, discovery
            assertThat(mqtt.payload(t + "/power_w")).isEqualTo(Long.toString(info.currentPowerW()));
            assertThat(mqtt.payload(t + "/lifetime_kwh")).isEqualTo(Double.toString(info.lifetimeEnergyKwh()));
            assertThat(mqtt.payload(t + "/today_kwh")).isEqualTo(Double.toString(info.todayEnergyKwh()));
            assertThat(mqtt.last.get(t + "/power_w").expiry()).isEqualTo(3L);
            MqttRecorder late = record(t + "/+");
            await(() -> late.last.containsKey(t + "/lifetime_kwh") && late.last.containsKey(t + "/state"));
            assertThat(late.last.get(t + "/lifetime_kwh").retained()).as("retained for late subscribers").isTrue();
            assertThat(mqtt.payload("apsystems/bridge/status")).isEqualTo("online");
            JsonNode ecuConfig = json(mqtt.payload("homeassistant/device/apsystems_" + ecu.ecuId() + "/config"));
            assertThat(ecuConfig.at("/dev/ids/0").asText()).isEqualTo("apsystems_ecu_" + ecu.ecuId());
            assertThat(ecuConfig.at("/o/name").asText()).isEqualTo("ecu-bridge");
            JsonNode lifetime = ecuConfig.at("/cmps/" + ecu.ecuId() + "_lifetime");
            assertThat(lifetime.get("stat_cla").asText()).isEqualTo("total_increasing");
            assertThat(lifetime.get("dev_cla").asText()).isEqualTo("energy");
            assertThat(lifetime.get("unit_of_meas").asText()).isEqualTo("kWh");
            assertThat(ecuConfig.at("/cmps/" + ecu.ecuId() + "_power/stat_cla").asText()).isEqualTo("measurement");

            for (InverterReading inv : rt.inverters()) {
                String it = t + "/" + inv.uid();
                // the inverter's last topic: everything published before it has arrived
                String last = inv.powerW().isEmpty() ? it + "/state" : it + "/ch" + inv.powerW().size() + "/lifetime_kwh";
                await(() -> mqtt.payload(last) != null);
                JsonNode state = json(mqtt.payload(it + "/state"));
                assertThat(state.get("online").asBoolean()).isEqualTo(inv.online());
                JsonNode config = json(mqtt.payload("homeassistant/device/apsystems_" + inv.uid() + "/config"));
                assertThat(config.at("/dev/via_device").asText()).isEqualTo("apsystems_ecu_" + ecu.ecuId());
                if (inv.online()) {
                    for (int c = 0; c < inv.powerW().size(); c++) {
                        assertThat(mqtt.payload(it + "/ch" + (c + 1) + "/power_w")).isEqualTo(inv.powerW().get(c).toString());
                        assertThat(state.get("ch" + (c + 1) + "_power_w").asInt()).isEqualTo(inv.powerW().get(c));
                    }
                    assertThat(state.get("frequency_hz").asDouble()).isEqualTo(inv.frequencyHz());
                    assertThat(state.get("temperature_c").asInt()).isEqualTo(inv.temperatureC());
                } else {
                    assertThat(state.get("power_w").isNull()).isTrue();
                    assertThat(mqtt.payload(it + "/availability")).isEqualTo("offline");
                }
                int expectedSignal = signal.inverters().stream().filter(e -> e.uid().equals(inv.uid())).findFirst().orElseThrow().signal();
                if (inv.online()) {
                    assertThat(state.get("signal").asInt()).isEqualTo(expectedSignal);
                } else {
                    assertThat(state.get("signal").isNull()).as("offline: no signal either").isTrue();
                }
            }

            // InfluxDB (QuestDB): the same values at the ECU's time stamp
            Map<String, JsonNode> ecuRow = servers.questDb().query("SELECT * FROM ecu WHERE ecu_id = '" + ecu.ecuId() + "'").get(0);
            assertThat(ecuRow.get("power_w").asLong()).isEqualTo(info.currentPowerW());
            assertThat(ecuRow.get("lifetime_kwh").asDouble()).isEqualTo(info.lifetimeEnergyKwh());
            assertThat(ecuRow.get("today_kwh").asDouble()).isEqualTo(info.todayEnergyKwh());
            assertThat(ecuRow.get("inverters_online").asInt()).isEqualTo(info.invertersOnline());
            assertThat(ecuRow.get("ecu_model").asText()).isEqualTo(info.ecuModel());
            assertThat(ecuRow.get("timestamp").asText()).startsWith(rt.timestamp().atZone(ZONE).toInstant().toString().replace("Z", ""));
            for (InverterReading inv : rt.inverters()) {
                if (!inv.online()) {
                    continue;
                }
                List<Map<String, JsonNode>> channels = servers.questDb().query("SELECT * FROM channel WHERE inverter_uid = '" + inv.uid() + "' ORDER BY channel");
                assertThat(channels).hasSize(inv.powerW().size());
                for (int c = 0; c < channels.size(); c++) {
                    assertThat(channels.get(c).get("power_w").asInt()).isEqualTo(inv.powerW().get(c));
                }
                Map<String, JsonNode> invRow = servers.questDb().query("SELECT * FROM inverter WHERE inverter_uid = '" + inv.uid() + "'").get(0);
                assertThat(invRow.get("frequency_hz").asDouble()).isEqualTo(inv.frequencyHz());
                assertThat(invRow.get("temperature_c").asInt()).isEqualTo(inv.temperatureC());
            }

            // Files: one snapshot line (the ECU's data did not change, so later cycles wrote nothing) and the captures
            Path snapshots = data.resolve("snapshots/" + ecu.ecuId() + "/" + rt.timestamp().toLocalDate() + ".jsonl");
            Await.until(Duration.ofSeconds(10), () -> Files.exists(snapshots)); // the files sink has its own thread
            List<String> lines = Files.readAllLines(snapshots);
            assertThat(lines).hasSize(1);
            JsonNode line = json(lines.get(0));
            assertThat(line.get("power_w").asLong()).isEqualTo(info.currentPowerW());
            assertThat(line.get("inverter_data")).hasSize(rt.inverters().size());
            assertThat(Files.readAllLines(data.resolve("captures/" + ecu.ecuId() + "/" + rt.timestamp().toLocalDate() + ".jsonl"))).hasSize(3);
        }
        await(() -> counter("ecubridge.poll.cycles", "ecu", "roof") >= 3);
        assertThat(counter("ecubridge.snapshots.published", "ecu_id", ecuR.ecuId())).isEqualTo(1);
        assertThat(r.server(0).maxConcurrentConnections()).isEqualTo(1);
        assertThat(pro.server(0).maxConcurrentConnections()).isEqualTo(1);
    }

    @Test
    void disabledSinksGetNothing() throws Exception {
        SimulatorFleet r = simulate(EcuKind.ECU_B, "DS3:1", 3);
        MqttRecorder mqtt = record("apsystems/" + r.ecu(0).ecuId() + "/#");
        startBridge(Map.of("ecubridge.ecus", "127.0.0.1:" + r.server(0).port(), "ecubridge.mqtt.enabled", false,
                "ecubridge.influxdb.enabled", false, "ecubridge.files.enabled", true));
        await(() -> counter("ecubridge.snapshots.published", "ecu_id", r.ecu(0).ecuId()) == 1);
        await(() -> Files.exists(data.resolve("snapshots/" + r.ecu(0).ecuId())));
        Thread.sleep(1500);
        assertThat(mqtt.messages).isEmpty();
        assertThat(servers.questDb().count("SELECT * FROM ecu WHERE ecu_id = '" + r.ecu(0).ecuId() + "'")).isZero();
    }

    @Test
    void anEcuThatGoesDownAndComesBackIsPolledAgain() throws Exception {
        SimulatorFleet r = simulate(EcuKind.ECU_R, "DS3:2", 4);
        String id = r.ecu(0).ecuId();
        MqttRecorder mqtt = record("apsystems/" + id + "/availability");
        startBridge(Map.of("ecubridge.ecus", "flaky=127.0.0.1:" + r.server(0).port(), "ecubridge.mqtt.enabled", true,
                "ecubridge.unavailable-after-failures", 2));
        await(() -> counter("ecubridge.snapshots.published", "ecu_id", id) == 1);
        await(() -> "online".equals(mqtt.payload("apsystems/" + id + "/availability")));
        r.server(0).faults().set(Fault.Spec.parse("hang-after=1"));
        await(() -> counter("ecubridge.poll.failures", "ecu", "flaky", "kind", "refused") >= 2);
        await(() -> "offline".equals(mqtt.payload("apsystems/" + id + "/availability")));
        r.server(0).faults().clearAll();
        r.server(0).powerCycle();
        clock.advance(Duration.ofMinutes(5));
        await(() -> counter("ecubridge.snapshots.published", "ecu_id", id) == 2);
        await(() -> "online".equals(mqtt.payload("apsystems/" + id + "/availability")));
        assertThat(bridge.routeStarted("ecu-step")).isTrue();
    }

    @Test
    void offlineInvertersAndAZeroLifetimeAreNotPublishedAsNumbers() throws Exception {
        SimulatorFleet r = simulate(EcuKind.ECU_R, "QT2:2", 5);
        SimulatedEcu ecu = r.ecu(0);
        String t = "apsystems/" + ecu.ecuId();
        MqttRecorder mqtt = record(t + "/#");
        startBridge(Map.of("ecubridge.ecus", "127.0.0.1:" + r.server(0).port(), "ecubridge.mqtt.enabled", true,
                "ecubridge.influxdb.enabled", true));
        await(() -> counter("ecubridge.snapshots.published", "ecu_id", ecu.ecuId()) == 1);
        String goodLifetime = Double.toString(ecu.info().lifetimeEnergyKwh());
        await(() -> goodLifetime.equals(mqtt.payload(t + "/lifetime_kwh")));

        ecu.forceOffline(1);
        r.server(0).faults().set(Fault.LIFETIME_ZERO);
        double cycles = counter("ecubridge.poll.cycles", "ecu", "127.0.0.1-" + r.server(0).port());
        // a cycle that read info before the fault must be over before the ECU gets new data
        await(() -> counter("ecubridge.poll.cycles", "ecu", "127.0.0.1-" + r.server(0).port()) >= cycles + 2);
        clock.advance(Duration.ofMinutes(5));
        RealtimeReply rt = ecu.realtime();
        InverterReading offline = rt.inverters().get(1);
        assertThat(offline.online()).isFalse();
        assertThat(offline.totalPowerW()).as("the ECU repeats stale numbers").isPositive();
        await(() -> counter("ecubridge.snapshots.published", "ecu_id", ecu.ecuId()) == 2);
        String it = t + "/" + offline.uid();
        await(() -> "false".equals(mqtt.payload(it + "/online")) && "".equals(mqtt.payload(it + "/ch3/power_w")));
        JsonNode state = json(mqtt.payload(it + "/state"));
        assertThat(state.get("power_w").isNull()).isTrue();
        assertThat(state.get("ch3_power_w").isNull()).isTrue();
        assertThat(state.get("frequency_hz").isNull()).isTrue();
        assertThat(mqtt.payload(it + "/availability")).isEqualTo("offline");

        assertThat(counter("ecubridge.energy.rejected", "ecu_id", ecu.ecuId(), "counter", "lifetime")).isEqualTo(1);
        assertThat(mqtt.payload(t + "/lifetime_kwh")).isEqualTo(goodLifetime);
        assertThat(mqtt.messages.stream().filter(m -> m.topic().equals(t + "/lifetime_kwh")).map(MqttRecorder.Received::payload))
                .containsOnly(goodLifetime);

        String at = rt.timestamp().atZone(ZONE).toInstant().toString();
        await(() -> servers.questDb().count("SELECT * FROM inverter WHERE inverter_uid = '" + offline.uid() + "' AND timestamp = '" + at + "'") == 1);
        Map<String, JsonNode> row = servers.questDb().query("SELECT * FROM inverter WHERE inverter_uid = '" + offline.uid() + "' AND timestamp = '" + at + "'").get(0);
        assertThat(row.get("online").asBoolean()).isFalse();
        assertThat(row.get("frequency_hz").isNull()).isTrue();
        assertThat(row.get("signal").isNull()).as("offline: no signal=0i").isTrue();
        assertThat(row.get("lifetime_kwh").asDouble()).as("the bridge's energy counter stays").isNotNegative();
        List<Map<String, JsonNode>> offlineChannels = servers.questDb().query("SELECT * FROM channel WHERE inverter_uid = '" + offline.uid()
                + "' AND timestamp = '" + at + "'");
        assertThat(offlineChannels).hasSize(4).allMatch(c -> c.get("power_w").isNull() && c.get("voltage_v").isNull()
                && !c.get("lifetime_kwh").isNull());
        assertThat(mqtt.payload(it + "/signal")).isEmpty();
        assertThat(json(mqtt.payload(it + "/state")).get("signal").isNull()).isTrue();
        await(() -> servers.questDb().count("SELECT * FROM ecu WHERE ecu_id = '" + ecu.ecuId() + "' AND timestamp = '" + at + "'") == 1);
        assertThat(servers.questDb().query("SELECT lifetime_kwh FROM ecu WHERE ecu_id = '" + ecu.ecuId() + "' AND timestamp = '" + at + "'")
                .get(0).get("lifetime_kwh").isNull()).isTrue();
    }

    @Test
    void anUnknownInverterTypePublishesTheInvertersBeforeIt() throws Exception {
        SimulatorFleet r = simulate(EcuKind.ECU_R, "DS3:3,QT2:1", 7);
        r.server(0).faults().set(Fault.UNKNOWN_TYPE);
        startBridge(Map.of("ecubridge.ecus", "odd=127.0.0.1:" + r.server(0).port()));
        String id = r.ecu(0).ecuId();
        await(() -> counter("ecubridge.snapshots.published", "ecu_id", id) == 1);
        assertThat(counter("ecubridge.decode.partial", "ecu", "odd")).isPositive();
        Path day = data.resolve("snapshots/" + id + "/" + r.ecu(0).realtime().timestamp().toLocalDate() + ".jsonl");
        await(() -> Files.exists(day));
        JsonNode line = json(Files.readAllLines(day).get(0));
        assertThat(line.get("inverter_data")).hasSize(3);
        JsonNode capture = json(Files.readAllLines(data.resolve("captures/" + id + "/" + day.getFileName())).get(1));
        assertThat(capture.get("command").asText()).isEqualTo("0002");
        assertThat(capture.get("frame").asText()).contains("3037"); // the raw frame with type '07', kept for a report
    }

    @Test
    void homeAssistantRestartGetsDiscoveryAgain() throws Exception {
        SimulatorFleet r = simulate(EcuKind.ECU_C, "DS3:1", 6);
        String topic = "homeassistant/device/apsystems_" + r.ecu(0).ecuId() + "/config";
        startBridge(Map.of("ecubridge.ecus", "127.0.0.1:" + r.server(0).port(), "ecubridge.mqtt.enabled", true));
        MqttRecorder mqtt = record("homeassistant/device/#");
        await(() -> mqtt.payload(topic) != null);
        await(() -> bridge.routeStarted("mqtt-ha-status-mqtt"));
        int before = (int) mqtt.messages.stream().filter(m -> m.topic().equals(topic)).count();
        mqtt.publish("homeassistant/status", "online");
        await(() -> mqtt.messages.stream().filter(m -> m.topic().equals(topic)).count() > before);
    }

    private static JsonNode json(String text) throws Exception {
        assertThat(text).isNotNull();
        return new ObjectMapper().readTree(text);
    }

    static void await(Callable<Boolean> condition) throws Exception {
        Await.until(Duration.ofSeconds(20), condition);
    }
}
