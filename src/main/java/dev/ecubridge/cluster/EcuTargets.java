package dev.ecubridge.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The shared ECU list in a compacted topic: one record per ECU keyed by its name, its {@link EcuTarget} as value; a
 * tombstone (null value) removes it. Reading folds the topic from its start: the last record of each name wins.
 */
public final class EcuTargets {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, Object> client;
    private final String topic;

    /** @param client the Kafka client properties: bootstrap.servers and the security settings */
    public EcuTargets(Map<String, Object> client, String topic) {
        this.client = Map.copyOf(client);
        this.topic = topic;
    }

    /** Creates the topic, compacted, with this many partitions, unless it exists; its partition count. */
    public int create(int partitions) throws Exception {
        return CompactedTopics.create(client, topic, partitions);
    }

    /** The list as it is now, by name. */
    public SortedMap<String, EcuTarget> read() {
        SortedMap<String, EcuTarget> targets = new TreeMap<>();
        Map<String, Object> props = new HashMap<>(client);
        props.put("enable.auto.commit", false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < ends.get(p))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        targets.remove(r.key());
                    } else {
                        targets.put(r.key(), EcuTarget.parse(r.value()));
                    }
                }
            }
        }
        return targets;
    }

    /** What {@link #write} did. */
    public record Changes(List<String> added, List<String> changed, List<String> removed, int unchanged) {
    }

    /**
     * Makes the topic hold {@code wanted}: a record for each ECU that is new or changed, a tombstone for each one that
     * is no longer wanted (only when {@code removeOthers}); nothing for the unchanged.
     */
    public Changes write(Map<String, EcuTarget> wanted, boolean removeOthers) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                return writeOnce(wanted, removeOthers);
            } catch (ExecutionException e) {
                // a topic just created: its partitions may not take writes yet (written again: the same values)
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private Changes writeOnce(Map<String, EcuTarget> wanted, boolean removeOthers) throws Exception {
        SortedMap<String, EcuTarget> now = read();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        int unchanged = 0;
        Map<String, Object> props = new HashMap<>(client);
        props.put("enable.idempotence", true);
        props.put("acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
            for (Map.Entry<String, EcuTarget> e : new TreeMap<>(wanted).entrySet()) {
                EcuTarget before = now.get(e.getKey());
                if (e.getValue().equals(before)) {
                    unchanged++;
                    continue;
                }
                (before == null ? added : changed).add(e.getKey());
                sends.add(producer.send(new ProducerRecord<>(topic, e.getKey(), e.getValue().json())));
            }
            if (removeOthers) {
                for (String name : now.keySet()) {
                    if (!wanted.containsKey(name)) {
                        removed.add(name);
                        sends.add(producer.send(new ProducerRecord<>(topic, name, null)));
                    }
                }
            }
            for (java.util.concurrent.Future<?> f : sends) {
                f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        return new Changes(added, changed, removed, unchanged);
    }

    /** Tombstones for these names; the names that were not in the list. */
    public List<String> remove(List<String> names) throws Exception {
        SortedMap<String, EcuTarget> now = read();
        List<String> unknown = new ArrayList<>();
        Map<String, Object> props = new HashMap<>(client);
        props.put("acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (String name : names) {
                if (now.containsKey(name)) {
                    producer.send(new ProducerRecord<>(topic, name, null)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } else {
                    unknown.add(name);
                }
            }
        }
        return unknown;
    }
}
