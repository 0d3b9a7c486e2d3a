package dev.ecubridge.cluster;

import dev.ecubridge.app.ClusterSettings;
import dev.ecubridge.app.Settings;
import dev.ecubridge.poll.Fleet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's share of the cluster's ECUs. The pollers form one consumer group over the targets topic (cooperative
 * sticky assignor): Kafka assigns its partitions, and the ECUs of the partitions this instance owns are its fleet. A
 * partition assigned is read from its start (compacted: one record per ECU) and its ECUs start, each from its state
 * in the state topic ({@link StateHandover}); a partition revoked stops its ECUs after their cycle in flight and
 * their last states are written; a partition lost (the membership lapsed) stops them at once.
 * <p>
 * Zombie guard ({@link #mayConnect}): an instance that may have been dropped from the group (paused, cut off from
 * Kafka) sends no request to any ECU: only while its last consumer poll is younger than the session timeout minus a
 * margin, and, after a gap longer than that, only once the group coordinator has confirmed the membership: a
 * synchronous offset commit, which the coordinator refuses from a member it has dropped (a fixed wait for heartbeats
 * is not enough on a loaded machine: the thawed instance may not have heard back yet).
 */
public final class ClusterMembership implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> consumerProperties;
    private final String topic;
    private final Fleet fleet;
    private final Duration firstPoll;
    private final long guardNanos;
    /** A gap in the polls longer than the guard: no request until the coordinator confirms the membership. */
    private volatile boolean unconfirmed;
    /** How long a revocation waits for the cycles in flight of its ECUs (they cannot outlast the guard either). */
    private final Duration cycleLimit;
    /** name -> target, per owned partition. */
    private final Map<Integer, Map<String, EcuTarget>> owned = new ConcurrentHashMap<>();
    private volatile long lastPoll;
    private volatile long suspectUntil;
    private volatile boolean running = true;
    private volatile List<String> ecus = List.of();
    /** name -> partition, of the ECUs it polls now. */
    private volatile Map<String, Integer> partitionOf = Map.of();
    /** Partitions being revoked: the cycles in flight of their ECUs still write their state when they end. */
    private final Set<Integer> releasing = ConcurrentHashMap.newKeySet();
    private final StateHandover state;
    private KafkaConsumer<String, String> consumer;
    private Thread thread;

    /**
     * @param client   bootstrap.servers and the security settings
     * @param margin   how long before the session timeout the guard closes (longer than one cycle's requests)
     * @param state    the ECUs' state that comes with a partition assigned and goes after each cycle
     */
    public ClusterMembership(Map<String, Object> client, String topic, String groupId, Duration sessionTimeout,
                             Duration margin, Fleet fleet, Duration firstPoll, StateHandover state) {
        Map<String, Object> p = new HashMap<>(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, ClusterSettings.heartbeatMs((int) sessionTimeout.toMillis()));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // a partition is always read whole: no offsets kept
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumerProperties = p;
        this.topic = topic;
        this.fleet = fleet;
        this.firstPoll = firstPoll;
        this.state = state;
        this.guardNanos = sessionTimeout.minus(margin).toNanos();
        this.cycleLimit = sessionTimeout.minus(margin);
    }

    public void start() {
        consumer = new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new StringDeserializer());
        thread = new Thread(this, "cluster-membership");
        thread.setDaemon(true);
        thread.start();
    }

    public void stop() throws InterruptedException {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
            thread.join(10_000);
        }
    }

    /** True while a request to an ECU is safe: this instance surely still owns its partitions. */
    public boolean mayConnect() {
        long now = System.nanoTime();
        return lastPoll != 0 && now - lastPoll < guardNanos && now > suspectUntil && !unconfirmed;
    }

    public int partitions() {
        return owned.size();
    }

    public int ecus() {
        return ecus.size();
    }

    /** The names of the ECUs it polls now. */
    public List<String> ecuNames() {
        return ecus;
    }

    public Set<Integer> partitionIds() {
        return new TreeSet<>(owned.keySet());
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // the ECUs' state first: their targets arrive with the next polls and start from it
                    state.assigned(ids(partitions), cycleLimit);
                    partitions.forEach(p -> owned.put(p.partition(), new HashMap<>()));
                    consumer.seekToBeginning(partitions);
                    LOG.info("Cluster: assigned partitions {} of {}", ids(partitions), topic);
                    applyOwned();
                }

                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    releasing.addAll(ids(partitions));
                    partitions.forEach(p -> owned.remove(p.partition()));
                    LOG.info("Cluster: partitions {} revoked; their ECUs stop after the cycle in flight", ids(partitions));
                    // the new owner gets them once this returns: not before their cycles in flight have ended
                    try {
                        applyOwned().get(cycleLimit.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ExecutionException | TimeoutException e) {
                        LOG.warn("Cluster: cycles of revoked ECUs still in flight after {} ms", cycleLimit.toMillis());
                    }
                    // their states, as their last cycles left them, before the next owner reads them
                    releasing.removeAll(ids(partitions));
                    Map<String, Integer> left = new HashMap<>(partitionOf);
                    left.values().removeAll(ids(partitions));
                    partitionOf = Map.copyOf(left);
                    state.flush(cycleLimit);
                    state.released(ids(partitions));
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    // no request to any ECU until the lost ones' cycles in flight have ended: they may have a new owner
                    suspectUntil = Long.MAX_VALUE;
                    partitions.forEach(p -> owned.remove(p.partition()));
                    state.released(ids(partitions));
                    LOG.warn("Cluster: partitions {} lost (membership lapsed); their ECUs stop now", ids(partitions));
                    applyOwned().whenComplete((done, failed) -> suspectUntil = 0);
                }
            });
            while (running) {
                boolean changed = false;
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    Map<String, EcuTarget> part = owned.get(r.partition());
                    if (part == null) {
                        continue;
                    }
                    if (r.value() == null) {
                        part.remove(r.key());
                    } else {
                        part.put(r.key(), EcuTarget.parse(r.value()));
                    }
                    changed = true;
                }
                long now = System.nanoTime();
                // since the last poll returned (a pause may fall inside a poll as well as between two)
                long gap = lastPoll == 0 ? 0 : now - lastPoll;
                if (gap > guardNanos) {
                    // paused (or cut off) longer than the guard allows: the partitions may have another owner now
                    unconfirmed = true;
                    LOG.warn("Cluster: no poll for {} ms; no ECU request until the membership is confirmed", gap / 1_000_000);
                }
                lastPoll = now;
                if (unconfirmed && confirmed()) {
                    unconfirmed = false;
                    LOG.info("Cluster: membership confirmed; requests go on");
                }
                if (changed) {
                    applyOwned();
                }
            }
        } catch (WakeupException stopping) {
            // stop()
        } catch (RuntimeException e) {
            LOG.error("Cluster: membership ended: {}", e.toString());
        } finally {
            lastPoll = 0;
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * A cycle of an ECU has ended (on the poll scheduler's thread): while this instance surely still owns it, its state
     * goes to the state topic.
     */
    public void cycleEnded(String ecu, Instant polled) {
        Integer partition = partitionOf.get(ecu);
        if (partition != null && mayConnect()) {
            state.cycleEnded(ecu, partition, polled);
        }
    }

    /**
     * Whether the coordinator still counts this instance as the member that owns its partitions: it accepts a commit
     * of their positions only from a member of the current generation. Refused, the next polls rejoin the group and
     * report the partitions lost (or reassigned); the offsets themselves are never read (a partition is read whole).
     */
    private boolean confirmed() {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        try {
            for (TopicPartition p : consumer.assignment()) {
                positions.put(p, new OffsetAndMetadata(consumer.position(p, POLL)));
            }
            consumer.commitSync(positions, cycleLimit);
            return true;
        } catch (WakeupException stopping) {
            throw stopping;
        } catch (KafkaException e) {
            LOG.info("Cluster: membership not confirmed ({}); requests wait", e.getClass().getSimpleName());
            return false;
        }
    }

    private CompletableFuture<Void> applyOwned() {
        List<Settings.Ecu> list = new ArrayList<>();
        Map<String, Integer> partitions = new HashMap<>();
        partitionOf.forEach((name, partition) -> {
            if (releasing.contains(partition)) {
                partitions.put(name, partition);
            }
        });
        owned.forEach((partition, part) -> part.forEach((name, t) -> {
            list.add(new Settings.Ecu(name, t.host(), t.port(), t.zone() == null ? null : ZoneId.of(t.zone())));
            partitions.put(name, partition);
        }));
        ecus = list.stream().map(Settings.Ecu::name).toList();
        partitionOf = Map.copyOf(partitions);
        return fleet.replace(list, firstPoll, name -> state.resume(name, partitions.get(name), firstPoll));
    }

    private static List<Integer> ids(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }
}
