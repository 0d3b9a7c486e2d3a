package dev.ecubridge.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WARN line of a skipped cycle, at most once per ECU, kind and {@code quiet} period: an ECU that fails every
 * minute for a night gives a few lines, not hundreds (the counter still counts each). The first failure of a kind,
 * and the first after the ECU answered again, is always logged; a line after a quiet period says how many it
 * left out. State is one entry per ECU and kind, dropped when the ECU answers.
 */
public final class FailureLog {

    private static final Logger LOG = LoggerFactory.getLogger(PollCycle.class);

    private final Clock clock;
    private final Duration quiet;
    private final Map<String, Map<String, Throttle>> ecus = new ConcurrentHashMap<>();

    private static final class Throttle {
        Instant logged;
        int suppressed;
    }

    public FailureLog(Clock clock, Duration quiet) {
        this.clock = clock;
        this.quiet = quiet;
    }

    /** Logs "ECU roof: cycle skipped (timeout): ..." unless this ECU logged that kind within the quiet period. */
    public void failed(String ecu, String kind, String explanation) {
        Map<String, Throttle> kinds = ecus.computeIfAbsent(ecu, k -> new HashMap<>());
        int suppressed;
        synchronized (kinds) {
            Throttle t = kinds.computeIfAbsent(kind, k -> new Throttle());
            Instant now = clock.instant();
            if (t.logged != null && now.isBefore(t.logged.plus(quiet))) {
                t.suppressed++;
                return;
            }
            suppressed = t.suppressed;
            t.logged = now;
            t.suppressed = 0;
        }
        if (suppressed == 0) {
            LOG.warn("ECU {}: cycle skipped ({}): {}", ecu, kind, explanation);
        } else {
            LOG.warn("ECU {}: cycle skipped ({}): {} ({} more since the last line, not logged)", ecu, kind, explanation,
                    suppressed);
        }
    }

    /** The ECU answered: its next failure of any kind is logged at once. */
    public void answered(String ecu) {
        ecus.remove(ecu);
    }
}
