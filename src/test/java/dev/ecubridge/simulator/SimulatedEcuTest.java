package dev.ecubridge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.protocol.DecodeResult;
import dev.ecubridge.protocol.EcuCommand;
import dev.ecubridge.protocol.EcuRequest;
import dev.ecubridge.protocol.EnergyHistoryReply;
import dev.ecubridge.protocol.EnergyPeriod;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.PowerOfDayReply;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.ReplyDecoder;
import dev.ecubridge.protocol.SignalReply;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SimulatedEcuTest {

    private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");
    private static final String ALL_MODELS = "YC600:1,YC1000:1,DS3:1,DS3-S:1,DS3-D:1,DS3-H:1,QS1:1,QT2:1,QT2-05:1,UNREPORTED:1";

    private static SiteSpec site(EcuKind kind, String inverters) {
        return SiteSpec.defaults().withEcu(kind, kind.idPrefix() + "00123456").withInverters(SiteSpec.parseInverters(inverters));
    }

    private static MutableClock clockAt(String localDateTime) {
        return new MutableClock(LocalDateTime.parse(localDateTime).atZone(AMSTERDAM).toInstant(), AMSTERDAM);
    }

    @ParameterizedTest
    @EnumSource(EcuKind.class)
    void everyModelAndTypeCodeRoundTripsThroughTheCodec(EcuKind kind) {
        MutableClock clock = clockAt("2026-06-21T13:02:00");
        SimulatedEcu ecu = new SimulatedEcu(site(kind, ALL_MODELS), clock);
        for (EcuRequest request : List.of(EcuRequest.info(), EcuRequest.realtime(ecu.ecuId()), EcuRequest.signal(ecu.ecuId()),
                EcuRequest.powerOfDay(ecu.ecuId(), LocalDate.of(2026, 6, 20)),
                EcuRequest.energyHistory(ecu.ecuId(), EnergyPeriod.WEEK), EcuRequest.energyHistory(ecu.ecuId(), EnergyPeriod.YEAR))) {
            DecodeResult decoded = ReplyDecoder.decode(ecu.reply(request), request.command());
            assertThat(decoded).as(kind + " " + request).isEqualTo(ecu.answer(request));
        }
        InfoReply info = ecu.info();
        assertThat(info.group()).isEqualTo(kind.infoGroup());
        assertThat(info.ecuModel()).isEqualTo(kind.displayName());
        assertThat(info.timezone()).isEqualTo(kind == EcuKind.ECU_R || kind == EcuKind.ECU_B ? "Etc/GMT-8" : "Europe/Amsterdam");
        assertThat(info.lastEmaContact() != null).isEqualTo("12".equals(kind.infoGroup()));
        Set<String> types = ecu.realtime().inverters().stream().map(InverterReading::typeCode).collect(Collectors.toSet());
        assertThat(types).containsExactlyInAnyOrder("00", "01", "02", "03", "04", "05");
        assertThat(((EnergyHistoryReply) ecu.answer(EcuRequest.energyHistory(ecu.ecuId(), EnergyPeriod.WEEK))).group())
                .isEqualTo(kind.infoGroup());
    }

    @ParameterizedTest
    @EnumSource(value = EcuKind.class, names = {"ECU_R", "ECU_R_PRO"})
    void aSimulatedDayIsPlausible(EcuKind kind) {
        MutableClock clock = clockAt("2026-06-20T20:00:00");
        SimulatedEcu ecu = new SimulatedEcu(site(kind, "DS3:2,QS1:1,QT2:1"), clock);
        double lastLifetime = ecu.info().lifetimeEnergyKwh();
        double lastToday = ecu.info().todayEnergyKwh();
        LocalDateTime lastStamp = ecu.realtime().timestamp();
        boolean sawNight = false;
        boolean sawDay = false;
        boolean sawReset = false;
        for (int step = 0; step < 24 * 12 + 24; step++) {
            clock.advance(Duration.ofMinutes(5));
            InfoReply info = ecu.info();
            RealtimeReply rt = ecu.realtime();
            assertThat(rt.timestamp()).isEqualTo(lastStamp.plusMinutes(5));
            if (kind.onFiveMinuteMarks()) {
                assertThat(rt.timestamp().getMinute() % 5).isZero();
                assertThat(rt.timestamp().getSecond()).isZero();
            }
            assertThat(info.currentPowerW()).isEqualTo(rt.onlinePowerW());
            assertThat(info.invertersOnline()).isEqualTo((int) rt.inverters().stream().filter(InverterReading::online).count());
            assertThat(info.lifetimeEnergyKwh()).isGreaterThanOrEqualTo(lastLifetime);
            if (info.todayEnergyKwh() < lastToday) {
                assertThat(rt.timestamp().toLocalTime()).isBefore(java.time.LocalTime.of(0, 5));
                assertThat(info.todayEnergyKwh()).isZero();
                sawReset = true;
            }
            if (rt.timestamp().getHour() == 2) {
                sawNight = true;
                for (InverterReading r : rt.inverters()) {
                    assertThat(r.online()).isFalse();
                    assertThat(r.frequencyHz()).isZero();
                    assertThat(r.temperatureC()).isEqualTo(kind == EcuKind.ECU_R ? 0 : -100);
                    assertThat(r.powerW()).allMatch(p -> p == 0);
                    assertThat(r.voltageV()).allMatch(v -> v == 0);
                }
                assertThat(info.currentPowerW()).isZero();
            }
            if (rt.timestamp().getHour() == 13) {
                sawDay = true;
                assertThat(info.invertersOnline()).isEqualTo(4);
                assertThat(info.currentPowerW()).isPositive();
                for (InverterReading r : rt.inverters()) {
                    assertThat(r.frequencyHz()).isBetween(49.8, 50.2);
                    assertThat(r.temperatureC()).isBetween(5, 60);
                }
            }
            lastLifetime = info.lifetimeEnergyKwh();
            lastToday = info.todayEnergyKwh();
            lastStamp = rt.timestamp();
        }
        assertThat(sawNight && sawDay && sawReset).isTrue();
        assertThat(lastToday).as("a June day in Utrecht with ~6 kW of panels").isBetween(5.0, 60.0);
    }

    @Test
    void offlineInvertersKeepStaleValuesAndTheEcuExcludesThem() {
        MutableClock clock = clockAt("2026-06-21T12:00:00");
        SimulatedEcu ecu = new SimulatedEcu(site(EcuKind.ECU_R, "QT2:3"), clock);
        List<Integer> before = ecu.realtime().inverters().get(1).voltageV();
        ecu.forceOffline(1);
        clock.advance(Duration.ofMinutes(5));
        RealtimeReply rt = ecu.realtime();
        InverterReading offline = rt.inverters().get(1);
        assertThat(offline.online()).isFalse();
        assertThat(offline.voltageV()).isEqualTo(before);
        assertThat(offline.totalPowerW()).isPositive();
        assertThat(ecu.info().currentPowerW()).isEqualTo(rt.onlinePowerW());
        assertThat(ecu.signal().inverters().get(1).signal()).isZero();
        clock.advance(Duration.ofMinutes(35));
        assertThat(ecu.realtime().inverters().get(1).totalPowerW()).isZero();
    }

    @Test
    void dataChangesOnlyEveryFiveMinutes() {
        MutableClock clock = clockAt("2026-06-21T12:00:00");
        SimulatedEcu ecu = new SimulatedEcu(site(EcuKind.ECU_R_PRO, "DS3:2"), clock);
        RealtimeReply first = ecu.realtime();
        clock.advance(Duration.ofSeconds(60));
        assertThat(ecu.realtime()).isEqualTo(first);
        clock.advance(Duration.ofSeconds(240));
        assertThat(ecu.realtime().timestamp()).isEqualTo(first.timestamp().plusMinutes(5));
    }

    @Test
    void seededRunsAreDeterministic() {
        SimulatedEcu a = new SimulatedEcu(SiteSpec.defaults(), clockAt("2026-03-01T11:00:00"));
        SimulatedEcu b = new SimulatedEcu(SiteSpec.defaults(), clockAt("2026-03-01T11:00:00"));
        SimulatedEcu c = new SimulatedEcu(SiteSpec.defaults().withSeed(2), clockAt("2026-03-01T11:00:00"));
        for (EcuCommand command : List.of(EcuCommand.INFO, EcuCommand.REALTIME, EcuCommand.SIGNAL)) {
            EcuRequest r = EcuRequest.of(command, a.ecuId());
            assertThat(a.reply(r)).isEqualTo(b.reply(r));
        }
        assertThat(a.reply(EcuRequest.realtime(a.ecuId()))).isNotEqualTo(c.reply(EcuRequest.realtime(c.ecuId())));
    }

    @Test
    void powerCurveAndHistoryFollowTheDay() {
        SimulatedEcu ecu = new SimulatedEcu(SiteSpec.defaults(), clockAt("2026-06-21T18:00:00"));
        PowerOfDayReply curve = (PowerOfDayReply) ecu.answer(EcuRequest.powerOfDay(ecu.ecuId(), LocalDate.of(2026, 6, 21)));
        assertThat(curve.samples()).isNotEmpty();
        assertThat(curve.samples().get(0).time()).isBefore(java.time.LocalTime.of(7, 0));
        assertThat(curve.samples().get(curve.samples().size() - 1).time()).isBeforeOrEqualTo(java.time.LocalTime.of(18, 0));
        EnergyHistoryReply week = (EnergyHistoryReply) ecu.answer(EcuRequest.energyHistory(ecu.ecuId(), EnergyPeriod.WEEK));
        assertThat(week.days()).hasSize(7);
        assertThat(week.days().get(6).energyKwh()).isEqualTo(ecu.info().todayEnergyKwh());
        assertThat(week.days()).allMatch(d -> d.energyKwh() > 0);
    }

    @Test
    void aWrongEcuIdGetsStatus01() {
        SimulatedEcu ecu = new SimulatedEcu(SiteSpec.defaults(), clockAt("2026-06-21T12:00:00"));
        assertThat(ReplyDecoder.decode(ecu.reply(EcuRequest.realtime("216000999999"))).toString())
                .isEqualTo("StatusReply[command=REALTIME, status=01]");
        assertThat(ReplyDecoder.decode(ecu.reply(EcuRequest.signal(ecu.ecuId())))).isInstanceOf(SignalReply.class);
    }
}
