package dev.ecubridge.gate;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether an ECU's data time still advances: an ECU that answers but repeats (or keeps sending rejected) data times
 * for {@code after} is stale. Measured on this machine's clock, since the ECU's own has stopped. Not thread-safe: one
 * per ECU, used under its lock.
 */
public final class StaleData {

    private final Duration after;
    private Instant lastAdvance;
    private boolean stale;

    /** @param after zero: never stale */
    public StaleData(Duration after) {
        this.after = after;
    }

    /** A new data time was accepted at {@code now}; true when the ECU was stale until now. */
    public boolean advanced(Instant now) {
        boolean was = stale;
        lastAdvance = now;
        stale = false;
        return was;
    }

    /** A cycle brought no new data time; true when the ECU has just become stale. */
    public boolean unchanged(Instant now) {
        if (lastAdvance == null) {
            lastAdvance = now;
        }
        if (!stale && !after.isZero() && !now.isBefore(lastAdvance.plus(after))) {
            stale = true;
            return true;
        }
        return false;
    }

    /** When the data time last advanced, while stale; else null. */
    public Instant staleSince() {
        return stale ? lastAdvance : null;
    }
}
