package dev.ecubridge.app;

import dev.ecubridge.poll.EcuHealth;
import dev.ecubridge.meter.MeterReads;
import java.time.ZoneId;
import dev.ecubridge.readings.ReadingsConsumer;
import dev.ecubridge.sinks.Sink;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness per ECU (DOWN while it is down: failed cycles in a row, or stale: its data time stopped advancing) and per
 * enabled sink (DOWN while its outbox holds deliveries it could not take, with the reason, or cannot write to disk).
 * Not liveness checks: restarting the bridge would not bring an ECU or a database back.
 */
final class BridgeHealthChecks {

    private BridgeHealthChecks() {
    }

    static AbstractHealthCheck ecu(EcuHealth health, String ecu) {
        return new Readiness("ecu-" + ecu, builder -> {
            EcuHealth.Status s = health.status(ecu);
            if (s == null) {
                builder.unknown();
                return;
            }
            builder.detail("ecu_id", s.ecuId()).detail("failures_in_a_row", s.failuresInARow())
                    .detail("last_failure", s.lastFailure()).detail("last_success", s.lastSuccess())
                    .detail("next_poll", s.nextPoll()).detail("data_stale_since", s.staleSince());
            if (s.down()) {
                builder.down().message("no answer in " + s.failuresInARow() + " cycles (" + s.lastFailure() + ")");
            } else if (s.stale()) {
                // it answers, but nothing new reaches the sinks: alerting on readiness should see it
                builder.down().message("stale: the ECU answers, but its data time has not advanced since " + s.staleSince());
            } else {
                builder.up();
            }
        });
    }

    static AbstractHealthCheck sink(String name, Sink sink) {
        return new Readiness("sink-" + name, builder -> upUnless(builder.detail("outbox_depth", sink.outbox().size()),
                sink.problem()));
    }

    /** A sink reading the readings topic (cluster mode): DOWN while it cannot write (its readings wait in Kafka). */
    static AbstractHealthCheck readings(ReadingsConsumer consumer) {
        return new Readiness("readings-" + consumer.sink(), builder -> upUnless(builder, consumer.problem()));
    }

    /** UP, or DOWN with the problem. */
    private static void upUnless(HealthCheckResultBuilder builder, String problem) {
        if (problem != null) {
            builder.down().message(problem);
        } else {
            builder.up();
        }
    }

    /** Cluster mode: the partitions and ECUs this instance owns; DOWN while the zombie guard holds requests back. */
    static AbstractHealthCheck cluster(dev.ecubridge.cluster.ClusterMembership membership) {
        return new Readiness("cluster", builder -> {
            builder.detail("partitions", membership.partitionIds().toString()).detail("ecus", membership.ecus());
            if (membership.mayConnect()) {
                builder.up();
            } else {
                builder.down().message("group membership not confirmed: no request to any ECU");
            }
        });
    }

    /** The ECU-C's meter, apart from its ECU: DOWN while its reads fail (not for the empty series after midnight). */
    static AbstractHealthCheck meter(MeterReads reads, String meter, ZoneId zone) {
        return new Readiness("meter-" + meter, builder -> {
            MeterReads.Status s = reads.status(meter);
            builder.detail("failures_in_a_row", s.failuresInARow())
                    .detail("last_failure", s.lastFailure() == null ? null : s.lastFailure().kind().word())
                    .detail("last_success", s.lastSuccess()).detail("last_point", s.lastPoint());
            if (s.down(zone)) {
                builder.down().message("meter read failed " + s.failuresInARow() + " times in a row ("
                        + s.lastFailure().kind().word() + "): " + s.lastFailure().explanation());
            } else {
                builder.up();
            }
        });
    }

    private interface Check {
        void call(HealthCheckResultBuilder builder);
    }

    private static final class Readiness extends AbstractHealthCheck {
        private final Check check;

        Readiness(String id, Check check) {
            super("ecu-bridge", id);
            this.check = check;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            check.call(builder);
        }
    }
}
