package dev.ecubridge.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The cluster's topics (targets, state): compacted, one record per ECU keyed by its name. */
final class CompactedTopics {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private CompactedTopics() {
    }

    /** Creates the topic, compacted, with this many partitions, unless it exists; its partition count. */
    static int create(Map<String, Object> client, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(client)) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                        .all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            // a topic just created takes a moment before every partition has its leader and takes writes
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                List<TopicPartitionInfo> parts;
                try {
                    parts = admin.describeTopics(List.of(topic)).allTopicNames()
                            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(topic).partitions();
                } catch (ExecutionException e) {
                    // the broker that answers may not know the topic yet
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    parts = List.of();
                }
                if (!parts.isEmpty() && parts.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())
                        || !parts.isEmpty() && System.nanoTime() > deadline) {
                    return parts.size();
                }
                Thread.sleep(100);
            }
        }
    }
}
