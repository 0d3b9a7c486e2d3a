package dev.ecubridge.metrics;

import dev.ecubridge.poll.FailureKinds;
import dev.ecubridge.gate.ValueRanges;
import dev.ecubridge.protocol.InverterLayout.Quantity;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * Counters that exist from the start at 0, so that a rate or an alert sees a change from the first failure on
 * (Prometheus sees nothing of a counter that appears only once it is 1). Counters labelled {@code ecu} (the configured
 * name) are registered at start, those labelled {@code ecu_id} with the first snapshot of that ECU.
 */
public final class CountersAtZero {

    private CountersAtZero() {
    }

    public static void ecu(MeterRegistry meters, String ecu) {
        meters.counter("ecubridge.poll.cycles", "ecu", ecu);
        for (String kind : FailureKinds.ALL) {
            meters.counter("ecubridge.poll.failures", "ecu", ecu, "kind", kind);
        }
        meters.counter("ecubridge.recovery.calls", "ecu", ecu);
        meters.counter("ecubridge.decode.partial", "ecu", ecu);
    }

    public static void ecuId(MeterRegistry meters, String ecuId) {
        meters.counter("ecubridge.snapshots.published", "ecu_id", ecuId);
        meters.counter("ecubridge.snapshots.duplicate", "ecu_id", ecuId);
        meters.counter("ecubridge.gate.rebased", "ecu_id", ecuId);
        for (String reason : List.of("future", "past", "backwards")) {
            meters.counter("ecubridge.time.rejected", "ecu_id", ecuId, "reason", reason);
        }
        for (String counter : List.of("lifetime", "today")) {
            meters.counter("ecubridge.energy.rejected", "ecu_id", ecuId, "counter", counter);
        }
        meters.counter("ecubridge.values.rejected", "ecu_id", ecuId, "quantity", "ecu-power");
        for (Quantity quantity : Quantity.values()) {
            meters.counter("ecubridge.values.rejected", "ecu_id", ecuId, "quantity", ValueRanges.label(quantity));
        }
        for (String reason : List.of("bad-uid", "duplicate-uid")) {
            meters.counter("ecubridge.inverters.dropped", "ecu_id", ecuId, "reason", reason);
        }
    }

    public static void outbox(MeterRegistry meters, String sink) {
        meters.counter("ecubridge.outbox.stored", "sink", sink);
        meters.counter("ecubridge.outbox.replayed", "sink", sink);
        for (String reason : List.of("full", "age", "rejected", "corrupt", "disk")) {
            meters.counter("ecubridge.outbox.dropped", "sink", sink, "reason", reason);
        }
    }
}
