package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.ecubridge.app.EmbeddedMqttBroker;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The InfluxDB token and the MQTT password are used, and never appear in a log line, even at DEBUG. */
class SecretsTest {

    private static final String TOKEN = "influx-SECRET-token-4711";
    private static final String PASSWORD = "mqtt-SECRET-pw-4711";
    private static final ZoneId ZONE = TestBridge.ZONE;

    @TempDir
    Path tmp;

    /** MQTT over TLS: a broker with a certificate made here, trusted through ecubridge.mqtt.truststore. */
    @Test
    void mqttOverTlsWithATrustStore() throws Exception {
        Path keyStore = tmp.resolve("broker.p12");
        Path certificate = tmp.resolve("broker.crt");
        Path trustStore = tmp.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-alias", "broker", "-keystore", keyStore.toString(), "-storepass", "changeit",
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", "changeit");
        java.util.Properties ssl = new java.util.Properties();
        ssl.setProperty("com.ibm.ssl.trustStore", trustStore.toString());
        ssl.setProperty("com.ibm.ssl.trustStorePassword", "changeit");
        ssl.setProperty("com.ibm.ssl.trustStoreType", "PKCS12");
        MutableClock clock = new MutableClock(LocalDateTime.parse("2026-06-21T12:02:00").atZone(ZONE).toInstant(), ZONE);
        try (SimulatorFleet fleet = SimulatorFleet.start(SiteSpec.defaults(), 1, "127.0.0.1", 0, clock, List.of());
             EmbeddedMqttBroker broker = EmbeddedMqttBroker.start("127.0.0.1", Ports.free(), tmp.resolve("artemis"), null, null,
                     keyStore, "changeit");
             MqttRecorder mqtt = new MqttRecorder(broker.url(), "apsystems/#", null, null, ssl)) {
            assertThat(broker.url()).startsWith("ssl://");
            Map<String, Object> p = TestBridge.fastPolling(tmp.resolve("data"));
            p.put("ecubridge.ecus", "127.0.0.1:" + fleet.server(0).port());
            p.put("ecubridge.mqtt.enabled", true);
            p.put("ecubridge.mqtt.broker-url", broker.url());
            p.put("ecubridge.mqtt.truststore", trustStore.toString());
            p.put("ecubridge.mqtt.truststore-password", "changeit");
            try (TestBridge bridge = TestBridge.start(p)) {
                Await.until(Duration.ofSeconds(20), () -> mqtt.payload("apsystems/" + fleet.ecu(0).ecuId() + "/state") != null);
            }
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void secretsAreSentButNeverLogged() throws Exception {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer influx = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        influx.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/api/v2/write")) {
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            }
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().contains("/api/v2/orgs")
                    || exchange.getRequestURI().getPath().contains("/api/v2/buckets") ? 404 : 204, -1);
            exchange.close();
        });
        influx.start();

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.DEBUG);
        MutableClock clock = new MutableClock(LocalDateTime.parse("2026-06-21T12:02:00").atZone(ZONE).toInstant(), ZONE);
        int mqttPort = Ports.free();
        try (SimulatorFleet fleet = SimulatorFleet.start(SiteSpec.defaults(), 1, "127.0.0.1", 0, clock, List.of());
             EmbeddedMqttBroker broker = EmbeddedMqttBroker.start("127.0.0.1", mqttPort, tmp.resolve("artemis"), "bridge", PASSWORD);
             MqttRecorder mqtt = new MqttRecorder(broker.url(), "apsystems/#", "bridge", PASSWORD)) {
            Map<String, Object> p = TestBridge.fastPolling(tmp.resolve("data"));
            p.put("ecubridge.ecus", "127.0.0.1:" + fleet.server(0).port());
            p.put("ecubridge.influxdb.enabled", true);
            p.put("ecubridge.influxdb.url", "http://127.0.0.1:" + influx.getAddress().getPort());
            p.put("ecubridge.influxdb.token", TOKEN);
            p.put("ecubridge.mqtt.enabled", true);
            p.put("ecubridge.mqtt.broker-url", broker.url());
            p.put("ecubridge.mqtt.username", "bridge");
            p.put("ecubridge.mqtt.password", PASSWORD);
            try (TestBridge bridge = TestBridge.start(p)) {
                Await.until(Duration.ofSeconds(20), () -> mqtt.payload("apsystems/bridge/status") != null && !authorizations.isEmpty());
            }
        } finally {
            root.setLevel(level);
            root.detachAppender(logs);
            influx.stop(0);
        }
        assertThat(authorizations).allMatch(("Token " + TOKEN)::equals);
        assertThat(logs.list).hasSizeGreaterThan(100);
        for (ILoggingEvent e : logs.list) {
            String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
            assertThat(text).as(e.getLoggerName()).doesNotContain(TOKEN).doesNotContain(PASSWORD);
        }
    }
}
