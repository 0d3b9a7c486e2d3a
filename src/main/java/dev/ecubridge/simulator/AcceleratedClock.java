package dev.ecubridge.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/** A clock that starts at a chosen instant and runs {@code speed} times faster than real time. */
public final class AcceleratedClock extends Clock {

    private final Instant start;
    private final double speed;
    private final long startNanos;
    private final ZoneId zone;

    public AcceleratedClock(Instant start, double speed, ZoneId zone) {
        this(start, speed, zone, System.nanoTime());
    }

    private AcceleratedClock(Instant start, double speed, ZoneId zone, long startNanos) {
        if (speed <= 0) {
            throw new IllegalArgumentException("speed must be positive: " + speed);
        }
        this.start = start;
        this.speed = speed;
        this.zone = zone;
        this.startNanos = startNanos;
    }

    @Override
    public Instant instant() {
        long elapsed = System.nanoTime() - startNanos;
        return start.plusNanos((long) (elapsed * speed));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new AcceleratedClock(start, speed, newZone, startNanos);
    }
}
