package dev.ecubridge.metrics;

import dev.ecubridge.poll.EcuHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code ecubridge_ecu_up{ecu}}: 1 while the ECU answers and its data advances, 0 while it is down or stale (as health). */
public final class EcuAvailability {

    private EcuAvailability() {
    }

    public static void register(MeterRegistry meters, EcuHealth health, String ecu) {
        Gauge.builder("ecubridge.ecu.up", health, h -> up(h, ecu))
                .description("1 while the ECU answers and its data time advances, 0 while it is down or stale (as health)")
                .tag("ecu", ecu)
                .strongReference(true)
                .register(meters);
    }

    /** One ECU's status, not a search of all: a scrape reads this gauge for every ECU of the fleet. */
    private static double up(EcuHealth health, String ecu) {
        EcuHealth.Status s = health.status(ecu);
        return s == null || s.down() || s.stale() ? 0.0 : 1.0;
    }
}
