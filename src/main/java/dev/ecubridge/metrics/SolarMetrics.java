package dev.ecubridge.metrics;

import dev.ecubridge.exchange.ExchangeProperties;
import dev.ecubridge.snapshot.InverterSnapshot;
import dev.ecubridge.snapshot.InverterSnapshot.Channel;
import dev.ecubridge.snapshot.Snapshot;
import dev.ecubridge.sinks.Quantities;
import dev.ecubridge.sinks.Quantity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * The solar data in Prometheus: a gauge per {@link Quantities} entry with a Prometheus name (registered under that
 * name, so the table is what a scrape shows), fed from each published snapshot (the {@code publish} route). Each ECU's
 * series are exactly those of its last snapshot: a value that is no data (offline inverter, rejected value) and an
 * inverter the ECU no longer reports are removed, not left at their last number, so the number of series stays bounded
 * whatever uids an ECU sends. Labels: {@code ecu} (the configured name), {@code ecu_id}, {@code inverter_uid},
 * {@code channel}.
 */
public final class SolarMetrics {

    /** One gauge read from records of one level; a null value is no data. */
    private record Metric<T>(String name, String help, Function<T, ?> value) {

        static <T> List<Metric<T>> of(List<Quantity<T>> quantities) {
            return quantities.stream().filter(q -> q.prometheus() != null)
                    .map(q -> new Metric<T>(q.prometheus(), q.help(), s -> q.existsFor(s) ? q.valueOf(s) : null))
                    .toList();
        }

        Double read(T record) {
            Object v = value.apply(record);
            if (v instanceof Boolean b) {
                return b ? 1.0 : 0.0;
            }
            return v instanceof Number n ? n.doubleValue() : null;
        }
    }

    /**
     * The one gauge that is no published quantity: the other sinks stamp their records with the ECU's data time, while
     * Prometheus stamps samples with the scrape time, so only here is the data time a value (to alert on its age).
     */
    private static final Metric<Snapshot> LAST_DATA_TIME = new Metric<>("ecubridge_ecu_last_data_time_seconds",
            "The ECU's data time of the last published snapshot, in unix seconds; alert on time() minus this.",
            s -> s.time().getEpochSecond());

    private static final List<Metric<Snapshot>> ECU =
            Stream.concat(Metric.of(Quantities.ECU).stream(), Stream.of(LAST_DATA_TIME)).toList();
    private static final List<Metric<InverterSnapshot>> INVERTER = Metric.of(Quantities.INVERTER);
    private static final List<Metric<Channel>> CHANNEL = Metric.of(Quantities.CHANNEL);

    private record Series(Gauge gauge, AtomicReference<Double> value) {
    }

    private record Key(Metric<?> metric, Tags tags) {
    }

    /** How much of the solar data becomes series: a home wants every channel, a fleet of thousands the ECUs only. */
    public enum Detail {
        ALL, ECU, NONE;

        /** "all", "ecu" or "none" ({@code ecubridge.prometheus.solar-series}); null for anything else. */
        public static Detail of(String word) {
            for (Detail d : values()) {
                if (d.name().equalsIgnoreCase(word.trim())) {
                    return d;
                }
            }
            return null;
        }
    }

    private final MeterRegistry meters;
    private final Detail detail;
    private final boolean countersAtZero;
    private final Map<String, Map<Key, Series>> byEcu = new HashMap<>();
    private final Set<String> ecuIds = new HashSet<>();

    public SolarMetrics(MeterRegistry meters) {
        this(meters, Detail.ALL, true);
    }

    /** @param countersAtZero register the counters of each ECU id at 0 with its first snapshot ({@link CountersAtZero}) */
    public SolarMetrics(MeterRegistry meters, Detail detail, boolean countersAtZero) {
        this.meters = meters;
        this.detail = detail;
        this.countersAtZero = countersAtZero;
    }

    /** @param ecu the configured name of the ECU that was polled */
    public synchronized void update(@ExchangeProperty(ExchangeProperties.ECU) String ecu, @Body Snapshot snapshot) {
        if (countersAtZero && ecuIds.add(snapshot.ecuId())) {
            CountersAtZero.ecuId(meters, snapshot.ecuId());
        }
        if (detail == Detail.NONE) {
            return;
        }
        Map<Key, Double> now = new HashMap<>();
        Tags ecuTags = Tags.of("ecu", ecu, "ecu_id", snapshot.ecuId());
        read(now, ECU, snapshot, ecuTags);
        for (InverterSnapshot inverter : detail == Detail.ALL ? snapshot.inverters() : List.<InverterSnapshot>of()) {
            Tags inverterTags = ecuTags.and("inverter_uid", inverter.uid());
            read(now, INVERTER, inverter, inverterTags);
            for (Channel channel : inverter.channels()) {
                read(now, CHANNEL, channel, inverterTags.and("channel", String.valueOf(channel.channel())));
            }
        }
        Map<Key, Series> series = byEcu.computeIfAbsent(ecu, e -> new HashMap<>());
        series.entrySet().removeIf(e -> {
            if (now.containsKey(e.getKey())) {
                return false;
            }
            meters.remove(e.getValue().gauge());
            return true;
        });
        now.forEach((key, value) -> series.computeIfAbsent(key, this::register).value().set(value));
    }

    private static <T> void read(Map<Key, Double> into, List<Metric<T>> metrics, T record, Tags tags) {
        for (Metric<T> metric : metrics) {
            Double value = metric.read(record);
            if (value != null) {
                into.put(new Key(metric, tags), value);
            }
        }
    }

    private Series register(Key key) {
        AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
        Gauge gauge = Gauge.builder(key.metric().name(), value, AtomicReference::get)
                .description(key.metric().help())
                .tags(key.tags())
                .strongReference(true)
                .register(meters);
        return new Series(gauge, value);
    }
}
