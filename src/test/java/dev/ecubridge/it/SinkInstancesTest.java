package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ecubridge.app.EmbeddedMqttBroker;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.sinks.MqttPublish;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sink instances from configuration (ecubridge.sinks): two InfluxDB servers, an HTTP server and two MQTT brokers, each
 * delivering, refusing or queueing on its own.
 */
class SinkInstancesTest {

    private static final ZoneId ZONE = TestBridge.ZONE;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(LocalDateTime.parse("2026-06-21T12:02:00").atZone(ZONE).toInstant(), ZONE);
    private final Opened open = new Opened();
    private SimulatorFleet fleet;
    private SimulatedEcu ecu;
    private TestBridge bridge;

    @BeforeEach
    void simulator() throws Exception {
        SiteSpec site = SiteSpec.defaults().withInverters(SiteSpec.parseInverters("DS3:2")).withSeed(5);
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

    private Map<String, Object> config(String sinks) {
        Map<String, Object> p = TestBridge.fastPolling(tmp.resolve("data"));
        p.remove("ecubridge.influxdb.token");
        p.put("ecubridge.ecus", "si=127.0.0.1:" + fleet.server(0).port());
        p.put("ecubridge.outbox.retry-seconds", 1);
        p.put("ecubridge.sink-timeout-seconds", 1);
        p.put("ecubridge.sinks", sinks);
        return p;
    }

    private double meter(String name, String... tags) {
        return bridge.meter(name, tags);
    }

    /** Lets the ECU move on once and waits until the bridge has published the new snapshot. */
    private String advance(List<String> stamps) throws Exception {
        clock.advance(Duration.ofMinutes(5));
        String stamp = utc(ecu.realtime().timestamp());
        stamps.add(stamp);
        int expected = stamps.size();
        Await.until(PATIENCE, () -> meter("ecubridge.snapshots.published", "ecu_id", ecu.ecuId()) == expected);
        return stamp;
    }

    private static String utc(LocalDateTime ecuTime) {
        return ecuTime.atZone(ZONE).toInstant().toString().replace("Z", ".000000Z");
    }

    private static List<String> stamps(QuestDb db) throws Exception {
        return db.query("SELECT timestamp FROM ecu ORDER BY timestamp").stream()
                .map(r -> r.values().iterator().next().asText()).collect(Collectors.toList());
    }

    @Test
    void twoInfluxDbsAndAnHttpServerEachDeliverRefuseOrQueueOnTheirOwn() throws Exception {
        QuestDb db = QuestDb.start(tmp.resolve("questdb"), Ports.free());
        open.add(db);
        int dbPort = Integer.parseInt(db.url().substring(db.url().lastIndexOf(':') + 1));
        BlackHoleProxy proxy = new BlackHoleProxy(dbPort);
        open.add(proxy);
        proxy.blackHole();

        AtomicInteger status = new AtomicInteger(400);
        List<String> accepted = new CopyOnWriteArrayList<>();
        List<String> authorizations = new CopyOnWriteArrayList<>();
        AtomicInteger requests = new AtomicInteger();
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/solar", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.incrementAndGet();
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"))
                    + "|" + exchange.getRequestHeaders().getFirst("X-Site"));
            int code = status.get();
            if (code < 300) {
                accepted.add(JSON.readTree(body).get("time").asText());
            }
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        http.start();
        open.add(() -> http.stop(0));

        Map<String, Object> p = config("local,cloud,web");
        p.put("ecubridge.sink.local.type", "influxdb");
        p.put("ecubridge.sink.local.enabled", true);
        p.put("ecubridge.sink.local.url", db.url());
        p.put("ecubridge.sink.local.token", "local-token");
        p.put("ecubridge.sink.cloud.type", "influxdb");
        p.put("ecubridge.sink.cloud.enabled", true);
        p.put("ecubridge.sink.cloud.url", proxy.url().replace("tcp://", "http://"));
        p.put("ecubridge.sink.cloud.token", "cloud-token");
        p.put("ecubridge.sink.web.type", "http");
        p.put("ecubridge.sink.web.enabled", true);
        p.put("ecubridge.sink.web.url", "http://127.0.0.1:" + http.getAddress().getPort() + "/solar");
        p.put("ecubridge.sink.web.bearer-token", "web-secret");
        p.put("ecubridge.sink.web.headers", "X-Site: roof");
        bridge = TestBridge.start(p);

        // the first snapshot: local writes it, cloud keeps it (black hole), web refuses it for good (400: dropped)
        List<String> sent = new ArrayList<>(List.of(utc(ecu.realtime().timestamp())));
        Await.until(PATIENCE, () -> meter("ecubridge.snapshots.published", "ecu_id", ecu.ecuId()) == 1);
        Await.until(PATIENCE, () -> stamps(db).size() == 1);
        Await.until(PATIENCE, () -> meter("ecubridge.outbox.dropped", "sink", "web", "reason", "rejected") == 1);
        Await.until(PATIENCE, () -> meter("ecubridge.outbox.depth", "sink", "cloud") == 1);
        assertThat(authorizations).first().isEqualTo("Bearer web-secret|roof");

        // web down (503): its snapshots wait, in its own outbox; local goes on
        status.set(503);
        advance(sent);
        advance(sent);
        Await.until(PATIENCE, () -> stamps(db).size() == 3);
        Await.until(PATIENCE, () -> meter("ecubridge.outbox.depth", "sink", "web") == 2
                && meter("ecubridge.outbox.depth", "sink", "cloud") == 3);
        assertThat(meter("ecubridge.outbox.depth", "sink", "local")).isZero();
        assertThat(accepted).isEmpty();

        // both back: each replays its own outbox, in order; the refused snapshot stays dropped
        status.set(204);
        proxy.forward();
        Await.until(PATIENCE, () -> meter("ecubridge.outbox.depth", "sink", "web") == 0
                && meter("ecubridge.outbox.depth", "sink", "cloud") == 0);
        assertThat(accepted).containsExactlyElementsOf(sent.subList(1, 3).stream().map(t -> t.replace(".000000Z", "Z")).toList());
        assertThat(requests.get()).isGreaterThan(3); // the refused one, at least one failed replay, the two accepted
        List<String> twice = new ArrayList<>();
        sent.forEach(s -> {
            twice.add(s);
            twice.add(s);
        });
        Await.until(PATIENCE, () -> stamps(db).equals(twice));
        assertThat(meter("ecubridge.outbox.dropped", "sink", "web", "reason", "rejected")).isEqualTo(1);
        assertThat(meter("ecubridge.outbox.dropped", "sink", "cloud", "reason", "rejected")).isZero();
    }

    @Test
    void twoMqttBrokersEachGetTheirInstancesTopicsAndDiscovery() throws Exception {
        EmbeddedMqttBroker home = EmbeddedMqttBroker.start("127.0.0.1", Ports.free(), tmp.resolve("home"));
        open.add(home);
        EmbeddedMqttBroker cloud = EmbeddedMqttBroker.start("127.0.0.1", Ports.free(), tmp.resolve("cloud"));
        open.add(cloud);
        MqttRecorder atHome = new MqttRecorder(home.url(), "#");
        open.add(atHome);
        MqttRecorder inCloud = new MqttRecorder(cloud.url(), "#");
        open.add(inCloud);

        Map<String, Object> p = config("mqtt,cloud");
        // the instance named mqtt through the keys of before ecubridge.sinks
        p.put("ecubridge.mqtt.enabled", true);
        p.put("ecubridge.mqtt.broker-url", home.url());
        p.put("ecubridge.mqtt.base-topic", "home");
        p.put("ecubridge.sink.cloud.type", "mqtt");
        p.put("ecubridge.sink.cloud.enabled", true);
        p.put("ecubridge.sink.cloud.broker-url", cloud.url());
        p.put("ecubridge.sink.cloud.base-topic", "remote");
        p.put("ecubridge.sink.cloud.discovery-prefix", "ha2");
        bridge = TestBridge.start(p);

        String id = ecu.ecuId();
        Await.until(PATIENCE, () -> atHome.payload("home/" + id + "/state") != null
                && inCloud.payload("remote/" + id + "/state") != null);
        assertThat(atHome.last.keySet()).noneMatch(t -> t.startsWith("remote/") || t.startsWith("ha2/"))
                .anyMatch(t -> t.startsWith("homeassistant/"));
        assertThat(inCloud.last.keySet()).noneMatch(t -> t.startsWith("home/") || t.startsWith("homeassistant/"))
                .anyMatch(t -> t.startsWith("ha2/"));
        assertThat(bridge.routeStarted("mqtt-ha-status-mqtt")).isTrue();
        Await.until(PATIENCE, () -> bridge.routeStarted("mqtt-ha-status-cloud"));

        // Home Assistant announces itself on the cloud broker only: only the cloud instance sends discovery again
        long cloudConfigs = inCloud.messages.stream().filter(m -> m.topic().startsWith("ha2/") && m.topic().endsWith("/config")).count();
        inCloud.publish("ha2/status", "online");
        Await.until(PATIENCE, () -> inCloud.messages.stream().filter(m -> m.topic().startsWith("ha2/") && m.topic().endsWith("/config")).count()
                > cloudConfigs);
        List<String> homeConfigs = atHome.messages.stream().map(MqttRecorder.Received::topic).filter(t -> t.endsWith("/config")).toList();
        assertThat(homeConfigs).isNotEmpty().doesNotHaveDuplicates(); // each device announced once there

        // a message the client refuses for good (a wildcard topic) is dropped and counted, and blocks nothing after it
        try (ProducerTemplate template = bridge.context().createProducerTemplate()) {
            template.sendBody("direct:sink-cloud", new MqttPublish("remote/bad/#", "x", false, null, Instant.now()));
            template.sendBody("direct:sink-cloud", new MqttPublish("remote/after", "y", false, null, Instant.now()));
        }
        Await.until(PATIENCE, () -> "y".equals(inCloud.payload("remote/after")));
        assertThat(meter("ecubridge.outbox.dropped", "sink", "cloud", "reason", "rejected")).isEqualTo(1);
        assertThat(meter("ecubridge.outbox.depth", "sink", "cloud")).isZero();
    }
}
