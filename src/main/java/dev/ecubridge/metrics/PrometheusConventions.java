package dev.ecubridge.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Locale;

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
            return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), describe(id.getName()),
                    id.getType());
        }
    };

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
