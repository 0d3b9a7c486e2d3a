package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.protocol.EnergyPeriod;
import dev.ecubridge.protocol.PowerOfDayReply;
import dev.ecubridge.simulator.EcuKind;
import dev.ecubridge.simulator.EcuServer;
import dev.ecubridge.simulator.Fault;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge stopped while the ECU went on, then started again: it fills the gap from the ECU's memory (0003 power of
 * each day, 0004 energy of whole missed days) into InfluxDB (QuestDB) and the files, exactly as the ECU served it live.
 */
class HistoryGapFillTest {

    private static final ZoneId ZONE = TestBridge.ZONE;
    private static final Set<String> WHITELIST = Set.of("0001", "0002", "0030", "0003", "0004");
    @RegisterExtension
    static final RealServers servers = RealServers.questDbOnly();

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(LocalDateTime.parse("2026-06-21T12:02:00").atZone(ZONE).toInstant(), ZONE);
    private final List<AutoCloseable> open = new ArrayList<>();
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

    @Test
    void aMissedDayOfAnEcuRIsFilledWithItsPowerCurveAndItsDailyEnergyFromGroup11() throws Exception {
        missedDayIsFilled(EcuKind.ECU_R, 21);
    }

    @Test
    void aMissedDayOfAnEcuRProIsFilledWithItsDailyEnergyFromGroup12() throws Exception {
        missedDayIsFilled(EcuKind.ECU_R_PRO, 22);
    }

    private void missedDayIsFilled(EcuKind kind, long seed) throws Exception {
        SimulatorFleet fleet = simulate(kind, seed);
        SimulatedEcu ecu = fleet.ecu(0);
        String id = ecu.ecuId();
        Path day1 = data.resolve("snapshots/" + id + "/2026-06-21.jsonl");

        startBridge(fleet);
        await(() -> Files.exists(day1) && lines(day1).size() == 1);
        LocalDateTime from = LocalDateTime.parse(lines(day1).get(0).get("local_time").asText());
        bridge.close();
        bridge = null;

        clock.set(LocalDateTime.parse("2026-06-23T08:03:00").atZone(ZONE).toInstant());
        LocalDateTime to = ecu.realtime().timestamp();
        Path gaps = data.resolve("state/" + id + ".gaps.json");
        startBridge(fleet);
        // the gap opens with the first snapshot after the restart and closes when its 4 queries are done
        await(() -> fleet.server(0).receivedCommands().getOrDefault("0004", 0L) == 1 && !Files.exists(gaps));

        List<String> expected = new ArrayList<>();
        for (LocalDate d = from.toLocalDate(); !d.isAfter(to.toLocalDate()); d = d.plusDays(1)) {
            for (PowerOfDayReply.Sample s : ecu.powerOfDay(d).samples()) {
                LocalDateTime t = d.atTime(s.time());
                if (t.isAfter(from) && t.isBefore(to)) {
                    expected.add(t.atZone(ZONE).toInstant() + " " + s.powerW());
                }
            }
        }
        assertThat(expected).as("the gap holds a day and a half of production").hasSizeGreaterThan(150);
        String history = "FROM ecu WHERE ecu_id = '" + id + "' AND source = 'history'";
        await(() -> servers.questDb().query("SELECT * " + history + " AND power_w IS NOT NULL").size() == expected.size());
        List<String> written = new ArrayList<>();
        for (Map<String, JsonNode> row : servers.questDb().query("SELECT timestamp, power_w " + history + " AND power_w IS NOT NULL ORDER BY timestamp")) {
            written.add(Instant.parse(row.get("timestamp").asText()) + " " + row.get("power_w").asLong());
        }
        assertThat(written).as("the ECU's 5-minute curve, at its own times").isEqualTo(expected);

        double energy = ecu.energyHistory(EnergyPeriod.WEEK).days().stream()
                .filter(d -> d.date().equals(LocalDate.parse("2026-06-22"))).findFirst().orElseThrow().energyKwh();
        assertThat(energy).as("a whole sunny day; in group 11 up to 655.35 kWh").isGreaterThan(1.0);
        await(() -> servers.questDb().query("SELECT * " + history + " AND today_kwh IS NOT NULL").size() == 1);
        Map<String, JsonNode> daily = servers.questDb().query("SELECT timestamp, today_kwh " + history + " AND today_kwh IS NOT NULL").get(0);
        assertThat(daily.get("today_kwh").asDouble()).isEqualTo(energy);
        assertThat(Instant.parse(daily.get("timestamp").asText()))
                .isEqualTo(LocalDateTime.parse("2026-06-22T23:59:59").atZone(ZONE).toInstant());
        assertThat(servers.questDb().query("SELECT * FROM ecu WHERE ecu_id = '" + id + "' AND source IS NULL"))
                .as("the live points, one before and one after the gap, untouched").hasSize(2);

        // the files: the missed day's lines, each marked as history
        Path day2 = data.resolve("snapshots/" + id + "/2026-06-22.jsonl");
        await(() -> Files.exists(day2) && lines(day2).size() == ecu.powerOfDay(LocalDate.parse("2026-06-22")).samples().size() + 1);
        assertThat(lines(day2)).allSatisfy(line -> assertThat(line.get("history").asBoolean()).isTrue());
        assertThat(lines(day2).get(lines(day2).size() - 1).get("today_kwh").asDouble()).isEqualTo(energy);

        EcuServer server = fleet.server(0);
        assertThat(server.receivedCommands().keySet()).isSubsetOf(WHITELIST);
        assertThat(server.receivedCommands().get("0003")).as("one per date of the gap").isEqualTo(3L);
        assertThat(server.maxConcurrentConnections()).isEqualTo(1);
    }

    @Test
    void aRestartMidFillResumesWhereItStopped() throws Exception {
        SimulatorFleet fleet = simulate(EcuKind.ECU_R, 25);
        String id = fleet.ecu(0).ecuId();
        EcuServer server = fleet.server(0);
        startBridge(fleet);
        await(() -> Files.exists(data.resolve("snapshots/" + id + "/2026-06-21.jsonl")));
        bridge.close();
        clock.set(LocalDateTime.parse("2026-06-23T08:03:00").atZone(ZONE).toInstant());

        // one cycle only: it opens the gap (3 dates, 1 week of energy) and asks the first of its 4 queries
        startBridge(fleet, Map.of("ecubridge.poll-interval-seconds", 3600));
        Path gaps = data.resolve("state/" + id + ".gaps.json");
        await(() -> server.receivedCommands().getOrDefault("0003", 0L) == 1 && Files.exists(gaps));
        await(() -> bridge.meter("ecubridge.poll.in-flight") == 0);
        bridge.close();
        assertThat(Files.readString(gaps)).contains("2026-06-22").doesNotContain("\"date\":\"2026-06-21\"");

        startBridge(fleet);
        await(() -> server.receivedCommands().getOrDefault("0004", 0L) == 1 && !Files.exists(gaps));
        assertThat(server.receivedCommands().get("0003")).as("each date once, also across the restart").isEqualTo(3L);
        await(() -> servers.questDb().query("SELECT * FROM ecu WHERE ecu_id = '" + id + "' AND source = 'history' AND today_kwh IS NOT NULL").size() == 1);
        assertThat(server.maxConcurrentConnections()).isEqualTo(1);
    }

    @Test
    void anEcuWithoutHistoryIsAskedOnceAndNotAgain() throws Exception {
        SimulatorFleet fleet = simulate(EcuKind.ECU_R, 23);
        fleet.server(0).faults().set(Fault.HISTORY_EMPTY);
        assertOneGapAskedOnce(fleet);
    }

    @Test
    void anEcuAnsweringStatus02IsAskedOnceAndNotAgain() throws Exception {
        SimulatorFleet fleet = simulate(EcuKind.ECU_R_PRO, 24);
        fleet.server(0).faults().set(Fault.Spec.parse("status-02@0003"));
        assertOneGapAskedOnce(fleet);
    }

    private void assertOneGapAskedOnce(SimulatorFleet fleet) throws Exception {
        String id = fleet.ecu(0).ecuId();
        startBridge(fleet);
        await(() -> Files.exists(data.resolve("snapshots/" + id + "/2026-06-21.jsonl")));
        bridge.close();
        bridge = null;
        clock.set(LocalDateTime.parse("2026-06-23T08:03:00").atZone(ZONE).toInstant());
        startBridge(fleet);
        EcuServer server = fleet.server(0);
        await(() -> server.receivedCommands().getOrDefault("0004", 0L) == 1 && !Files.exists(data.resolve("state/" + id + ".gaps.json")));
        double cycles = bridge.meter("ecubridge.poll.cycles", "ecu", "roof");
        await(() -> bridge.meter("ecubridge.poll.cycles", "ecu", "roof") >= cycles + 3);

        assertThat(server.receivedCommands().get("0003")).as("each date once: not retried").isEqualTo(3L);
        assertThat(server.receivedCommands().get("0004")).isEqualTo(1L);
        assertThat(server.receivedCommands().keySet()).isSubsetOf(WHITELIST);
        assertThat(bridge.meter("ecubridge.poll.failures", "ecu", "roof", "kind", "status-02")).as("not a failed cycle").isZero();
        assertThat(servers.questDb().query("SELECT * FROM ecu WHERE ecu_id = '" + id + "' AND source = 'history' AND power_w IS NOT NULL")).isEmpty();
        assertThat(Files.readString(data.resolve("snapshots/" + id + "/2026-06-23.jsonl"))).doesNotContain("\"history\"");
    }

    private SimulatorFleet simulate(EcuKind kind, long seed) throws Exception {
        SiteSpec site = SiteSpec.defaults().withEcu(kind, kind.idPrefix() + String.format("%08d", 100 + seed))
                .withInverters(SiteSpec.parseInverters("DS3:2,QS1:1")).withSeed(seed);
        SimulatorFleet fleet = SimulatorFleet.start(site, 1, "127.0.0.1", 0, clock, List.of());
        open.add(fleet);
        return fleet;
    }

    private void startBridge(SimulatorFleet fleet) throws Exception {
        startBridge(fleet, Map.of());
    }

    private void startBridge(SimulatorFleet fleet, Map<String, Object> properties) throws Exception {
        Map<String, Object> p = TestBridge.fastPolling(data);
        p.putAll(properties);
        p.put("ecubridge.ecus", "roof=127.0.0.1:" + fleet.server(0).port());
        p.put("ecubridge.influxdb.enabled", true);
        p.put("ecubridge.influxdb.url", servers.questDb().url());
        bridge = TestBridge.start(p, clock);
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(new ObjectMapper().readTree(line));
        }
        return lines;
    }

    private static void await(Callable<Boolean> condition) throws Exception {
        Await.until(Duration.ofSeconds(60), condition);
    }
}
