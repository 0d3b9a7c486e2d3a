package dev.ecubridge.simulator;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A house's consumption per phase, for a simulated ECU-C's meter: a base load, a morning and an evening peak (stronger
 * in winter), and noise per 5-minute slot, all from the site's seed.
 */
final class HouseLoad {

    private final long seed;
    private final ZoneId zone;

    HouseLoad(long seed, ZoneId zone) {
        this.seed = seed;
        this.zone = zone;
    }

    /** Watts on phases A, B and C at {@code t}. */
    int[] watts(Instant t) {
        ZonedDateTime local = t.atZone(zone);
        double hour = local.getHour() + local.getMinute() / 60.0;
        double winter = 1 + 0.4 * Math.cos((local.getDayOfYear() - 15) / 365.0 * 2 * Math.PI);
        double peaks = 900 * bump(hour, 7.5, 1.0) + 1600 * bump(hour, 19.0, 1.8);
        long slot = t.getEpochSecond() / SimulatedEcu.REFRESH_SECONDS;
        int[] phases = new int[3];
        double[] share = {0.5, 0.3, 0.2};
        for (int ph = 0; ph < 3; ph++) {
            double base = Noise.between(60, 160, seed, 20, ph);
            double noise = Noise.between(0.8, 1.25, seed, 21, ph, slot);
            phases[ph] = (int) Math.round((base + peaks * share[ph] * winter) * noise);
        }
        return phases;
    }

    private static double bump(double hour, double center, double width) {
        double x = (hour - center) / width;
        return Math.exp(-x * x);
    }
}
