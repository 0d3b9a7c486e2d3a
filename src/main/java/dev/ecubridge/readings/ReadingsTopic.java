package dev.ecubridge.readings;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the readings topic before anything reads or writes it, with as many partitions as the targets topic (else
 * the first client would have the broker create it with its default, often one partition: one sink reader per group).
 * Its retention is the broker's: how long a sink may be down without losing readings.
 */
public final class ReadingsTopic {

    private ReadingsTopic() {
    }

    /** @return false when it cannot be created now (the broker is down): a client creates it later with the broker's defaults */
    public static boolean create(Map<String, Object> client, String topic, int partitions, Duration timeout) throws InterruptedException {
        Admin admin = Admin.create(client);
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            return e.getCause() instanceof TopicExistsException;
        } catch (TimeoutException e) {
            return false;
        } finally {
            admin.close(Duration.ZERO); // a broker that is down must not hold up the start
        }
    }
}
