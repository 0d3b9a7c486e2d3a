package dev.ecubridge.cluster;

import dev.ecubridge.poll.EcuHealth;
import dev.ecubridge.snapshot.SnapshotAssembler;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What travels with an ECU between the instances of a cluster ({@link EcuState}): after each of its cycles its owner
 * writes its state to the state topic; an instance assigned a partition reads that partition's states before its ECUs
 * start, and each ECU goes on from its state there: the gate's references and integrated energy (no snapshot published
 * twice, no energy counter starting again at 0), its backoff, and its rhythm (first poll one interval after its last
 * one). The topic wins over what the instance saved and remembers.
 */
public final class StateHandover {

    private static final Logger LOG = LoggerFactory.getLogger(StateHandover.class);

    private final EcuStates topic;
    private final SnapshotAssembler gate;
    private final EcuHealth health;
    private final Duration interval;
    /** The states read for the partitions assigned, by partition and ECU name, until their ECU starts here. */
    private final Map<Integer, Map<String, EcuState>> read = new ConcurrentHashMap<>();

    public StateHandover(EcuStates topic, SnapshotAssembler gate, EcuHealth health, Duration interval) {
        this.topic = topic;
        this.gate = gate;
        this.health = health;
        this.interval = interval;
    }

    /** Partitions just assigned: reads their states to the end, within {@code limit}. */
    void assigned(Collection<Integer> partitions, Duration limit) {
        if (partitions.isEmpty()) {
            return;
        }
        try {
            int states = 0;
            for (Map.Entry<Integer, Map<String, EcuState>> part : topic.read(partitions, limit).entrySet()) {
                read.put(part.getKey(), new ConcurrentHashMap<>(part.getValue()));
                states += part.getValue().size();
            }
            LOG.info("Cluster: {} ECU states read from partitions {} of {}", states, partitions, topic.topic());
        } catch (TimeoutException | RuntimeException e) {
            LOG.warn("Cluster: cannot read the ECU states of partitions {} of {} ({}); their ECUs start from what this "
                    + "instance knows of them", partitions, topic.topic(), e.toString());
        }
    }

    /** Partitions no longer owned: what was read for them is stale from now on. */
    void released(Collection<Integer> partitions) {
        partitions.forEach(read::remove);
    }

    /**
     * An ECU of {@code partition} is about to start here: it goes on from its state read from the topic, if any. Its
     * first poll is due one interval after its last one; null when it has no last poll or is overdue by then (it
     * starts as any added ECU, within {@code firstPoll} and the spread).
     */
    Duration resume(String ecu, int partition, Duration firstPoll) {
        Map<String, EcuState> part = read.get(partition);
        EcuState state = part == null ? null : part.remove(ecu);
        if (state == null) {
            return null;
        }
        health.restore(ecu, state.backoff());
        if (state.gate() != null && state.backoff().ecuId() != null) {
            gate.restore(state.backoff().ecuId(), state.gate());
        }
        if (state.lastPoll() == null) {
            return null;
        }
        Duration due = Duration.between(Instant.now(), state.lastPoll().plus(interval));
        return due.compareTo(firstPoll) > 0 ? due : null;
    }

    /** A cycle of an ECU this instance owns has ended: its state goes to the topic. */
    void cycleEnded(String ecu, int partition, Instant polled) {
        EcuHealth.Backoff backoff = health.backoff(ecu);
        topic.write(ecu, partition, new EcuState(polled, backoff,
                backoff.ecuId() == null ? null : EcuState.gate(gate.state(backoff.ecuId()))));
    }

    /** Waits up to {@code limit} until the states written so far are in the topic: before a partition is handed over. */
    void flush(Duration limit) {
        topic.flush(limit);
    }
}
