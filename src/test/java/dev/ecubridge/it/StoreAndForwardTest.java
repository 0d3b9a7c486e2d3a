package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.app.EcuBridgeCli;
import dev.ecubridge.app.EmbeddedMqttBroker;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing lost: a sink that is down for several cycles, and a bridge killed with deliveries waiting, lose no reading. */
class StoreAndForwardTest {

    private static final ZoneId ZONE = TestBridge.ZONE;
    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final String INVERTERS = "DS3:2,QT2:1";
    private static final int INVERTER_COUNT = 3;

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(LocalDateTime.parse("2026-06-21T12:02:00").atZone(ZONE).toInstant(), ZONE);
    private final Opened open = new Opened();
    private SimulatorFleet fleet;
    private SimulatedEcu ecu;
    private TestBridge bridge;

    @BeforeEach
    void simulator() throws Exception {
        SiteSpec site = SiteSpec.defaults().withInverters(SiteSpec.parseInverters(INVERTERS)).withSeed(11);
        fleet = SimulatorFleet.start(site, 1, "127.0.0.1", 0, clock, List.of());
        ecu = fleet.ecu(0);
    }

    @AfterEach
    void stop() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        open.close();
        fleet.close();
    }

    private Map<String, String> config(int questDbPort, int mqttPort) {
        Map<String, String> p = new HashMap<>();
        TestBridge.fastPolling(tmp.resolve("data")).forEach((k, v) -> p.put(k, v.toString()));
        p.put("ecubridge.ecus", "sf=127.0.0.1:" + fleet.server(0).port());
        p.put("ecubridge.outbox.retry-seconds", "2");
        p.put("ecubridge.influxdb.enabled", Boolean.toString(questDbPort > 0));
        p.put("ecubridge.influxdb.url", "http://127.0.0.1:" + questDbPort);
        p.put("ecubridge.mqtt.enabled", Boolean.toString(mqttPort > 0));
        p.put("ecubridge.mqtt.broker-url", "tcp://127.0.0.1:" + mqttPort);
        p.put("ecubridge.mqtt.client-id", "sf-" + System.nanoTime());
        return p;
    }

    private void startBridge(Map<String, String> config) throws Exception {
        bridge = TestBridge.start(config);
    }

    private double meter(String name, String... tags) {
        return bridge.meter(name, tags);
    }

    /** Lets the ECU move on {@code n} times and waits until the bridge has published each new snapshot. */
    private List<String> advance(int n, List<String> stamps) throws Exception {
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofMinutes(5));
            stamps.add(utc(ecu.realtime().timestamp()));
            int expected = stamps.size();
            Await.until(PATIENCE, () -> meter("ecubridge.snapshots.published", "ecu_id", ecu.ecuId()) == expected);
        }
        return stamps;
    }

    private static String utc(LocalDateTime ecuTime) {
        return ecuTime.atZone(ZONE).toInstant().toString().replace("Z", ".000000Z");
    }

    private static List<String> column(QuestDb db, String sql) throws Exception {
        return db.query(sql).stream().map(r -> r.values().iterator().next().asText()).collect(Collectors.toList());
    }

    @Test
    void influxDbDownForSeveralCyclesLosesNothing() throws Exception {
        int port = Ports.free();
        Path root = tmp.resolve("questdb");
        QuestDb db = QuestDb.start(root, port);
        startBridge(config(port, 0));
        List<String> stamps = new ArrayList<>(List.of(utc(ecu.realtime().timestamp())));
        Await.until(PATIENCE, () -> column(db, "SELECT timestamp FROM ecu").size() == 1);

        db.close();
        advance(3, stamps);
        Await.until(PATIENCE, () -> meter("ecubridge.outbox.depth", "sink", "influxdb") >= 3); // one write per cycle

        QuestDb again = QuestDb.start(root, port);
        open.add(again);
        Await.until(PATIENCE, () -> meter("ecubridge.outbox.depth", "sink", "influxdb") == 0
                && column(again, "SELECT timestamp FROM inverter").size() == 4 * INVERTER_COUNT
                && column(again, "SELECT timestamp FROM ecu").size() == stamps.size()); // tables commit apart
        assertThat(column(again, "SELECT timestamp FROM ecu ORDER BY timestamp")).containsExactlyElementsOf(stamps);
        assertThat(new TreeSet<>(column(again, "SELECT timestamp FROM inverter"))).containsExactlyElementsOf(stamps);
        assertThat(meter("ecubridge.outbox.replayed", "sink", "influxdb")).as("every stored write replayed")
                .isEqualTo(meter("ecubridge.outbox.stored", "sink", "influxdb")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void theMqttBrokerDownForSeveralCyclesLosesNothing() throws Exception {
        int port = Ports.free();
        EmbeddedMqttBroker broker = EmbeddedMqttBroker.start("127.0.0.1", port, tmp.resolve("artemis1"));
        String states = "apsystems/" + ecu.ecuId() + "/#";
        MqttRecorder before = new MqttRecorder(broker.url(), states);
        startBridge(config(0, port));
        List<String> stamps = new ArrayList<>(List.of(utc(ecu.realtime().timestamp())));
        Await.until(Duration.ofSeconds(10), () -> stateTimes(before).size() >= 1 + INVERTER_COUNT);
        assertThat(stateTimes(before)).hasSize(1 + INVERTER_COUNT);
        before.close();
        broker.close();

        advance(3, stamps);
        assertThat(meter("ecubridge.outbox.depth", "sink", "mqtt")).isPositive();

        EmbeddedMqttBroker again = EmbeddedMqttBroker.start("127.0.0.1", port, tmp.resolve("artemis2"));
        open.add(again);
        MqttRecorder after = new MqttRecorder(again.url(), states);
        open.add(after);
        Await.until(PATIENCE, () -> meter("ecubridge.outbox.depth", "sink", "mqtt") == 0
                && stateTimes(after).size() == 3 * (1 + INVERTER_COUNT));
        List<String> all = new ArrayList<>(stateTimes(before));
        all.addAll(stateTimes(after));
        assertThat(all).as("every state of every snapshot, exactly once").hasSize(4 * (1 + INVERTER_COUNT)).doesNotHaveDuplicates();
        assertThat(all.stream().map(s -> s.substring(s.indexOf(' ') + 1)).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(stamps.stream().map(t -> Instant.parse(t).toString()).toList());
    }

    /**
     * A write InfluxDB rejects for good (400) is dropped, logged and counted instead of blocking the outbox; writes that
     * failed because the server was unavailable (503) still wait and arrive. One write per cycle.
     */
    @Test
    void aWriteInfluxDbRejectsDoesNotBlockTheOthers() throws Exception {
        AtomicReference<String> mode = new AtomicReference<>("unavailable");
        AtomicInteger rejectNext = new AtomicInteger();
        List<String> accepted = new CopyOnWriteArrayList<>();
        HttpServer influx = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        influx.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status;
            if (!exchange.getRequestURI().getPath().endsWith("/api/v2/write")) {
                status = 404; // orgs and buckets: camel-influxdb2 tolerates 404 with autoCreate off
            } else if (mode.get().equals("unavailable")) {
                status = 503;
            } else if (rejectNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 400; // as InfluxDB answers a field type conflict
            } else {
                accepted.add(body);
                status = 204;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        influx.start();
        try {
            Map<String, String> config = config(0, 0);
            config.put("ecubridge.influxdb.enabled", "true");
            config.put("ecubridge.influxdb.url", "http://127.0.0.1:" + influx.getAddress().getPort());
            startBridge(config);
            Await.until(PATIENCE, () -> meter("ecubridge.outbox.depth", "sink", "influxdb") == 1);
            clock.advance(Duration.ofMinutes(5));
            Await.until(PATIENCE, () -> meter("ecubridge.outbox.depth", "sink", "influxdb") == 2);
            rejectNext.set(1); // the first cycle's write
            mode.set("available");
            Await.until(PATIENCE, () -> meter("ecubridge.outbox.depth", "sink", "influxdb") == 0 && accepted.size() == 1);
            assertThat(meter("ecubridge.outbox.dropped", "sink", "influxdb", "reason", "rejected")).isEqualTo(1);
            assertThat(accepted.get(0).lines().filter(l -> l.startsWith("inverter,"))).hasSize(INVERTER_COUNT);

            rejectNext.set(1);
            clock.advance(Duration.ofMinutes(5)); // with the outbox empty, a rejected write is not queued at all
            Await.until(PATIENCE, () -> meter("ecubridge.outbox.dropped", "sink", "influxdb", "reason", "rejected") == 2);
            assertThat(accepted).hasSize(1);
            assertThat(meter("ecubridge.outbox.depth", "sink", "influxdb")).isZero();
        } finally {
            influx.stop(0);
        }
    }

    /** "topic time" of every JSON state message received. */
    private static List<String> stateTimes(MqttRecorder recorder) {
        List<String> out = new ArrayList<>();
        for (MqttRecorder.Received m : recorder.messages) {
            if (m.topic().endsWith("/state")) {
                try {
                    JsonNode json = new ObjectMapper().readTree(m.payload());
                    out.add(m.topic() + " " + json.get("time").asText());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /** A real process killed with SIGKILL while both sinks are down; a new bridge replays what it had kept. */
    @Test
    void aBridgeKilledWithDeliveriesWaitingReplaysThemAfterRestart() throws Exception {
        int dbPort = Ports.free();
        int mqttPort = Ports.free();
        Map<String, String> config = config(dbPort, mqttPort);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EcuBridgeCli.class.getName(), "run");
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectErrorStream(true).redirectOutput(new File(tmp.toFile(), "killed-bridge.log"));
        config.forEach((k, v) -> pb.environment().put(k.toUpperCase().replace('.', '_').replace('-', '_'), v));
        Process child = pb.start();
        List<String> stamps = new ArrayList<>(List.of(utc(ecu.realtime().timestamp())));
        Path influxQueue = tmp.resolve("data/outbox/influxdb/queue.jsonl");
        Path mqttQueue = tmp.resolve("data/outbox/mqtt/queue.jsonl");
        try {
            Await.until(PATIENCE, () -> lines(influxQueue) == 1);
            clock.advance(Duration.ofMinutes(5));
            stamps.add(utc(ecu.realtime().timestamp()));
            // one write per cycle; each sink has its own delivery thread: wait until MQTT has stored the second
            // snapshot's state as well
            String ecuState = "\"topic\":\"apsystems/" + ecu.ecuId() + "/state\"";
            Await.until(PATIENCE, () -> lines(influxQueue) == 2 && linesContaining(mqttQueue, ecuState) == 2);
        } finally {
            child.destroyForcibly().waitFor();
        }

        QuestDb db = QuestDb.start(tmp.resolve("questdb"), dbPort);
        open.add(db);
        EmbeddedMqttBroker broker = EmbeddedMqttBroker.start("127.0.0.1", mqttPort, tmp.resolve("artemis"));
        open.add(broker);
        MqttRecorder mqtt = new MqttRecorder(broker.url(), "apsystems/" + ecu.ecuId() + "/state");
        open.add(mqtt);
        startBridge(config);
        Await.until(PATIENCE, () -> meter("ecubridge.outbox.depth", "sink", "influxdb") == 0
                && meter("ecubridge.outbox.depth", "sink", "mqtt") == 0
                && column(db, "SELECT timestamp FROM inverter").size() == 2 * INVERTER_COUNT
                && column(db, "SELECT timestamp FROM ecu").size() == stamps.size()); // tables commit apart
        assertThat(column(db, "SELECT timestamp FROM ecu ORDER BY timestamp")).containsExactlyElementsOf(stamps);
        assertThat(stateTimes(mqtt)).hasSize(2).doesNotHaveDuplicates();
        assertThat(meter("ecubridge.snapshots.published", "ecu_id", ecu.ecuId())).as("nothing published twice").isZero();
    }

    /** SIGTERM: the cycle in flight finishes, the bridge says offline on MQTT, and the process exits by itself. */
    @Test
    void sigtermShutsDownCleanly() throws Exception {
        int mqttPort = Ports.free();
        EmbeddedMqttBroker broker = EmbeddedMqttBroker.start("127.0.0.1", mqttPort, tmp.resolve("artemis"));
        open.add(broker);
        Map<String, String> config = config(0, mqttPort);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EcuBridgeCli.class.getName(), "run");
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectErrorStream(true).redirectOutput(new File(tmp.toFile(), "bridge.log"));
        config.forEach((k, v) -> pb.environment().put(k.toUpperCase().replace('.', '_').replace('-', '_'), v));
        Process child = pb.start();
        MqttRecorder status = new MqttRecorder(broker.url(), "apsystems/bridge/status");
        open.add(status);
        try {
            Await.until(PATIENCE, () -> "online".equals(status.payload("apsystems/bridge/status")));
            child.destroy();
            assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        } finally {
            child.destroyForcibly();
        }
        Await.until(Duration.ofSeconds(5), () -> "offline".equals(status.payload("apsystems/bridge/status")));
        MqttRecorder late = new MqttRecorder(broker.url(), "apsystems/bridge/status");
        open.add(late);
        Await.until(Duration.ofSeconds(5), () -> "offline".equals(late.payload("apsystems/bridge/status")));
        String log = Files.readString(tmp.resolve("bridge.log"));
        assertThat(log).contains("shutdown").doesNotContain("ERROR");
    }

    private static long linesContaining(Path file, String text) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> l.contains(text)).count() : 0;
    }

    private static long lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }
}
