package dev.ecubridge.protocol;

import java.util.Map;

/**
 * What each inverter family can deliver, from the makers' data sheets (rounded up): the most one channel (PV input) can
 * report in W, and the highest AC voltage it reports (line to line for three-phase QT2, phase to neutral for the
 * others). The quality gate bounds power readings and energy increases with these; they never drive decoding.
 */
public final class InverterRatings {

    /** @param channelWatts the most one channel reports, in W; maxAcVolts the highest plausible AC voltage */
    public record Rating(int channelWatts, int maxAcVolts) {
    }

    /** For families not in the table: generous, so that a new model is not cut off. */
    public static final Rating UNKNOWN = new Rating(600, 530);

    private static final Rating SINGLE_PHASE_300 = new Rating(300, 300);

    private static final Map<String, Rating> BY_FAMILY = Map.ofEntries(
            Map.entry("YC500", new Rating(250, 300)),
            Map.entry("YC600", SINGLE_PHASE_300),
            Map.entry("YC600-T", SINGLE_PHASE_300),
            Map.entry("YC600-Y", SINGLE_PHASE_300),
            Map.entry("YC1000", SINGLE_PHASE_300),
            Map.entry("YC1000-3", SINGLE_PHASE_300),
            Map.entry("DS3", new Rating(440, 300)),
            Map.entry("DS3-S", new Rating(320, 300)),
            Map.entry("DS3-H", new Rating(480, 300)),
            Map.entry("QS1", SINGLE_PHASE_300),
            Map.entry("QS1A", new Rating(400, 300)),
            Map.entry("QT2", new Rating(500, 530)));

    private InverterRatings() {
    }

    /** The rating of a family as {@link Models#inverterModel} names it. */
    public static Rating of(String family) {
        return BY_FAMILY.getOrDefault(family, UNKNOWN);
    }
}
