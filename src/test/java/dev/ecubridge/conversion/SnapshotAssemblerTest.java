package dev.ecubridge.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.SignalReply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
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
    private SnapshotAssembler gate;

    @BeforeEach
    void gate() {
        gate = new SnapshotAssembler(ZONE, Clock.system(ZONE), meters, state);
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
        return gate.assemble(info(lifetime, today), realtime(time),
                new SignalReply(List.of(new SignalReply.Entry("703000000001", 171))), List.of());
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
    void anEcuWithItsOwnZoneIsReadInIt() {
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
        assertThat(meters.counter("ecubridge.energy.rejected", "ecu", "216000000001", "counter", "lifetime").count()).isEqualTo(2);
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
        gate = new SnapshotAssembler(ZONE, Clock.system(ZONE), meters, state);
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
