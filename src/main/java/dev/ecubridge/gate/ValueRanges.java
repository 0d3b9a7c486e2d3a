package dev.ecubridge.gate;

import dev.ecubridge.protocol.InverterLayout.Quantity;
import dev.ecubridge.protocol.InverterRatings.Rating;
import java.util.Locale;

/**
 * Physical ranges per quantity: a reading outside them is "no data", never a number to publish. They also catch the
 * raw "no value" patterns (0xFFFF reads as 6553.5 Hz, 65435 °C, 65535 W or V). Power is bounded per channel by the
 * model's rating times the margin, AC voltage by the model's highest voltage (QT2 reports line to line).
 */
public final class ValueRanges {

    /** @param min lowest plausible value; max highest, both inclusive */
    public record Range(double min, double max) {
        public boolean contains(double value) {
            return value >= min && value <= max;
        }
    }

    private static final Range FREQUENCY_HZ = new Range(45, 65);
    private static final Range TEMPERATURE_C = new Range(-40, 100);
    private static final int MIN_AC_VOLTS = 80;

    private ValueRanges() {
    }

    public static Range of(Quantity quantity, Rating rating, double margin) {
        switch (quantity) {
            case FREQUENCY_HZ: return FREQUENCY_HZ;
            case TEMPERATURE_C: return TEMPERATURE_C;
            case VOLTAGE_V: return new Range(MIN_AC_VOLTS, rating.maxAcVolts());
            case POWER_W: return new Range(0, rating.channelWatts() * margin);
            default: throw new IllegalArgumentException(quantity.name());
        }
    }

    /** The metric label of a quantity: frequency, temperature, voltage, power. */
    public static String label(Quantity quantity) {
        String name = quantity.name().toLowerCase(Locale.ROOT);
        return name.substring(0, name.indexOf('_'));
    }
}
