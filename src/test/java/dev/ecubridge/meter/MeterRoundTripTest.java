package dev.ecubridge.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ecubridge.simulator.EcuKind;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatedMeter;
import dev.ecubridge.simulator.SiteSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A simulated ECU-C's day, read every 5 minutes: the meter's energies are the simulator's integrals. */
class MeterRoundTripTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    /** Each energy is rounded to Wh when published. */
    private static final double ROUNDING_KWH = 0.0006;

    @TempDir
    Path state;

    private final MutableClock clock = new MutableClock(at("2026-06-21T00:02:00"), ZONE);
    private final SimulatedMeter meter = new SimulatedMeter(new SimulatedEcu(SiteSpec.defaults()
            .withEcu(EcuKind.ECU_C, "215000123456").withInverters(SiteSpec.parseInverters("DS3:6,QT2:1")).withSeed(3), clock));

    private static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(ZONE).toInstant();
    }

    private List<MeterReading> read(MeterState s) {
        MeterResult result = MeterDecoder.decode(200, meter.json());
        assertThat(result).isInstanceOf(MeterReply.class);
        return s.accept((MeterReply) result, "215000123456");
    }

    private MeterState load() {
        return MeterState.load("roof", state.resolve("meter-roof.json"), ZONE);
    }

    @Test
    void aDayReadEveryFiveMinutesIntegratesToTheSimulatorsEnergies() {
        MeterState s = load();
        List<MeterReading> all = new ArrayList<>();
        while (clock.instant().isBefore(at("2026-06-21T23:58:00"))) {
            all.addAll(read(s));
            assertThat(read(s)).as("the same series read again publishes nothing").isEmpty();
            clock.advance(Duration.ofMinutes(5));
            if (clock.instant().equals(at("2026-06-21T12:02:00"))) {
                s = load(); // a restart: the state file carries on
            }
        }
        assertThat(all).hasSize(288);
        assertThat(all.stream().map(MeterReading::time).distinct()).hasSize(288);
        MeterReading last = all.get(all.size() - 1);
        assertThat(last.time()).isEqualTo(at("2026-06-21T23:55:00"));
        // each point's power holds until the next point, so the last one is not booked yet
        SimulatedMeter.Totals day = meter.integrate(at("2026-06-21T00:00:00"), at("2026-06-21T23:55:00"));
        MeterReading.Energies e = last.energies();
        assertThat(e.gridImportLifetimeKwh()).isCloseTo(day.gridImportWh() / 1000, within(ROUNDING_KWH));
        assertThat(e.gridExportLifetimeKwh()).isCloseTo(day.gridExportWh() / 1000, within(ROUNDING_KWH));
        assertThat(e.consumptionLifetimeKwh()).isCloseTo(day.consumptionWh() / 1000, within(ROUNDING_KWH));
        assertThat(e.productionLifetimeKwh()).isCloseTo(day.productionWh() / 1000, within(ROUNDING_KWH));
        assertThat(e.gridImportTodayKwh()).isEqualTo(e.gridImportLifetimeKwh());
        assertThat(e.gridExportTodayKwh()).isEqualTo(e.gridExportLifetimeKwh());
        // a sunny June day: the house both imports (night) and exports (noon)
        assertThat(e.gridImportLifetimeKwh()).isGreaterThan(1);
        assertThat(e.gridExportLifetimeKwh()).isGreaterThan(1);
        // consumption = production + import - export
        assertThat(e.consumptionLifetimeKwh()).isCloseTo(e.productionLifetimeKwh() + e.gridImportLifetimeKwh()
                - e.gridExportLifetimeKwh(), within(3 * ROUNDING_KWH));
        for (int i = 1; i < all.size(); i++) {
            MeterReading.Energies before = all.get(i - 1).energies();
            MeterReading.Energies now = all.get(i).energies();
            assertThat(now.gridImportLifetimeKwh()).isGreaterThanOrEqualTo(before.gridImportLifetimeKwh());
            assertThat(now.gridExportLifetimeKwh()).isGreaterThanOrEqualTo(before.gridExportLifetimeKwh());
            assertThat(now.consumptionLifetimeKwh()).isGreaterThanOrEqualTo(before.consumptionLifetimeKwh());
            assertThat(now.gridImportTodayKwh()).isGreaterThanOrEqualTo(before.gridImportTodayKwh());
        }

        // past midnight: today starts again at 0, lifetime books the last 5 minutes of yesterday
        clock.set(at("2026-06-22T00:07:00"));
        List<MeterReading> next = read(s);
        assertThat(next).extracting(MeterReading::time).containsExactly(at("2026-06-22T00:00:00"), at("2026-06-22T00:05:00"));
        MeterReading midnight = next.get(0);
        assertThat(midnight.energies().gridImportTodayKwh()).isZero();
        assertThat(midnight.energies().gridImportLifetimeKwh()).isCloseTo(
                meter.integrate(at("2026-06-21T00:00:00"), at("2026-06-22T00:00:00")).gridImportWh() / 1000, within(ROUNDING_KWH));
        assertThat(next.get(1).energies().gridImportTodayKwh()).isCloseTo(
                meter.integrate(at("2026-06-22T00:00:00"), at("2026-06-22T00:05:00")).gridImportWh() / 1000, within(ROUNDING_KWH));
    }

    @Test
    void aSeriesReadAgainAfterARestartPublishesNothingTwice() {
        clock.set(at("2026-06-21T13:01:00"));
        assertThat(read(load())).hasSize(157);
        assertThat(read(load())).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(read(load())).extracting(MeterReading::time)
                .containsExactly(at("2026-06-21T13:05:00"), at("2026-06-21T13:10:00"));
    }

    @Test
    void theSimulatedGridIsConsumptionMinusProductionPerPhase() {
        SimulatedMeter.Point p = meter.point(at("2026-06-21T13:00:00"));
        int[] grid = p.grid();
        for (int ph = 0; ph < 3; ph++) {
            assertThat(grid[ph]).isEqualTo(p.consumption()[ph] - p.production()[ph]);
        }
        assertThat(p.production()[0] + p.production()[1] + p.production()[2]).isGreaterThan(1000);
        SimulatedMeter.Point night = meter.point(at("2026-06-21T02:00:00"));
        assertThat(night.production()).containsExactly(0, 0, 0);
        assertThat(java.util.Arrays.stream(night.grid()).min().getAsInt()).isPositive();
    }
}
