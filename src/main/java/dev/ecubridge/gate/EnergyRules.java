package dev.ecubridge.gate;

import java.time.Duration;
import java.util.Locale;

/**
 * The rules for the ECU's energy counters (kWh): they never go down, and rise at most by what the installed inverters
 * can produce between two readings ({@code capacityW} × margin × hours, plus the counter's resolution).
 */
public final class EnergyRules {

    /** One step of the lifetime counter (0.1 kWh) and rounding of today's (0.01 kWh). */
    static final double RESOLUTION_KWH = 0.2;

    private EnergyRules() {
    }

    /** The most energy {@code capacityW} can produce in {@code elapsed}, with the margin and the counter's resolution. */
    public static double maxIncreaseKwh(double capacityW, double margin, Duration elapsed) {
        double hours = Math.max(0, elapsed.toSeconds()) / 3600.0;
        return capacityW * margin * hours / 1000 + RESOLUTION_KWH;
    }

    /**
     * @param what e.g. "the last good value" or "earlier today", for the reason
     */
    public static Rule<Double> counter(double capacityW, double margin, String what) {
        return (reference, referenceAt, value, at) -> {
            if (value < reference) {
                return "below " + what + " " + reference + " kWh";
            }
            if (referenceAt == null) {
                return null; // a reference saved without its time: only the decrease can be judged
            }
            Duration elapsed = Duration.between(referenceAt, at);
            double max = maxIncreaseKwh(capacityW, margin, elapsed);
            if (value - reference > max) {
                return String.format(Locale.ROOT, "+%.1f kWh in %d min, more than the %.0f W installed can produce (%.1f kWh)",
                        value - reference, elapsed.toMinutes(), capacityW, max);
            }
            return null;
        };
    }
}
