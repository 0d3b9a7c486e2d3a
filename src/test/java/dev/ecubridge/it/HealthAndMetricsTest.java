package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health per ECU and per sink, and Prometheus metrics, at Camel's management endpoint. */
class HealthAndMetricsTest {

    private static final ZoneId ZONE = TestBridge.ZONE;

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private JsonNode check(int port, String id) throws Exception {
        for (JsonNode c : new ObjectMapper().readTree(get(port, "/observe/health?exposureLevel=full")).get("checks")) {
            if (c.get("name").asText().equals(id)) {
                return c;
            }
        }
        return null;
    }

    @Test
    void healthShowsEachEcuAndSinkAndMetricsArePrometheusText() throws Exception {
        MutableClock clock = new MutableClock(LocalDateTime.parse("2026-06-21T12:02:00").atZone(ZONE).toInstant(), ZONE);
        int management = Ports.free();
        int deadBroker = Ports.free();
        try (SimulatorFleet fleet = SimulatorFleet.start(SiteSpec.defaults(), 1, "127.0.0.1", 0, clock, List.of())) {
            Map<String, Object> p = TestBridge.fastPolling(tmp);
            p.putAll(Map.of(
                    "ecubridge.ecus", "roof=127.0.0.1:" + fleet.server(0).port() + ",gone=127.0.0.1:" + Ports.free(),
                    "ecubridge.unavailable-after-failures", 2, "ecubridge.request-timeout-ms", 500,
                    "ecubridge.mqtt.enabled", true, "ecubridge.mqtt.broker-url", "tcp://127.0.0.1:" + deadBroker,
                    "camel.management.port", management));
            try (TestBridge bridge = TestBridge.start(p)) {
                Await.until(Duration.ofSeconds(20), () -> {
                    JsonNode gone = check(management, "ecu-gone");
                    JsonNode sink = check(management, "sink-mqtt");
                    return gone != null && "DOWN".equals(gone.get("status").asText()) && sink != null
                            && "DOWN".equals(sink.get("status").asText());
                });
                assertThat(check(management, "ecu-roof").get("status").asText()).isEqualTo("UP");
                assertThat(check(management, "ecu-gone").get("message").asText()).contains("(refused)");
                assertThat(check(management, "sink-mqtt").get("message").asText()).contains("deliveries waiting in the outbox");
                String metrics = get(management, "/observe/metrics");
                assertThat(metrics).contains("ecubridge_poll_cycles_total{ecu=\"roof\"}")
                        .contains("ecubridge_poll_failures_total{ecu=\"gone\",kind=\"refused\"}")
                        .contains("ecubridge_outbox_depth{sink=\"mqtt\"}")
                        .contains("camel_route_policy_seconds_count{");
            }
        }
    }

    @Test
    void aFleetCanLeaveOutTheCountersAtZeroAndTheRawCaptures() throws Exception {
        int management = Ports.free();
        try (SimulatorFleet fleet = SimulatorFleet.start(SiteSpec.defaults(), 1, "127.0.0.1", 0, TestBridge.summerNoon(), List.of())) {
            Map<String, Object> p = TestBridge.fastPolling(tmp);
            p.putAll(Map.of("ecubridge.ecus", "roof=127.0.0.1:" + fleet.server(0).port(),
                    "ecubridge.prometheus.counters-at-zero", false, "ecubridge.files.captures", false,
                    "camel.management.port", management));
            Path snapshots = tmp.resolve("snapshots").resolve(SiteSpec.defaults().ecuId());
            try (TestBridge bridge = TestBridge.start(p)) {
                Await.until(Duration.ofSeconds(20), () -> Files.isDirectory(snapshots));
                String metrics = get(management, "/observe/metrics");
                assertThat(metrics).contains("ecubridge_poll_cycles_total{ecu=\"roof\"}")
                        .doesNotContain("ecubridge_poll_failures_total").doesNotContain("ecubridge_values_rejected_total");
            }
            assertThat(tmp.resolve("captures")).doesNotExist();
        }
    }
}
