package dev.ecubridge.gate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one log line per key (an ECU and a kind of problem) and period: an ECU that repeats a problem every cycle
 * gives one line an hour, the counters count every occurrence. Keys are few (ECUs × kinds), so the map stays small.
 */
public final class LogLimiter {

    private final Clock clock;
    private final Duration period;
    private final Map<String, Instant> last = new ConcurrentHashMap<>();

    public LogLimiter(Clock clock, Duration period) {
        this.clock = clock;
        this.period = period;
    }

    /** True when a line for {@code key} may be logged now (and remembers that it was). */
    public boolean allow(String key) {
        Instant now = clock.instant();
        boolean[] allowed = {false};
        last.compute(key, (k, before) -> {
            if (before == null || !now.isBefore(before.plus(period))) {
                allowed[0] = true;
                return now;
            }
            return before;
        });
        return allowed[0];
    }
}
