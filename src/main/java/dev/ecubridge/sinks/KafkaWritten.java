package dev.ecubridge.sinks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a replay from writing a record twice. A send that timed out has an unknown outcome: the broker may have
 * written it (it came back while the acknowledgement was on its way). Only the oldest delivery in the outbox can be such
 * a one (what came after it was never sent), so before it is replayed its records are looked for among the last
 * records of their partitions (same key and time stamp), and those found are not sent again.
 */
public final class KafkaWritten {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaWritten.class);
    /** How far back a partition is searched: what other writers may have added since is far less. */
    static final int TAIL = 2000;

    private final Supplier<Consumer<String, String>> consumers;
    private Consumer<String, String> consumer;
    /** A send began and did not return; true at start, for a delivery a kill interrupted. */
    private volatile boolean uncertain = true;

    public KafkaWritten(Supplier<Consumer<String, String>> consumers) {
        this.consumers = consumers;
    }

    /** A send begins: until it returns, what it wrote is unknown, and the next replay first looks for it. */
    public void uncertain() {
        uncertain = true;
    }

    /** The send returned: everything it had was written. */
    public void sent() {
        uncertain = false;
    }

    /** Body: the delivery to replay; leaves in it only the records not found in Kafka when a send failed before. */
    public void unsent(Exchange exchange) {
        if (!uncertain) {
            return;
        }
        KafkaDelivery delivery = exchange.getMessage().getBody(KafkaDelivery.class);
        List<KafkaRecord> unsent = new ArrayList<>();
        for (KafkaRecord r : delivery.records()) {
            if (!found(r)) {
                unsent.add(r);
            }
        }
        if (unsent.size() < delivery.records().size()) {
            LOG.info("Kafka: {} of {} records of the oldest delivery in the outbox were written by a send that timed out;"
                    + " not sent again", delivery.records().size() - unsent.size(), delivery.records().size());
        }
        uncertain = false;
        exchange.getMessage().setBody(new KafkaDelivery(unsent));
    }

    private boolean found(KafkaRecord r) {
        if (consumer == null) {
            consumer = consumers.get();
        }
        List<PartitionInfo> partitions = consumer.partitionsFor(r.topic(), Duration.ofSeconds(5));
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        // the producer's partitioner for a keyed record
        int p = Utils.toPositive(Utils.murmur2(r.key().getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions.size();
        TopicPartition partition = new TopicPartition(r.topic(), p);
        consumer.assign(List.of(partition));
        Map<TopicPartition, Long> ends = consumer.endOffsets(List.of(partition), Duration.ofSeconds(5));
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(List.of(partition), Duration.ofSeconds(5));
        long end = ends.get(partition);
        consumer.seek(partition, Math.max(starts.get(partition), end - TAIL));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (consumer.position(partition, Duration.ofSeconds(5)) < end) {
            if (System.nanoTime() > deadline) {
                throw new org.apache.kafka.common.errors.TimeoutException("reading back " + partition + " took too long");
            }
            for (ConsumerRecord<String, String> c : consumer.poll(Duration.ofMillis(500)).records(partition)) {
                if (c.timestamp() == r.timestamp() && r.key().equals(c.key())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Closes the consumer (on the delivery thread's stop). */
    public void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /** What the reading consumer needs besides the client's security settings. */
    public static Map<String, Object> consumerProperties(String servers, Map<String, String> client) {
        Map<String, Object> p = new HashMap<>(client);
        p.put("bootstrap.servers", servers);
        p.put("enable.auto.commit", false);
        p.put("isolation.level", "read_committed");
        return p;
    }
}
