package dev.ecubridge.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How each ECU is doing: failed cycles in a row, when it last answered, and what follows from it. An ECU that fails
 * {@code downAfter} cycles in a row is down: it is polled with a backoff (the interval doubles with each further
 * failure, up to {@code maxBackoff}) so that a hung ECU is not hammered, and after {@code recoverAfter} failures a
 * recovery hook may fire (at most once per {@code cooldown}). One answer brings everything back to normal.
 */
public final class EcuHealth {

    private static final Logger LOG = LoggerFactory.getLogger(EcuHealth.class);

    private final Clock clock;
    private final int downAfter;
    private final Duration interval;
    private final Duration maxBackoff;
    private final int recoverAfter;
    private final Duration cooldown;
    private final Map<String, Tracker> ecus = new ConcurrentHashMap<>();

    /** A view of one ECU, for health checks and logs. */
    /** @param staleSince when the ECU's data time last advanced, while it has not for too long (it answers, but nothing new) */
    public record Status(String ecu, String ecuId, int failuresInARow, String lastFailure, Instant lastSuccess,
                         Instant nextPoll, boolean down, Instant staleSince) {

        public boolean stale() {
            return staleSince != null;
        }
    }

    /** What a failure implies: the ECU just went down, and/or the recovery hook should fire now. */
    public record Outcome(boolean wentDown, boolean recover, int failuresInARow) {
    }

    /**
     * What travels with an ECU to its next owner in cluster mode: its failures in a row and when it may be polled again
     * (the backoff of a down ECU), its ECU id and last answer.
     *
     * @param nextPoll null: whenever due
     */
    public record Backoff(String ecuId, int failuresInARow, String lastFailure, Instant lastSuccess, Instant nextPoll) {
    }

    private static final class Tracker {
        String ecuId;
        int failures;
        String lastFailure;
        Instant lastSuccess;
        Instant nextPoll = Instant.MIN;
        Instant lastRecovery;
        Instant staleSince;
    }

    public EcuHealth(Clock clock, int downAfter, Duration interval, Duration maxBackoff, int recoverAfter, Duration cooldown) {
        this.clock = clock;
        this.downAfter = downAfter;
        this.interval = interval;
        this.maxBackoff = maxBackoff;
        this.recoverAfter = recoverAfter;
        this.cooldown = cooldown;
    }

    /** Registers an ECU before its first poll, so that health shows it from the start. */
    public void watch(String ecu) {
        ecus.computeIfAbsent(ecu, k -> new Tracker());
    }

    /** An ECU that is no longer polled. */
    public void forget(String ecu) {
        ecus.remove(ecu);
    }

    public Backoff backoff(String ecu) {
        Tracker t = tracker(ecu);
        synchronized (t) {
            return new Backoff(t.ecuId, t.failures, t.lastFailure, t.lastSuccess, t.nextPoll == Instant.MIN ? null : t.nextPoll);
        }
    }

    /** Goes on from what another instance knew of the ECU ({@link #backoff}). */
    public void restore(String ecu, Backoff b) {
        Tracker t = tracker(ecu);
        synchronized (t) {
            t.ecuId = b.ecuId();
            t.failures = b.failuresInARow();
            t.lastFailure = b.lastFailure();
            t.lastSuccess = b.lastSuccess();
            t.nextPoll = b.nextPoll() == null ? Instant.MIN : b.nextPoll();
        }
    }

    /** False while a down ECU waits for its next attempt. */
    public boolean due(String ecu) {
        Tracker t = tracker(ecu);
        synchronized (t) {
            return !clock.instant().isBefore(t.nextPoll);
        }
    }

    public void answered(String ecu, String ecuId) {
        Tracker t = tracker(ecu);
        synchronized (t) {
            if (t.failures >= downAfter) {
                LOG.info("ECU {}: answers again after {} failed cycles", ecu, t.failures);
            }
            t.ecuId = ecuId;
            t.failures = 0;
            t.lastSuccess = clock.instant();
            t.nextPoll = Instant.MIN;
        }
    }

    public Outcome failed(String ecu, String kind) {
        Tracker t = tracker(ecu);
        synchronized (t) {
            t.failures++;
            t.lastFailure = kind;
            Instant now = clock.instant();
            boolean wentDown = t.failures == downAfter;
            if (t.failures >= downAfter) {
                int doublings = Math.min(20, t.failures - downAfter);
                Duration wait = interval.multipliedBy(1L << doublings);
                if (wait.compareTo(maxBackoff) > 0) {
                    wait = maxBackoff;
                }
                t.nextPoll = now.plus(wait).minusMillis(interval.toMillis() / 2);
                if (wentDown) {
                    LOG.warn("ECU {}: down after {} failed cycles in a row; polling less often, up to every {} s",
                            ecu, t.failures, maxBackoff.toSeconds());
                }
            }
            boolean recover = recoverAfter > 0 && t.failures >= recoverAfter
                    && (t.lastRecovery == null || !now.isBefore(t.lastRecovery.plus(cooldown)));
            if (recover) {
                t.lastRecovery = now;
            }
            return new Outcome(wentDown, recover, t.failures);
        }
    }

    /** What the quality gate says about the ECU's data time: null while it advances. */
    public void dataStale(String ecu, Instant staleSince) {
        Tracker t = tracker(ecu);
        synchronized (t) {
            t.staleSince = staleSince;
        }
    }

    public String ecuId(String ecu) {
        return tracker(ecu).ecuId;
    }

    public List<Status> all() {
        List<Status> out = new ArrayList<>();
        ecus.forEach((ecu, t) -> out.add(status(ecu, t)));
        return out;
    }

    /** One ECU, or null when it is not watched. */
    public Status status(String ecu) {
        Tracker t = ecus.get(ecu);
        return t == null ? null : status(ecu, t);
    }

    private Status status(String ecu, Tracker t) {
        synchronized (t) {
            return new Status(ecu, t.ecuId, t.failures, t.lastFailure, t.lastSuccess,
                    t.nextPoll == Instant.MIN ? null : t.nextPoll, t.failures >= downAfter, t.staleSince);
        }
    }

    private Tracker tracker(String ecu) {
        return ecus.computeIfAbsent(ecu, k -> new Tracker());
    }
}
