package dev.ecubridge.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.SignalReply;
import dev.ecubridge.simulator.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The gate's state of all ECUs in one journal: what a restart reads, what a kill mid-write costs, what compaction keeps. */
class StateJournalTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<StateJournal> opened = new ArrayList<>();
    @TempDir
    Path state;

    @BeforeEach
    void listen() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(StateJournal.class)).addAppender(logs);
    }

    @AfterEach
    void close() throws Exception {
        ((Logger) LoggerFactory.getLogger(StateJournal.class)).detachAppender(logs);
        for (StateJournal j : opened) {
            j.close();
        }
    }

    private StateJournal open() {
        StateJournal journal = new StateJournal(state);
        opened.add(journal);
        return journal;
    }

    private static byte[] gate(String stamp, String padding) {
        return ("{\"last_stamp\":\"" + stamp + "\",\"padding\":\"" + padding + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gate(String stamp) {
        return gate(stamp, "");
    }

    private static String stamp(JsonNode gate) {
        return gate.get("last_stamp").asText();
    }

    private Path journalFile() {
        return state.resolve(StateJournal.FILE);
    }

    private List<String> lines() throws Exception {
        return Files.readAllLines(journalFile());
    }

    @Test
    void aRestartReadsTheLatestStateOfEachEcu() {
        StateJournal journal = open();
        journal.save("216000000001", gate("2026-06-21T12:00"));
        journal.save("216000000002", gate("2026-06-21T12:01"));
        journal.save("216000000001", gate("2026-06-21T12:05"));

        StateJournal restarted = open();
        assertThat(stamp(restarted.gate("216000000001"))).isEqualTo("2026-06-21T12:05");
        assertThat(stamp(restarted.gate("216000000002"))).isEqualTo("2026-06-21T12:01");
        assertThat(restarted.gate("216000000003")).isNull();
    }

    @Test
    void aLineTornByAKillIsSkippedAndTheRestKept() throws Exception {
        StateJournal journal = open();
        journal.save("216000000001", gate("2026-06-21T12:00"));
        journal.save("216000000002", gate("2026-06-21T12:01"));
        journal.close();
        // killed while writing the ECU's next line
        Files.writeString(journalFile(), "{\"ecu_id\":\"216000000001\",\"gate\":{\"last_stamp\":\"2026-06-2",
                StandardOpenOption.APPEND);

        StateJournal restarted = open();
        assertThat(stamp(restarted.gate("216000000001"))).as("its line before the torn one").isEqualTo("2026-06-21T12:00");
        assertThat(stamp(restarted.gate("216000000002"))).isEqualTo("2026-06-21T12:01");
        assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
                .singleElement().asString().contains("skipped line 3 of " + journalFile());
        restarted.save("216000000002", gate("2026-06-21T12:06"));
        assertThat(lines()).as("the torn line is gone, not run into by the next one").hasSize(3)
                .allSatisfy(line -> assertThat(JSON.readTree(line).get("gate").isObject()).isTrue());
    }

    @Test
    void compactionKeepsExactlyTheLatestLineOfEachEcuAndTheFileShrinks() throws Exception {
        StateJournal journal = open();
        String padding = "x".repeat(4000);
        Map<String, String> latest = new LinkedHashMap<>();
        long before = 0;
        for (int i = 0; ; i++) {
            String ecuId = "21600000000" + (i % 3);
            String stamp = LocalDateTime.parse("2026-06-21T00:00").plusMinutes(i).toString();
            journal.save(ecuId, gate(stamp, padding));
            latest.put(ecuId, "{\"ecu_id\":\"" + ecuId + "\",\"gate\":" + new String(gate(stamp, padding), StandardCharsets.UTF_8) + "}");
            long size = Files.size(journalFile());
            if (size < before) {
                long latestBytes = latest.values().stream().mapToLong(line -> line.length() + 1).sum();
                assertThat(before + latest.get(ecuId).length() + 1).as("grown past twice the latest lines plus 1 MiB")
                        .isGreaterThan(2 * latestBytes + (1 << 20));
                assertThat(size).isEqualTo(latestBytes);
                break;
            }
            before = size;
        }
        assertThat(lines()).containsExactlyInAnyOrderElementsOf(latest.values());
        assertThat(state.resolve(StateJournal.FILE + ".tmp")).doesNotExist();

        journal.save("216000000001", gate("2026-06-22T00:00"));
        assertThat(lines()).as("appending goes on in the compacted file").hasSize(4);
        assertThat(stamp(open().gate("216000000001"))).isEqualTo("2026-06-22T00:00");
    }

    @Test
    void anEcuWithoutALineGoesOnFromTheStateFileOfAnEarlierVersionWhichCompactionThenDeletes() throws Exception {
        Files.writeString(state.resolve("216000000001.json"), "{\"last_stamp\":\"2026-06-20T18:00\"}");
        Files.writeString(state.resolve("216000000002.json"), "{\"last_stamp\":\"2026-06-20T18:01\"}");
        StateJournal journal = open();
        journal.save("216000000003", gate("2026-06-21T12:00"));
        Files.writeString(state.resolve("216000000003.json"), "{\"last_stamp\":\"2026-06-01T00:00\"}");
        assertThat(stamp(journal.gate("216000000001"))).isEqualTo("2026-06-20T18:00");
        assertThat(stamp(journal.gate("216000000003"))).as("the journal wins").isEqualTo("2026-06-21T12:00");
        journal.save("216000000001", gate("2026-06-21T12:05"));

        StateJournal restarted = open();
        assertThat(stamp(restarted.gate("216000000001"))).isEqualTo("2026-06-21T12:05");
        assertThat(state.resolve("216000000001.json")).as("in the journal now").doesNotExist();
        assertThat(state.resolve("216000000003.json")).as("in the journal now").doesNotExist();
        assertThat(state.resolve("216000000002.json")).as("not in the journal: still its only state").exists();
        assertThat(stamp(restarted.gate("216000000002"))).isEqualTo("2026-06-20T18:01");
    }

    @Test
    void theGateGoesOnFromTheJournalAfterARestartOrAKillMidWrite() throws Exception {
        ZoneId zone = ZoneId.of("Europe/Amsterdam");
        MutableClock clock = new MutableClock(Instant.EPOCH, zone);
        SnapshotAssembler gate = new SnapshotAssembler(zone, clock, new SimpleMeterRegistry(), state);
        cycle(gate, clock, "2026-06-21T12:00:00");
        Snapshot second = cycle(gate, clock, "2026-06-21T12:05:00");
        assertThat(second.inverters().get(0).lifetimeKwh()).as("250 W per channel for 5 min, in whole Wh").isEqualTo(0.042);
        gate.close();
        // killed while writing the ECU's next line
        Files.writeString(journalFile(), "{\"ecu_id\":\"216000000001\",\"gate\":{\"last_st", StandardOpenOption.APPEND);

        SnapshotAssembler restarted = new SnapshotAssembler(zone, clock, new SimpleMeterRegistry(), state);
        assertThat(restarted.lastPublished("216000000001")).isEqualTo(LocalDateTime.parse("2026-06-21T12:05:00"));
        assertThat(cycle(restarted, clock, "2026-06-21T12:05:00")).as("published before the kill").isNull();
        Snapshot third = cycle(restarted, clock, "2026-06-21T12:10:00");
        assertThat(third.inverters().get(0).lifetimeKwh()).as("the energy continues").isEqualTo(0.084);
        restarted.close();
    }

    private static Snapshot cycle(SnapshotAssembler gate, MutableClock clock, String time) throws Exception {
        clock.set(LocalDateTime.parse(time).plusMinutes(1).atZone(clock.getZone()).toInstant());
        InfoReply info = new InfoReply("11", "216000000001", "01", 12345, 500, 500, null, 1, 1, "10",
                "ECU_R_1.3.10", "Etc/GMT-8", "80971b000001", "000000000000");
        return gate.assemble(info, new RealtimeReply(LocalDateTime.parse(time), List.of(
                new InverterReading("703000000001", true, "01", 50.0, 40, List.of(250, 250), List.of(231, 231)))),
                new SignalReply(List.of()), List.of());
    }
}
