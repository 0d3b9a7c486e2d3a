package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.app.EmbeddedMqttBroker;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.simulator.EcuKind;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User routes (README, "User routes"): the shipped example, loaded from a routes.d folder, stores each inverter reading
 * in a real database (H2, in this JVM); a user route whose REST destination fails, on the same extension point, does
 * not disturb it, the files and MQTT sinks, or polling. A user route file Camel cannot load stops the start with one
 * line naming it.
 */
class UserRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The example as shipped: a test of the file users copy, not of a copy of it. */
    private static final Path EXAMPLE = Path.of("examples/routes.d/inverter-readings-to-sql.yaml");

    @TempDir
    Path dir;

    private final MutableClock clock = TestBridge.summerNoon();
    private final Opened open = new Opened();

    @AfterEach
    void stop() throws Exception {
        open.close();
    }

    @Test
    void theExampleStoresEachInverterReadingInADatabaseWhileAFailingUserRouteDisturbsNothing() throws Exception {
        SiteSpec site = SiteSpec.defaults().withEcu(EcuKind.ECU_R, EcuKind.ECU_R.idPrefix() + "00000301")
                .withInverters(SiteSpec.parseInverters("DS3:2,QS1:1")).withSeed(3);
        SimulatorFleet fleet = SimulatorFleet.start(site, 1, "127.0.0.1", 0, clock, List.of());
        open.add(fleet);
        SimulatedEcu ecu = fleet.ecu(0);
        EmbeddedMqttBroker broker = EmbeddedMqttBroker.start("127.0.0.1", Ports.free(), dir.resolve("artemis"));
        open.add(broker);
        MqttRecorder mqtt = new MqttRecorder(broker.url(), "apsystems/" + ecu.ecuId() + "/state");
        open.add(mqtt);

        String jdbcUrl = "jdbc:h2:mem:readings-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        Connection db = DriverManager.getConnection(jdbcUrl);
        open.add(db);
        try (Statement s = db.createStatement()) {
            s.execute(createTable());
        }
        Path routes = Files.createDirectories(dir.resolve("routes.d"));
        Files.copy(EXAMPLE, routes.resolve(EXAMPLE.getFileName()));
        int closedPort = Ports.free();
        Path failures = dir.resolve("rest-failures");
        Path snapshots = dir.resolve("user-snapshots");
        // a REST system that is down, on the same extension point as the example; it notes each failure in a file
        Files.writeString(routes.resolve("readings-to-rest.yaml"), """
                - route:
                    id: readings-to-rest
                    from:
                      uri: "{{ecubridge.user-routes.inverters}}"
                      steps:
                        - doTry:
                            steps:
                              - to: "vertx-http:http://127.0.0.1:%d/readings?httpMethod=POST"
                            doCatch:
                              - exception:
                                  - java.lang.Exception
                                steps:
                                  - setBody:
                                      simple: "${exception.class.simpleName}${sys.line.separator}"
                                  - to: "file:%s?fileName=failures.txt&fileExist=Append"
                """.formatted(closedPort, failures));
        // the other extension point, to a file: the snapshot JSON as user routes get it
        Files.writeString(routes.resolve("snapshots-to-file.yaml"), """
                - route:
                    id: snapshots-to-file
                    from:
                      uri: "{{ecubridge.user-routes.snapshots}}"
                      steps:
                        - transform:
                            simple: "${body}${sys.line.separator}"
                        - to: "file:%s?fileName=snapshots.jsonl&fileExist=Append"
                """.formatted(snapshots));

        Map<String, Object> p = TestBridge.fastPolling(dir.resolve("data"));
        p.put("ecubridge.ecus", "roof=127.0.0.1:" + fleet.server(0).port());
        p.put("ecubridge.mqtt.enabled", true);
        p.put("ecubridge.mqtt.broker-url", broker.url());
        p.put("ecubridge.user-routes.directory", routes.toString());
        p.put("readings.jdbc-url", jdbcUrl);
        TestBridge bridge = TestBridge.start(p);
        open.add(bridge);

        RealtimeReply first = ecu.realtime();
        int inverters = first.inverters().size();
        await(() -> rows(db) == inverters);
        assertRows(db, first, ecu.ecuId());

        clock.advance(Duration.ofMinutes(5));
        RealtimeReply second = ecu.realtime();
        await(() -> rows(db) == 2 * inverters);
        assertRows(db, second, ecu.ecuId());

        // the REST route failed for each reading, and nothing else noticed
        Await.until(Duration.ofSeconds(30), () -> lines(failures.resolve("failures.txt")) == 2 * inverters,
                () -> failures + ": " + (Files.exists(failures.resolve("failures.txt")) ? Files.readAllLines(failures.resolve("failures.txt")) : "none"));
        assertThat(Files.readAllLines(failures.resolve("failures.txt"))).allMatch(l -> l.endsWith("Exception"));
        await(() -> bridge.meter("ecubridge.snapshots.published", "ecu_id", ecu.ecuId()) == 2);
        Path fileSink = dir.resolve("data/snapshots/" + ecu.ecuId() + "/" + second.timestamp().toLocalDate() + ".jsonl");
        await(() -> lines(fileSink) == 2);
        await(() -> mqtt.messages.size() >= 2);
        assertThat(json(mqtt.payload("apsystems/" + ecu.ecuId() + "/state")).get("power_w").asLong())
                .isEqualTo(ecu.info().currentPowerW());
        await(() -> lines(snapshots.resolve("snapshots.jsonl")) == 2);
        // the snapshot extension point gives the files sink's lines, exactly (Camel's seda multicast to several user
        // routes does not keep their order: each line carries its time)
        assertThat(Files.readAllLines(snapshots.resolve("snapshots.jsonl"))).containsExactlyInAnyOrderElementsOf(Files.readAllLines(fileSink));
        assertThat(bridge.meter("ecubridge.user-routes.dropped", "queue", "user-inverters")).isZero();
    }

    /** A user route that hangs loses its own messages (counted) once its queue is full; polling and the sinks go on. */
    @Test
    void aUserRouteFarBehindLosesItsOwnMessagesNotPolling() throws Exception {
        SiteSpec site = SiteSpec.defaults().withEcu(EcuKind.ECU_R, EcuKind.ECU_R.idPrefix() + "00000302")
                .withInverters(SiteSpec.parseInverters("DS3:3")).withSeed(5);
        SimulatorFleet fleet = SimulatorFleet.start(site, 1, "127.0.0.1", 0, clock, List.of());
        open.add(fleet);
        SimulatedEcu ecu = fleet.ecu(0);
        Path routes = Files.createDirectories(dir.resolve("routes.d"));
        Files.writeString(routes.resolve("slow.yaml"), """
                - route:
                    id: slow
                    from:
                      uri: "{{ecubridge.user-routes.inverters}}"
                      steps:
                        - delay:
                            constant: 2000
                            # the queue's one thread waits (Camel delays asynchronously by default)
                            asyncDelayed: false
                """);
        Map<String, Object> p = TestBridge.fastPolling(dir.resolve("data"));
        p.put("ecubridge.ecus", "roof=127.0.0.1:" + fleet.server(0).port());
        p.put("ecubridge.user-routes.directory", routes.toString());
        p.put("ecubridge.user-routes.inverters", "seda:user-inverters?multipleConsumers=true&size=1");
        TestBridge bridge = TestBridge.start(p);
        open.add(bridge);

        await(() -> bridge.meter("ecubridge.snapshots.published", "ecu_id", ecu.ecuId()) == 1);
        clock.advance(Duration.ofMinutes(5));
        await(() -> bridge.meter("ecubridge.snapshots.published", "ecu_id", ecu.ecuId()) == 2);
        Path fileSink = dir.resolve("data/snapshots/" + ecu.ecuId() + "/" + ecu.realtime().timestamp().toLocalDate() + ".jsonl");
        await(() -> lines(fileSink) == 2);
        // 3 readings at once for a route that takes 2 s each and a queue of 1: at least one cannot wait
        assertThat(bridge.meter("ecubridge.user-routes.dropped", "queue", "user-inverters")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void withoutUserRoutesNothingIsQueuedForThem() throws Exception {
        SimulatorFleet fleet = SimulatorFleet.start(SiteSpec.defaults().withSeed(4), 1, "127.0.0.1", 0, clock, List.of());
        open.add(fleet);
        Map<String, Object> p = TestBridge.fastPolling(dir.resolve("data"));
        p.put("ecubridge.ecus", "roof=127.0.0.1:" + fleet.server(0).port());
        // routes.d beside the settings file: there is none in the working directory, and that is fine
        TestBridge bridge = TestBridge.start(p);
        open.add(bridge);
        await(() -> bridge.meter("ecubridge.snapshots.published", "ecu_id", fleet.ecu(0).ecuId()) == 1);
        for (String key : List.of("ecubridge.user-routes.snapshots", "ecubridge.user-routes.inverters")) {
            org.apache.camel.component.seda.SedaEndpoint queue = bridge.context().getEndpoint(
                    bridge.context().resolvePropertyPlaceholders("{{" + key + "}}"), org.apache.camel.component.seda.SedaEndpoint.class);
            assertThat(queue.getExchanges()).as(key).isEmpty();
        }
    }

    @Test
    void aUserRouteFileCamelCannotLoadIsOneLineAndExitCode2() throws Exception {
        Path broken = Files.createDirectories(dir.resolve("routes.d")).resolve("broken.yaml");
        Files.writeString(broken, """
                - route:
                    id: typo
                    from:
                      uri: "{{ecubridge.user-routes.snapshots}}"
                      steps:
                        - lgo: "a typo"
                """);
        assertThat(startFails()).containsExactly("configuration: user route " + broken.toAbsolutePath()
                + ": Unknown node id: lgo (line 6, column 11)");
        // a file that loads, but a component that is not in the jar: found when Camel creates the route
        Files.writeString(broken, """
                - route:
                    id: typo
                    from:
                      uri: "{{ecubridge.user-routes.snapshots}}"
                      steps:
                        - to: "sqll:INSERT INTO t VALUES (1)"
                """);
        assertThat(startFails()).singleElement().asString().startsWith("configuration: user route " + broken.toAbsolutePath()
                + ": route typo: No endpoint could be found for: sqll://INSERT");
    }

    /** {@code run} in a process with the routes.d of {@link #dir}: exit code 2, and the lines Camel's log did not print. */
    private List<String> startFails() throws Exception {
        Files.write(dir.resolve("application.properties"), List.of("ecubridge.ecus=127.0.0.1:" + Ports.free()));
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("CAMEL_MANAGEMENT_PORT", Integer.toString(Ports.free())),
                List.of(), "run")) {
            int exit = bridge.exitCode(Duration.ofSeconds(90));
            String output = bridge.output();
            assertThat(exit).as(output).isEqualTo(2);
            return output.lines().filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d+ .*")).toList();
        }
    }

    @Test
    void aUserRoutesDirectoryThatIsNotThereIsAProblem() throws Exception {
        Files.write(dir.resolve("application.properties"), List.of("ecubridge.user-routes.directory=nowhere"));
        try (BridgeProcess bridge = BridgeProcess.start(dir, Map.of("CAMEL_MANAGEMENT_PORT", Integer.toString(Ports.free())),
                List.of(), "run")) {
            assertThat(bridge.exitCode(Duration.ofSeconds(90))).isEqualTo(2);
            assertThat(bridge.output().lines()).containsExactly("configuration: ecubridge.user-routes.directory=nowhere: no such folder");
        }
    }

    /** The CREATE TABLE of the example's comment. */
    private static String createTable() throws Exception {
        StringBuilder sql = new StringBuilder();
        boolean in = false;
        for (String line : Files.readAllLines(EXAMPLE)) {
            in |= line.contains("CREATE TABLE");
            if (in) {
                sql.append(line.replaceFirst("^#", "")).append('\n');
                if (line.endsWith(";")) {
                    break;
                }
            }
        }
        return sql.toString().replace(";", "");
    }

    private static void assertRows(Connection db, RealtimeReply rt, String ecuId) throws Exception {
        for (InverterReading inv : rt.inverters()) {
            try (Statement s = db.createStatement();
                 ResultSet row = s.executeQuery("SELECT * FROM inverter_readings WHERE inverter_uid = '" + inv.uid()
                         + "' AND time = TIMESTAMP WITH TIME ZONE '" + rt.timestamp().atZone(TestBridge.ZONE).toInstant() + "'")) {
                assertThat(row.next()).as(inv.uid() + " at " + rt.timestamp()).isTrue();
                assertThat(row.getString("ecu_id")).isEqualTo(ecuId);
                assertThat(row.getBoolean("online")).isEqualTo(inv.online());
                if (inv.online()) {
                    assertThat(row.getInt("power_w")).isEqualTo(inv.totalPowerW());
                    assertThat(row.getDouble("frequency_hz")).isEqualTo(inv.frequencyHz());
                }
            }
        }
    }

    private static int rows(Connection db) throws Exception {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM inverter_readings")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static long lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static void await(Callable<Boolean> condition) throws Exception {
        Await.until(Duration.ofSeconds(30), condition);
    }
}
