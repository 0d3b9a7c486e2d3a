package dev.ecubridge.meter;

import java.time.Instant;

/**
 * One point of the meter's 5-minute series, at the meter's own time.
 *
 * @param production the production clamps ({@code power1})
 * @param grid       the grid clamps ({@code power2}): positive = import, negative = export
 */
public record MeterPoint(Instant time, Phases production, Phases grid) {

    /** What the house uses: production plus what comes from the grid (minus what goes to it). */
    public Phases consumption() {
        return production.plus(grid);
    }
}
