package dev.ecubridge.poll;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.simulator.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EcuHealthTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-21T10:00:00Z"), ZoneOffset.UTC);
    private final EcuHealth health = new EcuHealth(clock, 3, Duration.ofSeconds(300), Duration.ofMinutes(30), 5,
            Duration.ofMinutes(60));

    @Test
    void aDownEcuIsPolledWithADoublingBackoffUpToTheLimit() {
        health.failed("roof", "timeout");
        health.failed("roof", "timeout");
        assertThat(health.due("roof")).isTrue();
        assertThat(health.failed("roof", "connect").wentDown()).isTrue();
        assertThat(health.all().get(0).down()).isTrue();
        assertThat(waitUntilDue()).isEqualTo(Duration.ofSeconds(300));
        health.failed("roof", "connect");
        assertThat(waitUntilDue()).isEqualTo(Duration.ofSeconds(600));
        for (int i = 0; i < 10; i++) {
            health.failed("roof", "connect");
        }
        assertThat(waitUntilDue()).isEqualTo(Duration.ofMinutes(30));
        health.answered("roof", "216000000001");
        assertThat(health.due("roof")).isTrue();
        assertThat(health.all().get(0).down()).isFalse();
        assertThat(health.all().get(0).failuresInARow()).isZero();
    }

    @Test
    void theRecoveryHookFiresAfterNFailuresAndThenOncePerCooldown() {
        for (int i = 0; i < 4; i++) {
            assertThat(health.failed("roof", "connect").recover()).isFalse();
        }
        assertThat(health.failed("roof", "connect").recover()).isTrue();
        assertThat(health.failed("roof", "connect").recover()).isFalse();
        clock.advance(Duration.ofMinutes(61));
        assertThat(health.failed("roof", "connect").recover()).isTrue();
    }

    /** Advances the clock in 30 s steps until the ECU is due; returns the wait, rounded up to the poll grid. */
    private Duration waitUntilDue() {
        Instant start = clock.instant();
        while (!health.due("roof")) {
            clock.advance(Duration.ofSeconds(30));
        }
        Duration waited = Duration.between(start, clock.instant());
        return Duration.ofSeconds((waited.toSeconds() + 299) / 300 * 300);
    }
}
