package dev.ecubridge.metrics;

import dev.ecubridge.conversion.InverterSnapshot;
import dev.ecubridge.conversion.Snapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * The gauges of {@link SolarGauges}, fed from each published snapshot (the {@code publish} route). Each ECU's series
 * are exactly those of its last snapshot: a value that is no data (offline inverter, rejected value) and an inverter
 * the ECU no longer reports are removed, not left at their last number, so the number of series stays bounded
 * whatever uids an ECU sends. Labels: {@code ecu} (the configured name), {@code ecu_id}, {@code inverter_uid},
 * {@code channel}.
 */
public final class SolarMetrics {

    private record Series(Gauge gauge, AtomicReference<Double> value) {
    }

    private record Key(SolarGauges.Row<?> row, Tags tags) {
    }

    private final MeterRegistry meters;
    private final Map<String, Map<Key, Series>> byEcu = new HashMap<>();
    private final Set<String> ecuIds = new HashSet<>();

    public SolarMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** @param ecu the configured name of the ECU that was polled */
    public synchronized void update(@ExchangeProperty("ecu") String ecu, @Body Snapshot snapshot) {
        if (ecuIds.add(snapshot.ecuId())) {
            CountersAtZero.ecuId(meters, snapshot.ecuId());
        }
        Map<Key, Double> now = new HashMap<>();
        Tags ecuTags = Tags.of("ecu", ecu, "ecu_id", snapshot.ecuId());
        read(now, SolarGauges.of(Snapshot.class), snapshot, ecuTags);
        for (InverterSnapshot inverter : snapshot.inverters()) {
            Tags inverterTags = ecuTags.and("inverter_uid", inverter.uid());
            read(now, SolarGauges.of(InverterSnapshot.class), inverter, inverterTags);
            for (InverterSnapshot.Channel channel : inverter.channels()) {
                read(now, SolarGauges.of(InverterSnapshot.Channel.class), channel,
                        inverterTags.and("channel", String.valueOf(channel.channel())));
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

    private <T> void read(Map<Key, Double> into, Iterable<SolarGauges.Row<T>> rows, T record, Tags tags) {
        for (SolarGauges.Row<T> row : rows) {
            Number value = row.value().apply(record);
            if (value != null) {
                into.put(new Key(row, tags), value.doubleValue());
            }
        }
    }

    private Series register(Key key) {
        AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
        Gauge gauge = Gauge.builder(key.row().name(), value, AtomicReference::get)
                .description(key.row().help())
                .baseUnit(key.row().unit())
                .tags(key.tags())
                .strongReference(true)
                .register(meters);
        return new Series(gauge, value);
    }
}
