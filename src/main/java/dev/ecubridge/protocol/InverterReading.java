package dev.ecubridge.protocol;

import java.util.List;

/**
 * One inverter record of a realtime reply, as read: an offline inverter's numbers are stale and are kept here;
 * what to publish for them is the pipeline's decision.
 *
 * @param frequencyHz  null for a type {@code 00} record (registered, never reported)
 * @param temperatureC null for type {@code 00}
 * @param powerW       per channel; empty for type {@code 00}
 * @param voltageV     AC voltage per phase (1 or 2 values for single-phase layouts, 3 for three-phase)
 */
public record InverterReading(
        String uid,
        boolean online,
        String typeCode,
        Double frequencyHz,
        Integer temperatureC,
        List<Integer> powerW,
        List<Integer> voltageV) {

    public InverterReading {
        powerW = List.copyOf(powerW);
        voltageV = List.copyOf(voltageV);
    }

    /** Model family from the uid prefix, for display only; the layout comes from the type code. */
    public String model() {
        return Models.inverterModel(uid);
    }

    public boolean hasTelemetry() {
        return frequencyHz != null;
    }

    public int totalPowerW() {
        int sum = 0;
        for (int p : powerW) {
            sum += p;
        }
        return sum;
    }
}
