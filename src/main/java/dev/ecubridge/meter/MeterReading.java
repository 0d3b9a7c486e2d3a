package dev.ecubridge.meter;

import java.time.Instant;
import java.time.ZonedDateTime;

/**
 * One published point of an ECU-C's meter: the powers of its series at the meter's own time, and the energies the
 * bridge integrated up to that time. Read by {@code sinks/Quantities.METER}.
 *
 * @param meter the ECU's name in {@code ecubridge.ecus}
 * @param ecuId the ECU's id once its 8899 cycle has told it, else null
 */
public record MeterReading(String meter, String ecuId, Instant time, ZonedDateTime localTime, Phases production,
                           Phases grid, Energies energies) {

    /** Energy in kWh, today (since local midnight) and since the bridge first read the meter; never decreasing. */
    public record Energies(double gridImportTodayKwh, double gridImportLifetimeKwh, double gridExportTodayKwh,
                           double gridExportLifetimeKwh, double consumptionTodayKwh, double consumptionLifetimeKwh,
                           double productionTodayKwh, double productionLifetimeKwh) {
    }

    public Phases consumption() {
        return production.plus(grid);
    }
}
