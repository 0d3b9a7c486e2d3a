package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.poll.FailureKinds;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge's /observe/metrics as Prometheus sees it: {@code promtool check metrics} finds nothing to complain about,
 * and a real Prometheus scraping a bridge that polls the simulator answers every panel query of the shipped Grafana
 * dashboard with series. Needs Debian's {@code prometheus} package ({@code .ci/run} installs it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusTest {

    private static final Path DASHBOARD = Path.of("grafana/ecu-bridge-prometheus.json");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final MutableClock clock =
            TestBridge.summerNoon();
    private SimulatorFleet fleet;
    private TestBridge bridge;
    private int management;

    @BeforeAll
    void startBridgeOnSimulator() throws Exception {
        fleet = SimulatorFleet.start(SiteSpec.defaults(), 1, "127.0.0.1", 0, clock, List.of());
        management = Ports.free();
        Map<String, Object> p = TestBridge.fastPolling(tmp.resolve("data"));
        p.put("ecubridge.ecus", "roof=127.0.0.1:" + fleet.server(0).port());
        p.put("camel.management.port", management);
        bridge = TestBridge.start(p, clock);
        Await.until(PATIENCE, () -> bridge.meter("ecubridge.poll.cycles", "ecu", "roof") >= 3
                && bridge.meter("ecubridge.snapshots.published", "ecu_id", fleet.ecu(0).ecuId()) >= 1);
    }

    @AfterAll
    void stop() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private String metrics() throws Exception {
        return get("http://127.0.0.1:" + management + "/observe/metrics");
    }

    @Test
    void promtoolFindsNothingToComplainAbout() throws Exception {
        Path scraped = Files.writeString(tmp.resolve("metrics.txt"), metrics());
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(scraped.toFile())
                .redirectErrorStream(true).start();
        assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).as("promtool check metrics").isEmpty();
        assertThat(promtool.exitValue()).isZero();
    }

    @Test
    void solarDataCountersAtZeroAndOneMeaningPerLabel() throws Exception {
        String metrics = metrics();
        String id = fleet.ecu(0).ecuId();
        assertThat(metrics)
                .contains("ecubridge_ecu_power_watts{ecu=\"roof\",ecu_id=\"" + id + "\"}")
                .contains("ecubridge_ecu_energy_lifetime_kwh{ecu=\"roof\",ecu_id=\"" + id + "\"}")
                .contains("ecubridge_ecu_inverters{ecu=\"roof\",ecu_id=\"" + id + "\"} 8")
                .contains("ecubridge_ecu_up{ecu=\"roof\"} 1")
                .contains("ecubridge_snapshots_published_total{ecu_id=\"" + id + "\"}")
                .containsPattern("ecubridge_inverter_power_watts\\{ecu=\"roof\",ecu_id=\"" + id + "\",inverter_uid=\"\\d{12}\"}")
                .containsPattern("ecubridge_channel_ac_voltage_volts\\{channel=\"1\",ecu=\"roof\",ecu_id=\"" + id
                        + "\",inverter_uid=\"\\d{12}\"}")
                .containsPattern("ecubridge_channel_energy_lifetime_kwh\\{channel=\"1\",ecu=\"roof\",ecu_id=\"" + id
                        + "\",inverter_uid=\"\\d{12}\"}")
                .contains("camel_exchanges_total{camel_context=\"ecu-bridge\"")
                .doesNotContain("routeId").doesNotContain("camelContext");
        for (String kind : FailureKinds.ALL) {
            assertThat(metrics).contains("ecubridge_poll_failures_total{ecu=\"roof\",kind=\"" + kind + "\"} 0.0");
        }
        long now = clock.instant().getEpochSecond();
        assertThat(bridge.meter("ecubridge_ecu_last_data_time_seconds", "ecu", "roof")).as("the ECU's last refresh, in unix seconds")
                .isBetween(now - 300.0, (double) now);
        assertThat(metrics.lines().filter(l -> l.startsWith("ecubridge_inverter_online{")).count()).isEqualTo(8);
        assertThat(metrics.lines().filter(l -> l.startsWith("ecubridge_inverter_energy_lifetime_kwh{")).count())
                .as("every inverter's energy, from the quantity table").isEqualTo(8);
        assertThat(metrics.lines().filter(l -> l.startsWith("# HELP ecubridge_"))).as("our own words, not the name again")
                .isNotEmpty().noneMatch(l -> l.contains(" Ecubridge "));
    }

    @Test
    void everyPanelOfTheGrafanaDashboardGivesSeries() throws Exception {
        int port = Ports.free();
        Path config = Files.writeString(tmp.resolve("prometheus.yml"), String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: ecu-bridge",
                "    metrics_path: /observe/metrics",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + management + "']",
                ""));
        Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
        try {
            String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
            // rate() and increase() need two samples of a counter within their window
            Await.until(PATIENCE, () -> {
                try {
                    return result(get(api + encode("count_over_time(ecubridge_poll_cycles_total[1m])"))).size() == 1
                            && result(get(api + encode("count_over_time(ecubridge_poll_cycles_total[1m])")))
                            .get(0).get("value").get(1).asInt() >= 3;
                } catch (java.io.IOException notYetListening) {
                    return false;
                }
            });
            List<String> queries = panelQueries(json.readTree(DASHBOARD.toFile()));
            assertThat(queries).hasSizeGreaterThanOrEqualTo(6);
            for (String query : queries) {
                String expr = grafanaVariables(query);
                JsonNode answer = json.readTree(get(api + encode(expr)));
                assertThat(answer.get("status").asText()).as(expr + ": " + answer).isEqualTo("success");
                assertThat(answer.get("data").get("result")).as(expr + " gives series").isNotEmpty();
            }
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The PromQL of every target of every panel, also inside rows. */
    static List<String> panelQueries(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            List<JsonNode> panels = new ArrayList<>(List.of(panel));
            panel.path("panels").forEach(panels::add);
            for (JsonNode p : panels) {
                p.path("targets").forEach(t -> {
                    if (t.hasNonNull("expr")) {
                        out.add(t.get("expr").asText());
                    }
                });
            }
        }
        return out;
    }

    /** What Grafana substitutes before it sends a query, for a dashboard showing the last hour of ECU "roof". */
    private static String grafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "30s").replace("$__interval", "5s").replace("$__range", "1h")
                .replace("${ecu:regex}", "roof").replace("$ecu", "roof");
    }

    private JsonNode result(String answer) throws Exception {
        return json.readTree(answer).path("data").path("result");
    }

    private static String encode(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }
}
