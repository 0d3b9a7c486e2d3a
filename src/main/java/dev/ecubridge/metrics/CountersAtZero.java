package dev.ecubridge.metrics;

import dev.ecubridge.poll.FailureKinds;
import dev.ecubridge.gate.ValueRanges;
import dev.ecubridge.protocol.InverterLayout.Quantity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.stream.Stream;

/**
 * Counters that exist from the start at 0, so that a rate or an alert sees a change from the first failure on
 * (Prometheus sees nothing of a counter that appears only once it is 1). Counters labelled {@code ecu} (the configured
 * name) are registered at start, those labelled {@code ecu_id} with the first snapshot of that ECU.
 */
public final class CountersAtZero {

    /** Label values shared by all ECUs' counters (a fleet registers dozens per ECU): made once, not per counter. */
    private static final List<Tag> KINDS = tags("kind", FailureKinds.ALL);
    private static final List<Tag> TIME_REASONS = tags("reason", List.of("future", "past", "backwards"));
    private static final List<Tag> ENERGY_COUNTERS = tags("counter", List.of("lifetime", "today"));
    private static final List<Tag> QUANTITIES = tags("quantity", Stream.concat(Stream.of("ecu-power"),
            Stream.of(Quantity.values()).map(ValueRanges::label)).toList());
    private static final List<Tag> DROP_REASONS = tags("reason", List.of("bad-uid", "duplicate-uid"));

    private CountersAtZero() {
    }

    public static void ecu(MeterRegistry meters, String ecu) {
        Tag tag = Tag.of("ecu", ecu);
        meters.counter("ecubridge.poll.cycles", Tags.of(tag));
        for (Tag kind : KINDS) {
            meters.counter("ecubridge.poll.failures", Tags.of(tag, kind));
        }
        meters.counter("ecubridge.recovery.calls", Tags.of(tag));
        meters.counter("ecubridge.decode.partial", Tags.of(tag));
    }

    public static void ecuId(MeterRegistry meters, String ecuId) {
        Tag tag = Tag.of("ecu_id", ecuId);
        meters.counter("ecubridge.snapshots.published", Tags.of(tag));
        meters.counter("ecubridge.snapshots.duplicate", Tags.of(tag));
        meters.counter("ecubridge.gate.rebased", Tags.of(tag));
        TIME_REASONS.forEach(reason -> meters.counter("ecubridge.time.rejected", Tags.of(tag, reason)));
        ENERGY_COUNTERS.forEach(counter -> meters.counter("ecubridge.energy.rejected", Tags.of(tag, counter)));
        QUANTITIES.forEach(quantity -> meters.counter("ecubridge.values.rejected", Tags.of(tag, quantity)));
        DROP_REASONS.forEach(reason -> meters.counter("ecubridge.inverters.dropped", Tags.of(tag, reason)));
    }

    private static List<Tag> tags(String key, List<String> values) {
        return values.stream().map(v -> Tag.of(key, v)).toList();
    }

    public static void outbox(MeterRegistry meters, String sink) {
        meters.counter("ecubridge.outbox.stored", "sink", sink);
        meters.counter("ecubridge.outbox.replayed", "sink", sink);
        for (String reason : List.of("full", "age", "rejected", "corrupt", "disk")) {
            meters.counter("ecubridge.outbox.dropped", "sink", sink, "reason", reason);
        }
    }
}
