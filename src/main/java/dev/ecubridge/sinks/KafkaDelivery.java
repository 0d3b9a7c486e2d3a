package dev.ecubridge.sinks;

import java.util.List;

/** What one snapshot gives the Kafka sink: its ECU record, then one record per inverter when those are on. */
public record KafkaDelivery(List<KafkaRecord> records) {

    public KafkaDelivery {
        records = List.copyOf(records);
    }
}
