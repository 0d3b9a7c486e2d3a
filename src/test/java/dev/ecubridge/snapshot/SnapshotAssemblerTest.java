package dev.ecubridge.snapshot;

import dev.ecubridge.conversion.BadDataTimeException;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.SignalReply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.ecubridge.simulator.MutableClock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotAssemblerTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    @TempDir
    Path state;
    /** This machine's clock, a minute after each ECU data time: the ECU's clock is right unless a test says otherwise. */
    private final MutableClock clock = new MutableClock(Instant.EPOCH, ZONE);
    private SnapshotAssembler gate;

    @BeforeEach
    void gate() {
        gate = new SnapshotAssembler(ZONE, clock, meters, state);
    }

    private static InfoReply info(long lifetimeTenths, long todayHundredths) {
        return new InfoReply("11", "216000000001", "01", lifetimeTenths, 500, todayHundredths, null, 2, 1, "10",
                "ECU_R_1.3.10", "Etc/GMT-8", "80971b000001", "000000000000");
    }

    private static RealtimeReply realtime(String at) {
        return new RealtimeReply(LocalDateTime.parse(at), List.of(
                new InverterReading("703000000001", true, "01", 50.0, 40, List.of(250, 250), List.of(231, 231)),
                new InverterReading("901000000002", false, "02", 0.0, 0, List.of(0, 0, 27, 26), List.of(393, 394, 392))));
    }

    private Snapshot at(String time, long lifetime, long today) {
        clock.set(LocalDateTime.parse(time).plusMinutes(1).atZone(ZONE).toInstant());
        try {
            return gate.assemble(info(lifetime, today), realtime(time),
                    new SignalReply(List.of(new SignalReply.Entry("703000000001", 171), new SignalReply.Entry("901000000002", 90))),
                    List.of());
        } catch (BadDataTimeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void offlineInvertersCarryNoNumbers() {
        Snapshot s = at("2026-06-21T12:00:00", 12345, 500);
        InverterSnapshot offline = s.inverters().get(1);
        assertThat(offline.online()).isFalse();
        assertThat(offline.frequencyHz()).isNull();
        assertThat(offline.temperatureC()).isNull();
        assertThat(offline.powerW()).isNull();
        assertThat(offline.channels()).extracting(InverterSnapshot.Channel::powerW).containsOnlyNulls();
        assertThat(offline.signal()).isNull();
        InverterSnapshot online = s.inverters().get(0);
        assertThat(online.channels()).extracting(InverterSnapshot.Channel::voltageV).containsExactly(231, 231);
        assertThat(online.signalPercent()).isEqualTo(67);
        assertThat(s.time()).isEqualTo(LocalDateTime.parse("2026-06-21T12:00:00").atZone(ZONE).toInstant());
    }

    @Test
    void inverterEnergyIsIntegratedFromChannelPowerAndSurvivesARestart() {
        at("2026-06-21T12:00:00", 12345, 500);
        Snapshot s = at("2026-06-21T12:05:00", 12346, 510);
        // 250 W per channel for 5 minutes: 20.833 Wh, booked in whole Wh
        assertThat(s.inverters().get(0).channels()).extracting(InverterSnapshot.Channel::lifetimeKwh).containsExactly(0.021, 0.021);
        assertThat(s.inverters().get(0).lifetimeKwh()).isEqualTo(0.042);
        assertThat(s.inverters().get(1).lifetimeKwh()).as("offline: 0 W").isEqualTo(0.0);
        gate = new SnapshotAssembler(ZONE, clock, meters, state);
        Snapshot after = at("2026-06-21T12:10:00", 12347, 520);
        assertThat(after.inverters().get(0).todayKwh()).isEqualTo(0.084);
        assertThat(after.inverters().get(0).channels().get(0).todayKwh()).isEqualTo(0.042);
    }

    @Test
    void nightZeroPublishesZeroWattsAndNothingElse() {
        gate = new SnapshotAssembler(ZONE, clock, meters, state, dev.ecubridge.gate.Plausibility.DEFAULTS, Night.ZERO);
        InverterSnapshot offline = at("2026-06-21T12:00:00", 12345, 500).inverters().get(1);
        assertThat(offline.powerW()).isZero();
        assertThat(offline.channels()).extracting(InverterSnapshot.Channel::powerW).containsExactly(0, 0, 0, 0);
        assertThat(offline.channels()).extracting(InverterSnapshot.Channel::voltageV).containsOnlyNulls();
        assertThat(offline.frequencyHz()).isNull();
        assertThat(offline.temperatureC()).isNull();
        assertThat(offline.signal()).isNull();
    }

    @Test
    void theComponentsOfAChannelFollowTheLayoutNotTheValues() {
        InverterSnapshot qt2 = at("2026-06-21T12:00:00", 12345, 500).inverters().get(1);
        assertThat(qt2.online()).isFalse();
        assertThat(qt2.channels()).extracting(InverterSnapshot.Channel::pairsVoltage).containsExactly(true, true, true, false);
    }

    void anEcuWithItsOwnZoneIsReadInIt() throws Exception {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        Snapshot s = gate.assemble(info(12345, 500), realtime("2026-06-21T12:00:00"), null, List.of(), tokyo);
        assertThat(s.time()).isEqualTo(LocalDateTime.parse("2026-06-21T12:00:00").atZone(tokyo).toInstant());
    }

    @Test
    void theSameEcuTimeIsPublishedOnce() {
        assertThat(at("2026-06-21T12:00:00", 12345, 500)).isNotNull();
        assertThat(at("2026-06-21T12:00:00", 12345, 500)).isNull();
        assertThat(at("2026-06-21T12:05:00", 12346, 510)).isNotNull();
    }

    @Test
    void lifetimeZeroOrLowerIsRejected() {
        assertThat(at("2026-06-21T12:00:00", 12345, 500).lifetimeKwh()).isEqualTo(1234.5);
        assertThat(at("2026-06-21T12:05:00", 0, 510).lifetimeKwh()).isNull();
        assertThat(at("2026-06-21T12:10:00", 12344, 520).lifetimeKwh()).isNull();
        assertThat(at("2026-06-21T12:15:00", 12347, 530).lifetimeKwh()).isEqualTo(1234.7);
        assertThat(meters.counter("ecubridge.energy.rejected", "ecu_id", "216000000001", "counter", "lifetime").count()).isEqualTo(2);
    }

    @Test
    void todayStartsAtLocalMidnightEvenWhenTheEcuResetsLater() {
        assertThat(at("2026-06-21T21:00:00", 12345, 1234).todayKwh()).isEqualTo(12.34);
        // after midnight the ECU still shows yesterday's total until it resets at 02:00 (ECU-R firmware)
        assertThat(at("2026-06-22T00:05:00", 12345, 1234).todayKwh()).isEqualTo(0.0);
        assertThat(at("2026-06-22T01:55:00", 12345, 1234).todayKwh()).isEqualTo(0.0);
        assertThat(at("2026-06-22T02:05:00", 12345, 0).todayKwh()).isEqualTo(0.0);
        assertThat(at("2026-06-22T09:00:00", 12360, 150).todayKwh()).isEqualTo(1.5);
    }

    @Test
    void whatTheGateKnowsSurvivesARestart() {
        assertThat(at("2026-06-21T12:00:00", 12345, 500)).isNotNull();
        gate = new SnapshotAssembler(ZONE, clock, meters, state);
        assertThat(at("2026-06-21T12:00:00", 12345, 500)).as("same ECU time after a restart").isNull();
        assertThat(at("2026-06-21T12:05:00", 12300, 510).lifetimeKwh()).as("lower than before the restart").isNull();
    }

    @Test
    void aTodayThatDropsWithinTheDayIsRejected() {
        assertThat(at("2026-06-21T12:00:00", 12345, 500).todayKwh()).isEqualTo(5.0);
        assertThat(at("2026-06-21T12:05:00", 12346, 0).todayKwh()).isNull();
        assertThat(at("2026-06-21T12:10:00", 12347, 520).todayKwh()).isEqualTo(5.2);
    }
}
