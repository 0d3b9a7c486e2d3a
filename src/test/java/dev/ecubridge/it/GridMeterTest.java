package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.simulator.EcuKind;
import dev.ecubridge.simulator.MeterFault;
import dev.ecubridge.simulator.MeterServer;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatedMeter;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ECU-C with CT clamps through the running bridge: its meter series on a loopback HTTP port of the simulator, the
 * 8899 protocol beside it, a real MQTT broker (Artemis) and a real InfluxDB v2 write API (QuestDB).
 */
class GridMeterTest {

    private static final ZoneId ZONE = TestBridge.ZONE;
    private static final double ROUNDING_KWH = 0.0006;
    @RegisterExtension
    static final RealServers servers = RealServers.brokerAndQuestDb();

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(at("2026-06-21T12:02:00"), ZONE);
    private SimulatorFleet fleet;
    private SimulatedMeter meter;
    private MeterServer meterServer;
    private MqttRecorder mqtt;
    private TestBridge bridge;
    private int management;

    @BeforeEach
    void start() throws Exception {
        SiteSpec site = SiteSpec.defaults().withEcu(EcuKind.ECU_C, "215000100007")
                .withInverters(SiteSpec.parseInverters("DS3:4,QT2:1")).withSeed(7);
        fleet = SimulatorFleet.start(site, 1, "127.0.0.1", 0, clock, List.of());
        meter = new SimulatedMeter(fleet.ecu(0));
        meterServer = MeterServer.start(meter, "127.0.0.1", 0);
        mqtt = new MqttRecorder(servers.broker().url(), "#");
        Map<String, Object> p = new HashMap<>(TestBridge.fastPolling(data));
        management = (Integer) p.get("camel.management.port");
        p.put("ecubridge.ecus", "roof=127.0.0.1:" + fleet.server(0).port());
        p.put("ecubridge.meter.enabled", true);
        p.put("ecubridge.meter.ecus", "roof=127.0.0.1:" + meterServer.port());
        p.put("ecubridge.meter.interval-seconds", 1);
        p.put("ecubridge.meter.timeout-ms", 500);
        p.put("ecubridge.meter.first-read-delay-ms", 10);
        p.put("ecubridge.influxdb.enabled", true);
        p.put("ecubridge.influxdb.url", servers.questDb().url());
        p.put("ecubridge.mqtt.enabled", true);
        p.put("ecubridge.mqtt.broker-url", servers.broker().url());
        p.put("ecubridge.mqtt.client-id", "bridge-" + System.nanoTime());
        bridge = TestBridge.start(p, clock);
    }

    @AfterEach
    void stop() throws Exception {
        bridge.close();
        mqtt.close();
        meterServer.close();
        fleet.close();
    }

    private static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(ZONE).toInstant();
    }

    @Test
    void everyPointReachesEverySinkOnceAndHomeAssistantGetsTheGridSensors() throws Exception {
        // 00:00 to 12:00: 145 points, in the file, in InfluxDB and the last one on MQTT
        await(() -> servers.questDb().count("SELECT * FROM meter") == 145 && lines() == 145 && mqtt.payload("apsystems/meter/roof/state") != null);
        double reads = requests();
        await(() -> requests() >= reads + 3);
        assertThat(servers.questDb().count("SELECT * FROM meter")).as("the same series read again writes nothing twice").isEqualTo(145);
        assertThat(lines()).isEqualTo(145);

        clock.advance(Duration.ofMinutes(10));
        await(() -> servers.questDb().count("SELECT * FROM meter") == 147 && lines() == 147
                && mqtt.payload("apsystems/meter/roof/state").contains(at("2026-06-21T12:10:00").toString()));
        assertThat(servers.questDb().count("SELECT DISTINCT timestamp FROM meter")).isEqualTo(147);

        // the last point, as the simulator made it; energies are the simulator's integrals up to it
        SimulatedMeter.Point last = meter.point(at("2026-06-21T12:10:00"));
        SimulatedMeter.Totals booked = meter.integrate(at("2026-06-21T00:00:00"), at("2026-06-21T12:10:00"));
        // the counters are the last topics of a point: wait for them, then compare
        await(() -> close(mqtt.payload("apsystems/meter/roof/grid_import_lifetime_kwh"), booked.gridImportWh())
                && close(mqtt.payload("apsystems/meter/roof/production_lifetime_kwh"), booked.productionWh()));
        JsonNode state = json(mqtt.payload("apsystems/meter/roof/state"));
        assertThat(state.get("production_a_w").asInt()).isEqualTo(last.production()[0]);
        assertThat(state.get("grid_b_w").asInt()).isEqualTo(last.grid()[1]);
        assertThat(state.get("consumption_c_w").asInt()).isEqualTo(last.consumption()[2]);
        assertThat(state.get("grid_w").asInt()).isEqualTo(last.grid()[0] + last.grid()[1] + last.grid()[2]);
        assertThat(Double.parseDouble(mqtt.payload("apsystems/meter/roof/grid_import_lifetime_kwh")))
                .isCloseTo(booked.gridImportWh() / 1000, within(ROUNDING_KWH));
        assertThat(Double.parseDouble(mqtt.payload("apsystems/meter/roof/grid_export_today_kwh")))
                .isCloseTo(booked.gridExportWh() / 1000, within(ROUNDING_KWH));
        assertThat(Double.parseDouble(mqtt.payload("apsystems/meter/roof/consumption_lifetime_kwh")))
                .isCloseTo(booked.consumptionWh() / 1000, within(ROUNDING_KWH));
        assertThat(mqtt.last.get("apsystems/meter/roof/grid_a_w").expiry()).as("live values expire").isNotNull();
        assertThat(mqtt.last.get("apsystems/meter/roof/grid_import_lifetime_kwh").expiry()).as("counters do not").isNull();
        Map<String, JsonNode> row = servers.questDb().query("SELECT * FROM meter WHERE timestamp = '"
                + at("2026-06-21T12:10:00").toString().replace("Z", "") + "'").get(0);
        assertThat(row.get("production_w").asInt()).isEqualTo(last.production()[0] + last.production()[1] + last.production()[2]);
        assertThat(row.get("grid_import_lifetime_kwh").asDouble()).isCloseTo(booked.gridImportWh() / 1000, within(ROUNDING_KWH));

        // Home Assistant: the Energy dashboard's grid sensors, on a meter device linked to its ECU's device
        String ecuId = fleet.ecu(0).ecuId();
        await(() -> mqtt.payload("homeassistant/device/apsystems_meter_roof/config") != null
                && json(mqtt.payload("homeassistant/device/apsystems_meter_roof/config")).at("/dev/via_device").asText()
                .equals("apsystems_ecu_" + ecuId));
        JsonNode config = json(mqtt.payload("homeassistant/device/apsystems_meter_roof/config"));
        for (String sensor : List.of("grid_import", "grid_export", "consumption_energy", "production_energy")) {
            JsonNode c = config.at("/cmps/meter_roof_" + sensor);
            assertThat(c.get("dev_cla").asText()).as(sensor).isEqualTo("energy");
            assertThat(c.get("stat_cla").asText()).as(sensor).isEqualTo("total_increasing");
            assertThat(c.get("unit_of_meas").asText()).as(sensor).isEqualTo("kWh");
        }
        assertThat(config.at("/cmps/meter_roof_grid_import/stat_t").asText()).isEqualTo("apsystems/meter/roof/grid_import_lifetime_kwh");
        assertThat(config.at("/cmps/meter_roof_grid_a/dev_cla").asText()).isEqualTo("power");
        assertThat(config.at("/cmps/meter_roof_grid_a/stat_cla").asText()).isEqualTo("measurement");

        // only GETs of the meter page with the header the ECU's web pages send
        assertThat(meterServer.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.path()).isEqualTo(MeterServer.PATH);
            assertThat(r.requestedWith()).isEqualTo("XMLHttpRequest");
        });
    }

    @Test
    void eachMeterFaultIsATypedFailureThatLeavesThe8899DataUntouched() throws Exception {
        await(() -> lines() == 145 && up("meter-roof") && snapshots() >= 1);
        Map<MeterFault, String> kinds = new java.util.LinkedHashMap<>();
        kinds.put(MeterFault.NOT_FOUND, "404");
        kinds.put(MeterFault.EMPTY_SERIES, "no-data");
        kinds.put(MeterFault.NO_DATA, "no-data");
        kinds.put(MeterFault.MALFORMED, "malformed");
        kinds.put(MeterFault.SLOW, "timeout"); // last: the simulator's slow threads stay busy
        for (Map.Entry<MeterFault, String> e : kinds.entrySet()) {
            double failures = bridge.meter("ecubridge.meter.failures", "meter", "roof", "kind", e.getValue());
            double snapshots = snapshots();
            meterServer.set(e.getKey());
            await(() -> bridge.meter("ecubridge.meter.failures", "meter", "roof", "kind", e.getValue()) >= failures + 2);
            JsonNode check = Health.check(management, "meter-roof");
            assertThat(check.get("status").asText()).as(e.getKey().toString()).isEqualTo("DOWN");
            assertThat(check.get("message").asText()).contains("(" + e.getValue() + ")");
            await(() -> "offline".equals(mqtt.payload("apsystems/meter/roof/availability")));

            // the ECU goes on: new data is published, its health is UP, its availability online
            clock.advance(Duration.ofMinutes(5));
            await(() -> snapshots() > snapshots);
            assertThat(up("ecu-roof")).isTrue();
            assertThat(mqtt.payload("apsystems/" + fleet.ecu(0).ecuId() + "/availability")).isEqualTo("online");
            if (e.getKey() != MeterFault.SLOW) {
                meterServer.clearAll();
                await(() -> up("meter-roof") && "online".equals(mqtt.payload("apsystems/meter/roof/availability")));
            }
        }
        assertThat(bridge.meter("ecubridge.poll.failures", "ecu", "roof", "kind", "timeout")).isZero();
        assertThat(bridge.meter("ecubridge.recovery.calls", "ecu", "roof")).isZero();
        // the points after each failure continue the series, none twice
        List<String> file = Files.readAllLines(data.resolve("meter/roof/2026-06-21.jsonl"));
        assertThat(file.stream().map(l -> l.replaceAll(".*\"time\":\"([^\"]+)\".*", "$1")).distinct().count())
                .isEqualTo(file.size()).isGreaterThan(145);
    }

    private static boolean close(String kwh, double wh) {
        return kwh != null && Math.abs(Double.parseDouble(kwh) - wh / 1000) <= ROUNDING_KWH;
    }

    private double snapshots() {
        return bridge.meter("ecubridge.snapshots.published", "ecu_id", fleet.ecu(0).ecuId());
    }

    private boolean up(String check) throws Exception {
        JsonNode c = Health.check(management, check);
        return c != null && "UP".equals(c.get("status").asText());
    }

    private double requests() {
        return meterServer.requests().size();
    }

    private long lines() throws Exception {
        Path file = data.resolve("meter/roof/2026-06-21.jsonl");
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    private static JsonNode json(String text) throws Exception {
        assertThat(text).isNotNull();
        return new ObjectMapper().readTree(text);
    }

    private static void await(Callable<Boolean> condition) throws Exception {
        Await.until(Duration.ofSeconds(30), condition);
    }
}
