package dev.ecubridge.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.snapshot.InverterSnapshot;
import dev.ecubridge.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Kafka: per snapshot one delivery ({@link KafkaDelivery}) of records. On the snapshot topic the JSON line the files
 * sink writes (the ECU and its inverters), keyed by the ECU id, stamped with the ECU's data time; and, when an inverter
 * topic is set, one record per inverter there (the MQTT inverter state's JSON, with ecu_id and time), with the same key
 * and time stamp. All of one ECU's records share its key, so they land in one partition, in the order of its data times.
 * The outbox keeps the records as they are, so a replay sends the very same ones.
 */
public final class KafkaFormat implements SinkFormat {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final String inverterTopic;

    /** @param inverterTopic empty: no per-inverter records */
    public KafkaFormat(String topic, String inverterTopic) {
        this.topic = topic;
        this.inverterTopic = inverterTopic;
    }

    @Override
    public List<?> deliveries(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof Snapshot s ? List.of(snapshot(s)) : List.of();
    }

    KafkaDelivery snapshot(Snapshot s) {
        long timestamp = s.time().toEpochMilli();
        List<KafkaRecord> records = new ArrayList<>();
        String line = SnapshotJson.line(s);
        records.add(new KafkaRecord(topic, s.ecuId(), timestamp, line.substring(0, line.length() - 1)));
        if (!inverterTopic.isEmpty()) {
            for (InverterSnapshot i : s.inverters()) {
                ObjectNode json = SnapshotJson.inverter(i);
                records.add(new KafkaRecord(inverterTopic, s.ecuId(), timestamp, json.toString()));
            }
        }
        return new KafkaDelivery(records);
    }

    @Override
    public JsonNode encode(Object delivery) {
        return JSON.valueToTree(delivery);
    }

    @Override
    public Object decode(JsonNode stored) {
        return JSON.convertValue(stored, KafkaDelivery.class);
    }

    /** Body: one {@link KafkaRecord}; makes it what camel-kafka sends: the value, key, topic and time. */
    @Override
    public void beforeSend(Exchange exchange) {
        Message m = exchange.getMessage();
        KafkaRecord r = m.getBody(KafkaRecord.class);
        m.getHeaders().clear(); // only ours become the record's headers
        m.setHeader(KafkaConstants.KEY, r.key());
        m.setHeader(KafkaConstants.OVERRIDE_TOPIC, r.topic());
        m.setHeader(KafkaConstants.OVERRIDE_TIMESTAMP, r.timestamp());
        m.setBody(r.value());
    }
}
