package dev.ecubridge.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state topic: compacted, one record per ECU ({@link EcuState}) keyed by its name, in the partition of the same
 * number as its record in the targets topic, so that whoever owns an ECU's targets partition reads its state from one
 * partition. Writes go out on their own thread, the newest state of each ECU only: a slow or absent broker never holds
 * up polling; a failed write is counted ({@code ecubridge.cluster.state.writes.failed}) and logged once until one
 * succeeds again.
 */
public final class EcuStates implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EcuStates.class);

    private record Pending(int partition, String json) {
    }

    private final Map<String, Object> client;
    private final String topic;
    private final Counter failed;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ecu-state-writer");
        t.setDaemon(true);
        return t;
    });
    private KafkaProducer<String, String> producer;

    /** @param client the Kafka client properties: bootstrap.servers and the security settings */
    public EcuStates(Map<String, Object> client, String topic, MeterRegistry meters) {
        this.client = Map.copyOf(client);
        this.topic = topic;
        this.failed = Counter.builder("ecubridge.cluster.state.writes.failed")
                .description("ECU states the state topic did not take (polling goes on)").register(meters);
    }

    public String topic() {
        return topic;
    }

    /** Creates the topic, compacted, with this many partitions, unless it exists; its partition count. */
    public int create(int partitions) throws Exception {
        return CompactedTopics.create(client, topic, partitions);
    }

    /** The states in these partitions as they are now (each read to its end offset), by partition and ECU name. */
    public Map<Integer, Map<String, EcuState>> read(Collection<Integer> partitions, Duration limit) throws TimeoutException {
        Map<Integer, Map<String, EcuState>> states = new HashMap<>();
        partitions.forEach(p -> states.put(p, new HashMap<>()));
        if (partitions.isEmpty()) {
            return states;
        }
        Map<String, Object> props = new HashMap<>(client);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long deadline = System.nanoTime() + limit.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts, limit);
            while (parts.stream().anyMatch(p -> consumer.position(p, limit) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(topic + " " + partitions + " not read to the end within " + limit.toMillis() + " ms");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, EcuState> part = states.get(r.partition());
                    if (r.value() == null) {
                        part.remove(r.key());
                        continue;
                    }
                    try {
                        part.put(r.key(), EcuState.parse(r.value()));
                    } catch (RuntimeException e) {
                        LOG.warn("Cluster: {} ECU {}: {}; ignored", topic, r.key(), e.getMessage());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new TimeoutException(topic + " " + partitions + ": " + e.getMessage());
        }
        return states;
    }

    /** Writes an ECU's state soon, without waiting; a newer state of the same ECU not yet sent replaces it. */
    public void write(String ecu, int partition, EcuState state) {
        if (pending.put(ecu, new Pending(partition, state.json())) == null) {
            try {
                writer.execute(() -> send(ecu));
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                pending.remove(ecu); // at shutdown, after the last flush
            }
        }
    }

    /** Waits up to {@code limit} until the states written so far are in the topic (or have failed). */
    public void flush(Duration limit) {
        try {
            writer.submit(() -> {
                if (producer != null) {
                    producer.flush();
                }
            }).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("Cluster: the last ECU states may not be in {} yet ({})", topic, e.toString());
        }
    }

    @Override
    public void close() {
        flush(Duration.ofSeconds(5));
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void send(String ecu) {
        Pending p = pending.remove(ecu);
        if (p == null) {
            return;
        }
        try {
            producer().send(new ProducerRecord<>(topic, p.partition(), ecu, p.json()), (metadata, e) -> {
                if (e == null) {
                    if (failing.compareAndSet(true, false)) {
                        LOG.info("Cluster: ECU states are written to {} again", topic);
                    }
                } else {
                    failed(ecu, e);
                }
            });
        } catch (RuntimeException e) {
            failed(ecu, e);
        }
    }

    private void failed(String ecu, Exception e) {
        failed.increment();
        if (failing.compareAndSet(false, true)) {
            LOG.warn("Cluster: cannot write the state of ECU {} to {} ({}); polling goes on, its next owner would start "
                    + "from an older state; further failures are counted (ecubridge_cluster_state_writes_failed_total)",
                    ecu, topic, e.toString());
        }
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            Map<String, Object> props = new HashMap<>(client);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            // on its own thread, but a broker that is away must not pile up states for long
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }
}
