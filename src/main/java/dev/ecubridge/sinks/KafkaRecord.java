package dev.ecubridge.sinks;

/**
 * One Kafka record as the sink sends it: its topic, its key (the ECU id), its timestamp (the ECU's data time, epoch
 * milliseconds) and its value (JSON). Kept as is in the outbox, so a replay sends the very same record.
 */
public record KafkaRecord(String topic, String key, long timestamp, String value) {
}
