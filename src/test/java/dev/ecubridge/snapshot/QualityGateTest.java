package dev.ecubridge.snapshot;

import dev.ecubridge.conversion.BadDataTimeException;
import dev.ecubridge.poll.PollCycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ecubridge.gate.Plausibility;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.SignalReply;
import dev.ecubridge.simulator.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The rules of the quality gate, one by one: what is rejected, what becomes the reference, what is re-based. */
class QualityGateTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    private static final String ECU = "216000000001";
    private static final String DS3 = "703000000001";
    private static final String QT2 = "901000000002";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(Instant.EPOCH, ZONE);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    @TempDir
    Path state;
    private SnapshotAssembler gate;

    @BeforeEach
    void start() {
        gate = new SnapshotAssembler(ZONE, clock, meters, state, Plausibility.DEFAULTS);
        logs.start();
        ((Logger) LoggerFactory.getLogger(SnapshotAssembler.class)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(SnapshotAssembler.class)).detachAppender(logs);
    }

    private static InfoReply info(long lifetimeTenths, long todayHundredths) {
        return new InfoReply("11", ECU, "01", lifetimeTenths, 500, todayHundredths, null, 2, 1, "10",
                "ECU_R_1.3.10", "Etc/GMT-8", "80971b000001", "000000000000");
    }

    private static List<InverterReading> normal() {
        return List.of(new InverterReading(DS3, true, "01", 50.0, 40, List.of(250, 250), List.of(231, 231)),
                new InverterReading(QT2, true, "02", 50.0, 35, List.of(300, 300, 300, 300), List.of(400, 401, 399)));
    }

    /** A cycle with the ECU's data time {@code time}, read when this machine's clock shows a minute later. */
    private Snapshot at(String time, long lifetime, long today) throws BadDataTimeException {
        return at(time, LocalDateTime.parse(time).plusMinutes(1), lifetime, today, normal());
    }

    private Snapshot at(String time, LocalDateTime machine, long lifetime, long today, List<InverterReading> inverters)
            throws BadDataTimeException {
        clock.set(machine.atZone(ZONE).toInstant());
        return gate.assemble(info(lifetime, today), new RealtimeReply(time == null ? null : LocalDateTime.parse(time), inverters),
                new SignalReply(List.of()), List.of());
    }

    private double count(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private List<String> warnings(String containing) {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(containing)).toList();
    }

    @Test
    void anInvalidBcdDataTimeFailsTheCycleInsteadOfGuessingOne() {
        assertThatThrownBy(() -> at(null, LocalDateTime.parse("2026-06-21T12:01:00"), 12345, 500, normal()))
                .isInstanceOf(BadDataTimeException.class).hasMessageContaining("not a valid BCD");
        assertThat(PollCycle.kind(new BadDataTimeException("x"))).isEqualTo("bad-time");
    }

    @Test
    void dataTimesYearsAwayFromThisMachinesClockNeverReachASink() throws Exception {
        LocalDateTime now = LocalDateTime.parse("2026-06-21T12:01:00");
        assertThat(at("2099-06-21T12:00:00", now, 12345, 500, normal())).isNull();
        assertThat(at("2001-06-21T12:05:00", now.plusMinutes(5), 12345, 500, normal())).isNull();
        assertThat(count("ecubridge.time.rejected", "ecu_id", ECU, "reason", "future")).isEqualTo(1);
        assertThat(count("ecubridge.time.rejected", "ecu_id", ECU, "reason", "past")).isEqualTo(1);
        assertThat(at("2026-06-21T12:10:00", 12346, 510)).as("the right time after them").isNotNull();
        // ECU-R/B read in a machine zone 9 hours off (a container in UTC, the ECU in Asia) are still published
        assertThat(at("2026-06-21T21:15:00", now.plusMinutes(15), 12347, 520, normal())).isNotNull();
    }

    @Test
    void aDataTimeThatGoesBackwardsIsRejectedAndNeverBecomesTheReference() throws Exception {
        assertThat(at("2026-06-21T12:00:00", 12345, 500)).isNotNull();
        assertThat(at("2026-06-21T11:05:00", LocalDateTime.parse("2026-06-21T12:06:00"), 12346, 510, normal())).isNull();
        assertThat(count("ecubridge.time.rejected", "ecu_id", ECU, "reason", "backwards")).isEqualTo(1);
        assertThat(at("2026-06-21T12:10:00", 12347, 520)).isNotNull();
        assertThat(warnings("re-based")).isEmpty();
    }

    @Test
    void aDataTimeReferenceTheEcuContradictsThreeTimesInARowIsRebased() throws Exception {
        assertThat(at("2026-06-21T12:00:00", 12345, 500)).isNotNull();
        // one reading 8 h ahead (within the window) got through and became the reference
        assertThat(at("2026-06-21T20:05:00", LocalDateTime.parse("2026-06-21T12:06:00"), 12346, 510, normal())).isNotNull();
        assertThat(at("2026-06-21T12:10:00", 12347, 520)).isNull();
        assertThat(at("2026-06-21T12:15:00", 12348, 530)).isNull();
        Snapshot rebased = at("2026-06-21T12:20:00", 12349, 540);
        assertThat(rebased).as("third consistent contradiction").isNotNull();
        assertThat(warnings("data time re-based from 2026-06-21T20:05 to 2026-06-21T12:20")).hasSize(1);
        assertThat(at("2026-06-21T12:25:00", 12350, 550)).isNotNull();
    }

    @Test
    void aLifetimeSpikeIsRejectedAndTheNextReadingIsPublished() throws Exception {
        assertThat(at("2026-06-21T12:00:00", 12345, 500).lifetimeKwh()).isEqualTo(1234.5);
        assertThat(at("2026-06-21T12:05:00", 12345 + 130_000, 510).lifetimeKwh()).as("+13 MWh in 5 minutes").isNull();
        assertThat(warnings("more than the 2880 W installed can produce")).hasSize(1);
        assertThat(at("2026-06-21T12:10:00", 12348, 520).lifetimeKwh()).isEqualTo(1234.8);
        // +1 kWh: too much for 2880 W in 5 minutes, not in an hour
        assertThat(at("2026-06-21T12:15:00", 12358, 530).lifetimeKwh()).isNull();
        assertThat(at("2026-06-21T13:10:00", 12358, 540).lifetimeKwh()).isEqualTo(1235.8);
        assertThat(count("ecubridge.energy.rejected", "ecu_id", ECU, "counter", "lifetime")).isEqualTo(2);
    }

    @Test
    void aSpikeAcceptedAndPersistedBeforeIsRebasedAfterThreeReadingsAndThatSurvivesARestart() throws Exception {
        Files.writeString(state.resolve(ECU + ".json"), "{\"last_stamp\":\"2026-06-20T18:00\",\"last_lifetime_kwh\":14234.5,"
                + "\"day\":\"2026-06-20\",\"last_today_kwh\":5.0,\"today_carry_kwh\":0}");
        assertThat(at("2026-06-21T12:00:00", 12345, 500).lifetimeKwh()).isNull();
        assertThat(at("2026-06-21T12:05:00", 12346, 510).lifetimeKwh()).isNull();
        assertThat(at("2026-06-21T12:10:00", 12347, 520).lifetimeKwh()).isEqualTo(1234.7);
        assertThat(warnings("lifetime energy re-based from 14234.5 kWh to 1234.7 kWh")).hasSize(1);
        assertThat(count("ecubridge.gate.rebased", "ecu_id", ECU)).isEqualTo(1);

        gate = new SnapshotAssembler(ZONE, clock, meters, state, Plausibility.DEFAULTS);
        assertThat(at("2026-06-21T12:15:00", 12348, 530).lifetimeKwh()).as("after a restart").isEqualTo(1234.8);
    }

    @Test
    void contradictionsThatDisagreeWithEachOtherDoNotRebase() throws Exception {
        assertThat(at("2026-06-21T12:00:00", 12345, 500).lifetimeKwh()).isEqualTo(1234.5);
        assertThat(at("2026-06-21T12:05:00", 5000, 510).lifetimeKwh()).isNull();
        assertThat(at("2026-06-21T12:10:00", 100, 520).lifetimeKwh()).isNull();
        assertThat(at("2026-06-21T12:15:00", 9000, 530).lifetimeKwh()).as("jumps, not a counter").isNull();
        assertThat(at("2026-06-21T12:20:00", 12346, 540).lifetimeKwh()).isEqualTo(1234.6);
    }

    @Test
    void todayAboveLifetimeIsRejectedAndDoesNotBlockTheDay() throws Exception {
        assertThat(at("2026-06-21T12:00:00", 12345, 500).todayKwh()).isEqualTo(5.0);
        assertThat(at("2026-06-21T12:05:00", 12345, 12345 * 10 + 10_000).todayKwh()).isNull();
        assertThat(warnings("above the lifetime energy")).hasSize(1);
        assertThat(at("2026-06-21T12:10:00", 12346, 520).todayKwh()).isEqualTo(5.2);
    }

    @Test
    void aTodayReferenceTooHighIsRebasedInsteadOfBlockingTheDay() throws Exception {
        Files.writeString(state.resolve(ECU + ".json"), "{\"last_stamp\":\"2026-06-21T11:55\",\"last_lifetime_kwh\":1234.0,"
                + "\"day\":\"2026-06-21\",\"last_today_kwh\":900.0,\"today_carry_kwh\":0}");
        assertThat(at("2026-06-21T12:00:00", 12345, 500).todayKwh()).isNull();
        assertThat(at("2026-06-21T12:05:00", 12346, 510).todayKwh()).isNull();
        assertThat(at("2026-06-21T12:10:00", 12347, 520).todayKwh()).isEqualTo(5.2);
        assertThat(at("2026-06-21T12:15:00", 12348, 530).todayKwh()).isEqualTo(5.3);
    }

    @Test
    void valuesOutsidePhysicalRangesAreNoDataAndCounted() throws Exception {
        List<InverterReading> ffff = List.of(
                new InverterReading(DS3, true, "01", 6553.5, 65435, List.of(65535, 250), List.of(65535, 65535)),
                new InverterReading(QT2, true, "02", 50.0, 35, List.of(300, 300, 300, 300), List.of(400, 401, 399)));
        Snapshot s = at("2026-06-21T12:00:00", LocalDateTime.parse("2026-06-21T12:01:00"), 12345, 500, ffff);
        InverterSnapshot ds3 = s.inverters().get(0);
        assertThat(ds3.frequencyHz()).isNull();
        assertThat(ds3.temperatureC()).isNull();
        assertThat(ds3.channels()).extracting(InverterSnapshot.Channel::powerW).containsExactly(null, 250);
        assertThat(ds3.channels()).extracting(InverterSnapshot.Channel::voltageV).containsOnlyNulls();
        assertThat(ds3.powerW()).as("a total over a missing channel").isNull();
        InverterSnapshot qt2 = s.inverters().get(1);
        assertThat(qt2.channels()).extracting(InverterSnapshot.Channel::voltageV).as("QT2: line to line").containsExactly(400, 401, 399, null);
        for (String quantity : List.of("frequency", "temperature", "power")) {
            assertThat(count("ecubridge.values.rejected", "ecu_id", ECU, "quantity", quantity)).as(quantity).isEqualTo(1);
        }
        assertThat(count("ecubridge.values.rejected", "ecu_id", ECU, "quantity", "voltage")).isEqualTo(2);
        // a DS3 does not report 400 V, nor 900 W on one channel
        Snapshot next = at("2026-06-21T12:05:00", LocalDateTime.parse("2026-06-21T12:06:00"), 12346, 510, List.of(
                new InverterReading(DS3, true, "01", 50.0, 40, List.of(900, 250), List.of(400, 400))));
        assertThat(next.inverters().get(0).channels()).extracting(InverterSnapshot.Channel::powerW).containsExactly(null, 250);
        assertThat(next.inverters().get(0).channels()).extracting(InverterSnapshot.Channel::voltageV).containsOnlyNulls();
    }

    @Test
    void duplicateAndNonDecimalUidsAreDroppedWithOneLineEach() throws Exception {
        List<InverterReading> bad = new ArrayList<>(normal());
        bad.add(normal().get(0));
        bad.add(new InverterReading("70300000000a", true, "01", 50.0, 40, List.of(250, 250), List.of(231, 231)));
        Snapshot s = at("2026-06-21T12:00:00", LocalDateTime.parse("2026-06-21T12:01:00"), 12345, 500, bad);
        assertThat(s.inverters()).extracting(InverterSnapshot::uid).containsExactly(DS3, QT2);
        assertThat(s.inverterCount()).isEqualTo(2);
        at("2026-06-21T12:05:00", LocalDateTime.parse("2026-06-21T12:06:00"), 12346, 510, bad);
        assertThat(count("ecubridge.inverters.dropped", "ecu_id", ECU, "reason", "duplicate-uid")).isEqualTo(2);
        assertThat(count("ecubridge.inverters.dropped", "ecu_id", ECU, "reason", "bad-uid")).isEqualTo(2);
        assertThat(warnings("appears twice")).hasSize(1);
        assertThat(warnings("is not 12 decimal digits")).hasSize(1);
    }

    @Test
    void uidsThatChangeEveryCycleKeepTheGatesMemoryAndLogBounded() throws Exception {
        LocalDateTime t = LocalDateTime.parse("2026-06-21T00:00:00");
        for (int cycle = 0; cycle < 1000; cycle++, t = t.plusMinutes(5)) {
            List<InverterReading> churn = List.of(new InverterReading(String.format("99%010d", cycle), true, "01", 50.0,
                    40, List.of(100, 100), List.of(231, 231)));
            assertThat(at(t.toString(), t.plusMinutes(1), 12345 + cycle, 0, churn)).isNotNull();
        }
        assertThat(gate.rememberedInverters(ECU)).isLessThanOrEqualTo(EcuHistory.REMEMBERED_UIDS);
        // 1000 cycles of 5 minutes: 84 hours, at most one line an hour
        assertThat(warnings("unknown model")).hasSizeLessThanOrEqualTo(84);
    }

    @Test
    void anEcuWhoseDataTimeStopsIsStaleOnceAndFreshAgainWhenItAdvances() throws Exception {
        assertThat(at("2026-06-21T12:00:00", 12345, 500)).isNotNull();
        Instant advanced = clock.instant();
        for (int minutes = 5; minutes < 30; minutes += 5) {
            at("2026-06-21T12:00:00", LocalDateTime.parse("2026-06-21T12:01:00").plusMinutes(minutes), 12345, 500, normal());
            assertThat(gate.staleSince(ECU)).as(minutes + " min").isNull();
        }
        for (int minutes = 30; minutes < 60; minutes += 5) {
            at("2026-06-21T12:00:00", LocalDateTime.parse("2026-06-21T12:01:00").plusMinutes(minutes), 12345, 500, normal());
            assertThat(gate.staleSince(ECU)).isEqualTo(advanced);
        }
        assertThat(warnings("stale")).hasSize(1);
        assertThat(at("2026-06-21T13:00:00", 12346, 510)).isNotNull();
        assertThat(gate.staleSince(ECU)).isNull();
        assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().contains("advances again")).hasSize(1);
    }
}
