package dev.ecubridge.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry behind {@code /observe/metrics}, held to Prometheus' conventions (what {@code promtool check metrics}
 * checks) for Camel's meters too: labels in snake_case (Camel tags {@code routeId}, {@code camelContext}, ...), and a
 * HELP text on every metric (Camel registers most of its meters without a description).
 */
public final class PrometheusConventions {

    private PrometheusConventions() {
    }

    public static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(SNAKE_CASE_LABELS).meterFilter(HELP_ON_EVERY_METRIC);
        return registry;
    }

    static final MeterFilter SNAKE_CASE_LABELS = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            // the id as it is when its labels already are snake_case (all of ours): a fleet has half a million
            // meters, and a copy of every id and label was a tenth of the heap
            boolean same = true;
            for (Tag t : id.getTagsAsIterable()) {
                same &= snakeCase(t.getKey()).equals(t.getKey());
            }
            if (same) {
                return id;
            }
            List<Tag> tags = id.getTags().stream().map(t -> Tag.of(snakeCase(t.getKey()), t.getValue())).toList();
            return id.replaceTags(tags);
        }
    };

    static final MeterFilter HELP_ON_EVERY_METRIC = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            if (id.getDescription() != null && !id.getDescription().isBlank()) {
                return id;
            }
            return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                    HELP.getOrDefault(id.getName(), describe(id.getName())), id.getType());
        }
    };

    /** HELP of the bridge's own meters that are counted where they happen, without a description. */
    static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("ecubridge.poll.cycles", "Poll cycles that got all three replies from the ECU"),
            Map.entry("ecubridge.poll.due", "Poll cycles that fell due (ECUs backing off after failures are not due)"),
            Map.entry("ecubridge.poll.in-flight", "Poll cycles running now (at most ecubridge.max-cycles-in-flight)"),
            Map.entry("ecubridge.poll.failures", "Skipped poll cycles, by kind (README: When an ECU misbehaves)"),
            Map.entry("ecubridge.recovery.calls", "Calls of the recovery hook for an ECU that stopped answering"),
            Map.entry("ecubridge.decode.partial", "Realtime replies with an unknown inverter type, published up to it"),
            Map.entry("ecubridge.wire.discarded.frames", "Frames the ECU sent after its reply, dropped unread"),
            Map.entry("ecubridge.wire.discarded.bytes", "Bytes the ECU sent after its reply, dropped unread"),
            Map.entry("ecubridge.snapshots.published", "Snapshots handed to the sinks"),
            Map.entry("ecubridge.snapshots.duplicate", "Cycles that brought the same ECU data time again (nothing published)"),
            Map.entry("ecubridge.time.rejected", "ECU data times rejected by the quality gate, by reason"),
            Map.entry("ecubridge.energy.rejected", "Energy readings rejected by the quality gate, by counter"),
            Map.entry("ecubridge.values.rejected", "Values outside their physical range, published as no data, by quantity"),
            Map.entry("ecubridge.inverters.dropped", "Inverter records dropped for a bad or repeated uid, by reason"),
            Map.entry("ecubridge.gate.rebased", "Times the quality gate re-based a reference the ECU kept contradicting"),
            Map.entry("ecubridge.meter.failures", "Failed reads of an ECU-C grid meter, by kind"),
            Map.entry("ecubridge.meter.points", "Grid meter points published"),
            Map.entry("ecubridge.outbox.depth", "Deliveries waiting in the sink's outbox"),
            Map.entry("ecubridge.outbox.stored", "Deliveries stored in the sink's outbox"),
            Map.entry("ecubridge.outbox.replayed", "Deliveries replayed from the sink's outbox"),
            Map.entry("ecubridge.outbox.dropped", "Deliveries dropped from the sink's outbox, by reason"));

    /** {@code routeId} → {@code route_id}. */
    static String snakeCase(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').replace('-', '_').toLowerCase(Locale.ROOT);
    }

    /** A HELP text from the meter's name, for meters registered without one: {@code camel.exchanges.failed} → "Camel exchanges failed". */
    static String describe(String name) {
        String words = name.replace('.', ' ').replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
