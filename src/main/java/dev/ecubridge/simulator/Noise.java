package dev.ecubridge.simulator;

/** Deterministic pseudo-random values from (seed, key...): the same inputs always give the same number. */
final class Noise {

    private Noise() {
    }

    static long mix(long seed, long... keys) {
        long z = seed;
        for (long k : keys) {
            z += k * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
        }
        return z;
    }

    /** Uniform in [0, 1). */
    static double unit(long seed, long... keys) {
        return (mix(seed, keys) >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [from, to). */
    static double between(double from, double to, long seed, long... keys) {
        return from + (to - from) * unit(seed, keys);
    }
}
