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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's settings win, key by key, in a real process: the jar's defaults, then ./application.properties or
 * --config FILE, then environment variables, then -D. Observed from outside: which ECU route the health endpoint
 * shows on which port, and where the snapshot files land.
 */
class UserSettingsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Opened open = new Opened();
    private SimulatorFleet fleet;

    @BeforeEach
    void simulator() throws Exception {
        MutableClock clock = TestBridge.summerNoon();
        fleet = SimulatorFleet.start(SiteSpec.defaults(), 1, "127.0.0.1", 0, clock, List.of());
    }

    @AfterEach
    void stop() throws Exception {
        open.close();
        fleet.close();
    }

    /** A user's file naming one ECU and the management port; every other key keeps the jar's default. */
    private Path settingsFile(String name, String ecu, int managementPort) throws Exception {
        return Files.writeString(dir.resolve(name), String.join("\n",
                "ecubridge.ecus=" + ecu + "=127.0.0.1:" + fleet.server(0).port(),
                "ecubridge.poll-interval-seconds=1",
                "ecubridge.query-pause-ms=20",
                "ecubridge.first-poll-delay-ms=10",
                "ecubridge.zone=" + TestBridge.ZONE.getId(),
                TestBridge.SKEW_KEY + "=" + TestBridge.SKEW_FOR_SIMULATORS,
                "camel.management.port=" + managementPort, ""));
    }

    private BridgeProcess start(Map<String, String> environment, List<String> jvmOptions, String... args) throws Exception {
        BridgeProcess bridge = BridgeProcess.start(dir, environment, jvmOptions, args);
        open.add(bridge);
        return bridge;
    }

    /** The health checks of the bridge listening on {@code port}: name -> status; empty while it does not answer. */
    private Map<String, String> health(int port) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health?exposureLevel=full"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Map<String, String> checks = new java.util.TreeMap<>();
            for (JsonNode c : new ObjectMapper().readTree(body).path("checks")) {
                checks.put(c.get("name").asText(), c.get("status").asText());
            }
            return checks;
        } catch (Exception notYet) {
            return Map.of();
        }
    }

    /** {@code ecubridge.files.directory} (relative to the working directory) holds snapshots of the ECU. */
    private boolean snapshotsWritten(String filesDirectory) throws Exception {
        Path snapshots = dir.resolve(filesDirectory).resolve("snapshots").resolve(fleet.ecu(0).ecuId());
        if (!Files.isDirectory(snapshots)) {
            return false;
        }
        try (var files = Files.list(snapshots)) {
            return files.anyMatch(f -> f.toString().endsWith(".jsonl"));
        }
    }

    private void awaitPolling(BridgeProcess bridge, int port, String ecu, String filesDirectory) throws Exception {
        Await.until(PATIENCE, () -> "UP".equals(health(port).get("ecu-" + ecu)) && snapshotsWritten(filesDirectory));
        assertThat(health(port).keySet()).filteredOn(c -> c.startsWith("ecu-")).containsExactly("ecu-" + ecu);
        assertThat(bridge.output()).contains("Polling 1 ECUs").doesNotContain("127.0.0.1:8899");
    }

    @Test
    void theWorkingDirectorysApplicationPropertiesOverridesTheJarsDefaultsKeyByKey() throws Exception {
        int port = Ports.free();
        settingsFile("application.properties", "roof", port);
        awaitPolling(start(Map.of(), List.of(), "run"), port, "roof", "data"); // the jar's default directory
        assertThat(fleet.server(0).answered()).isPositive();
    }

    @Test
    void configFileReplacesTheWorkingDirectorysFile() throws Exception {
        int ignored = Ports.free();
        int port = Ports.free();
        settingsFile("application.properties", "roof", ignored);
        settingsFile("other.properties", "garage", port);
        BridgeProcess bridge = start(Map.of(), List.of(), "run", "--config", "other.properties");
        awaitPolling(bridge, port, "garage", "data");
        assertThat(health(port)).doesNotContainKey("ecu-roof");
    }

    @Test
    void environmentVariablesOverrideTheFileAndMinusDOverridesBoth() throws Exception {
        int filePort = Ports.free();
        int environmentPort = Ports.free();
        int systemPort = Ports.free();
        settingsFile("application.properties", "roof", filePort);
        BridgeProcess bridge = start(Map.of(
                        "ECUBRIDGE_ECUS", "attic=127.0.0.1:" + fleet.server(0).port(),
                        "CAMEL_MANAGEMENT_PORT", Integer.toString(environmentPort),
                        "ECUBRIDGE_FILES_DIRECTORY", "environment-data"),
                List.of("-Dcamel.management.port=" + systemPort, "-Decubridge.files.directory=system-data"), "run");
        awaitPolling(bridge, systemPort, "attic", "system-data");
        assertThat(dir.resolve("environment-data")).doesNotExist();
        assertThat(health(environmentPort)).isEmpty();
        assertThat(health(filePort)).isEmpty();
    }
}
