package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecubridge.app.EcuBridgeCli;
import dev.ecubridge.protocol.EnergyHistoryReply;
import dev.ecubridge.protocol.EnergyPeriod;
import dev.ecubridge.simulator.EcuKind;
import dev.ecubridge.simulator.EcuServer;
import dev.ecubridge.simulator.Fault;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code backfill} over a simulated month into InfluxDB (QuestDB) and the files: complete, resumable, idempotent. */
class BackfillCommandTest {

    private static final LocalDate FROM = LocalDate.parse("2026-05-22");
    private static final LocalDate YESTERDAY = LocalDate.parse("2026-06-20");

    @TempDir
    Path dir;

    private final MutableClock clock = TestBridge.summerNoon();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final StringWriter out = new StringWriter();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void aMonthOfAnEcuRIsImportedOnceEvenWhenInterruptedAndRunTwice() throws Exception {
        QuestDb questDb = QuestDb.start(dir.resolve("questdb"), Ports.free());
        open.add(questDb);
        SiteSpec site = SiteSpec.defaults().withEcu(EcuKind.ECU_R, "216000000131")
                .withInverters(SiteSpec.parseInverters("DS3:2,QS1:1")).withSeed(31);
        SimulatorFleet fleet = SimulatorFleet.start(site, 1, "127.0.0.1", 0, clock, List.of());
        open.add(fleet);
        SimulatedEcu ecu = fleet.ecu(0);
        EcuServer server = fleet.server(0);
        Path config = dir.resolve("backfill.properties");
        Files.writeString(config, String.join("\n",
                "ecubridge.files.directory=" + dir.resolve("data"),
                "ecubridge.zone=" + TestBridge.ZONE.getId(),
                "ecubridge.query-pause-ms=10",
                "ecubridge.influxdb.enabled=true",
                "ecubridge.influxdb.url=" + questDb.url(),
                "ecubridge.influxdb.token=test-token", ""));
        String[] args = {"backfill", "--config", config.toString(), "--ecu", "127.0.0.1:" + server.port(), "--from", FROM.toString()};

        // interrupted: the ECU stops answering after 12 queries (2 to start, 2 energy, 8 days)
        server.faults().set(Fault.Spec.parse("hang-after=12"));
        assertThat(run(args)).isZero();
        assertThat(out.toString()).contains("failed (run again to retry): power of 2026-05-30");
        server.faults().clearAll();
        server.powerCycle();
        assertThat(run(args)).isZero();
        assertThat(out.toString()).contains("the energy of 0 days imported; 28 days already imported before");

        // the ECU's curve of every day, and the energy of each day of its month, as the simulator served them
        Map<Instant, Long> expected = new TreeMap<>();
        for (LocalDate d = FROM; !d.isAfter(YESTERDAY); d = d.plusDays(1)) {
            LocalDate day = d;
            ecu.powerOfDay(d).samples().forEach(s -> expected.put(day.atTime(s.time()).atZone(TestBridge.ZONE).toInstant(), (long) s.powerW()));
        }
        String history = "FROM ecu WHERE ecu_id = '216000000131' AND source = 'history'";
        Await.until(java.time.Duration.ofSeconds(60), () -> questDb.query("SELECT * " + history + " AND power_w IS NOT NULL").size() == expected.size());
        Map<Instant, Long> written = new TreeMap<>();
        for (Map<String, JsonNode> row : questDb.query("SELECT timestamp, power_w " + history + " AND power_w IS NOT NULL")) {
            written.put(Instant.parse(row.get("timestamp").asText()), row.get("power_w").asLong());
        }
        assertThat(written).isEqualTo(expected);

        Map<LocalDate, Double> energy = new TreeMap<>();
        for (EnergyHistoryReply.Day d : ecu.energyHistory(EnergyPeriod.MONTH).days()) {
            if (d.date().isBefore(LocalDate.parse("2026-06-21"))) {
                energy.put(d.date(), d.energyKwh());
            }
        }
        Await.until(java.time.Duration.ofSeconds(60), () -> questDb.query("SELECT * " + history + " AND today_kwh IS NOT NULL").size() == 20);
        Map<LocalDate, Double> energyWritten = new TreeMap<>();
        for (Map<String, JsonNode> row : questDb.query("SELECT timestamp, today_kwh " + history + " AND today_kwh IS NOT NULL")) {
            energyWritten.put(Instant.parse(row.get("timestamp").asText()).atZone(TestBridge.ZONE).toLocalDate(), row.get("today_kwh").asDouble());
        }
        assertThat(energyWritten).isEqualTo(energy);
        assertThat(out.toString()).contains("not in the ECU: daily energy of 2026-05-22 to 2026-05-31 (the ECU keeps monthly totals only)");

        // the files: every point and day once
        long lines = historyLines();
        assertThat(lines).isEqualTo(expected.size() + 20);

        // a second run asks nothing but who the ECU is, and writes nothing
        long before = server.answered();
        assertThat(run(args)).isZero();
        assertThat(out.toString()).contains("2 queries: 0 power points and the energy of 0 days imported; 50 days already imported before");
        assertThat(server.answered() - before).isEqualTo(2);
        assertThat(historyLines()).isEqualTo(lines);

        assertThat(server.receivedCommands().keySet()).isSubsetOf(Set.of("0001", "0002", "0003", "0004"));
        assertThat(server.maxConcurrentConnections()).isEqualTo(1);
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        CommandLine cli = new CommandLine(new EcuBridgeCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        return cli.execute(args);
    }

    private long historyLines() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("data/snapshots/216000000131"))) {
            long n = 0;
            for (Path f : files.toList()) {
                n += Files.readAllLines(f).stream().filter(l -> l.contains("\"history\":true")).count();
            }
            return n;
        }
    }
}
