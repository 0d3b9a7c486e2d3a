package dev.ecubridge.protocol;

import java.time.LocalDate;
import java.util.List;

/**
 * {@code 0004} energy per day for a week, month or year (spec §7). Group {@code 11} replies carry u16 values,
 * group {@code 12} replies u32; both are hundredths of a kWh.
 */
public record EnergyHistoryReply(String group, EnergyPeriod period, List<Day> days) implements EcuReply {

    public EnergyHistoryReply {
        days = List.copyOf(days);
    }

    @Override
    public EcuCommand command() {
        return EcuCommand.ENERGY_HISTORY;
    }

    /** @param date null where the BCD date is not valid */
    public record Day(LocalDate date, long energyRaw) {
        public double energyKwh() {
            return energyRaw / 100.0;
        }
    }
}
