package dev.ecubridge.gate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;

/** The rules for the ECU's data time: near this machine's clock, and advancing. */
public final class DataTimeRules {

    private DataTimeRules() {
    }

    /** "future" or "past" when {@code time} lies more than {@code maxSkew} from {@code now}, else null. */
    public static String outsideWindow(Instant time, Instant now, Duration maxSkew) {
        if (time.isAfter(now.plus(maxSkew))) {
            return "future";
        }
        if (time.isBefore(now.minus(maxSkew))) {
            return "past";
        }
        return null;
    }

    /** Each data time must be after the last good one. */
    public static Rule<LocalDateTime> advancing() {
        return (reference, referenceAt, value, at) -> value.isAfter(reference) ? null : "not after the last data time " + reference;
    }
}
