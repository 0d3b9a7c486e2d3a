package dev.ecubridge.gate;

import java.time.Duration;

/**
 * The settings of the quality gate ({@code ecubridge.plausibility.*}).
 *
 * @param maxClockSkew        how far the ECU's data time (read in its zone) may lie from this machine's clock
 * @param rebaseAfter         consistent readings in a row that overrule a reference they contradict
 * @param energyMargin        factor on the installed inverters' rating, for energy increases and channel power
 * @param staleAfterRefreshes ECU refresh periods (300 s) without a new data time after which the ECU is stale; 0: never
 */
public record Plausibility(Duration maxClockSkew, int rebaseAfter, double energyMargin, int staleAfterRefreshes) {

    /** An ECU refreshes its data every 5 minutes. */
    public static final Duration ECU_REFRESH = Duration.ofSeconds(300);

    /** ±15 h: an ECU-R/B read in this machine's zone (UTC in a container) may be anywhere from UTC-12 to UTC+14. */
    public static final Plausibility DEFAULTS = new Plausibility(Duration.ofMinutes(900), 3, 1.5, 6);

    public Duration staleAfter() {
        return ECU_REFRESH.multipliedBy(staleAfterRefreshes);
    }
}
