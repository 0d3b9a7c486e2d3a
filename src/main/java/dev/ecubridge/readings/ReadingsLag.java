package dev.ecubridge.readings;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer lag of each sink reading the readings topic: records in the topic its group has not committed yet (a
 * partition without a committed offset counts from its first record). Asked of the brokers every {@code period}, on its
 * own thread, never on a scrape; NaN until known.
 */
public final class ReadingsLag implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReadingsLag.class);

    private final Map<String, Object> client;
    private final String topic;
    private final Map<String, String> groups;
    private final Map<String, Double> lag = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "readings-lag");
        t.setDaemon(true);
        return t;
    });
    private Admin admin;

    /** @param groups consumer group per sink name */
    public ReadingsLag(Map<String, Object> client, String topic, Map<String, String> groups) {
        this.client = Map.copyOf(client);
        this.topic = topic;
        this.groups = Map.copyOf(groups);
    }

    public void start(Duration period) {
        timer.scheduleWithFixedDelay(this::update, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    public double of(String sink) {
        return lag.getOrDefault(sink, Double.NaN);
    }

    private void update() {
        try {
            if (admin == null) {
                admin = Admin.create(client);
            }
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
            Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest());
            for (Map.Entry<String, String> g : groups.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(g.getValue())
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                long behind = 0;
                for (TopicPartition p : partitions) {
                    OffsetAndMetadata c = committed.get(p);
                    behind += Math.max(0, end.get(p) - Math.max(start.get(p), c == null ? 0 : c.offset()));
                }
                lag.put(g.getKey(), (double) behind);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("Readings lag unknown now: {}", e.toString());
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        partitions.forEach(p -> ask.put(p, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(ask).all().get(10, TimeUnit.SECONDS).forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
