package dev.ecubridge.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnergyMeterTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    private static final String UID = "703000000001";

    private static ZonedDateTime at(String time) {
        return LocalDateTime.parse(time).atZone(ZONE);
    }

    private static double[] lifetime(EnergyMeter meter, String time, Integer... watts) {
        return meter.add(UID, at(time), Arrays.asList(watts)).lifetimeKwh();
    }

    @Test
    void aKnownPowerCurveIntegratesExactly() {
        EnergyMeter meter = new EnergyMeter(16);
        assertThat(lifetime(meter, "2026-06-21T12:00:00", 120, 60)).containsExactly(0, 0);
        // 120 W and 60 W held for 5 minutes: 10 Wh and 5 Wh; ch2 is then rejected (null)
        assertThat(lifetime(meter, "2026-06-21T12:05:00", 240, null)).containsExactly(0.010, 0.005);
        // 240 W for 5 minutes: +20 Wh; the rejected value books nothing; then the inverter is offline (0 W)
        assertThat(lifetime(meter, "2026-06-21T12:10:00", 0, 0)).containsExactly(0.030, 0.005);
        assertThat(lifetime(meter, "2026-06-21T12:15:00", 600, 600)).containsExactly(0.030, 0.005);
        // 15 minutes without a reading: more than two ECU refreshes, not integrated across
        assertThat(lifetime(meter, "2026-06-21T12:30:00", 600, 600)).containsExactly(0.030, 0.005);
        assertThat(lifetime(meter, "2026-06-21T12:35:00", 0, 0)).containsExactly(0.080, 0.055);
    }

    @Test
    void todayRestartsAtLocalMidnightAndOnlyTheHoursAfterItCount() {
        EnergyMeter meter = new EnergyMeter(16);
        meter.add(UID, at("2026-06-21T23:40:00"), List.of(1200));
        EnergyMeter.Totals before = meter.add(UID, at("2026-06-21T23:50:00"), List.of(1200));
        assertThat(before.todayKwh()).containsExactly(0.2);
        EnergyMeter.Totals after = meter.add(UID, at("2026-06-22T00:00:00"), List.of(1200));
        assertThat(after.todayKwh()).containsExactly(0.0);
        assertThat(after.lifetimeKwh()).containsExactly(0.4);
        EnergyMeter.Totals split = meter.add(UID, at("2026-06-22T00:05:00"), List.of(0));
        assertThat(split.todayKwh()).containsExactly(0.1);
        assertThat(split.lifetimeKwh()).containsExactly(0.5);
        // a reading that straddles midnight books only the minutes after it to the new day
        meter.add(UID, at("2026-06-22T23:57:00"), List.of(600));
        EnergyMeter.Totals straddle = meter.add(UID, at("2026-06-23T00:03:00"), List.of(0));
        assertThat(straddle.todayKwh()).containsExactly(0.03);
        assertThat(straddle.lifetimeKwh()).containsExactly(0.56);
    }

    @Test
    void theCountersSurviveARestartThroughTheirSavedForm() {
        EnergyMeter meter = new EnergyMeter(16);
        meter.add(UID, at("2026-06-21T12:00:00"), List.of(300));
        meter.add(UID, at("2026-06-21T12:05:00"), List.of(300));
        EnergyMeter restarted = new EnergyMeter(16);
        restarted.load(meter.toJson());
        EnergyMeter.Totals t = restarted.add(UID, at("2026-06-21T12:10:00"), List.of(0));
        assertThat(t.lifetimeKwh()).containsExactly(0.05);
        assertThat(t.todayKwh()).containsExactly(0.05);
    }

    @Test
    void neverDecreasingWhateverThePowerAndGaps() {
        EnergyMeter meter = new EnergyMeter(16);
        Random random = new Random(12);
        LocalDateTime time = LocalDateTime.parse("2026-06-21T05:00:00");
        double lastLifetime = 0;
        double lastToday = 0;
        java.time.LocalDate lastDay = time.toLocalDate();
        for (int i = 0; i < 5000; i++) {
            time = time.plusMinutes(1 + random.nextInt(16));
            Integer watts = random.nextInt(10) == 0 ? null : random.nextInt(500);
            EnergyMeter.Totals t = meter.add(UID, time.atZone(ZONE), Arrays.asList(watts));
            assertThat(t.lifetimeKwh()[0]).isGreaterThanOrEqualTo(lastLifetime);
            if (time.toLocalDate().equals(lastDay)) {
                assertThat(t.todayKwh()[0]).isGreaterThanOrEqualTo(lastToday);
            }
            lastDay = time.toLocalDate();
            assertThat(t.todayKwh()[0]).isLessThanOrEqualTo(t.lifetimeKwh()[0]);
            lastLifetime = t.lifetimeKwh()[0];
            lastToday = t.todayKwh()[0];
        }
        assertThat(lastLifetime).isPositive();
    }
}
