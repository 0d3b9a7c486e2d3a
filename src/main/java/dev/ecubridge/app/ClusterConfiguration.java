package dev.ecubridge.app;

import dev.ecubridge.cluster.ClusterMembership;
import dev.ecubridge.cluster.EcuStates;
import dev.ecubridge.cluster.EcuTargets;
import dev.ecubridge.cluster.StateHandover;
import dev.ecubridge.poll.EcuHealth;
import dev.ecubridge.snapshot.SnapshotAssembler;
import dev.ecubridge.poll.Fleet;
import dev.ecubridge.poll.PollScheduler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode ({@code ecubridge.cluster.enabled}): instead of the ECUs of the settings, this instance polls those of
 * the targets-topic partitions Kafka assigns it, behind the zombie guard, each ECU with its state from the state topic;
 * health check {@code cluster} and gauges {@code ecubridge.cluster.partitions} / {@code ecubridge.cluster.ecus} show
 * what it owns, counter {@code ecubridge.cluster.state.writes.failed} the states the state topic did not take.
 */
final class ClusterConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConfiguration.class);

    private final ClusterSettings cluster;
    private final KafkaSettings kafka;
    private final MeterRegistry meters;

    ClusterConfiguration(ClusterSettings cluster, KafkaSettings kafka, MeterRegistry meters) {
        this.cluster = cluster;
        this.kafka = kafka;
        this.meters = meters;
    }

    @Override
    public void configure(CamelContext context) {
        if (!cluster.enabled()) {
            return;
        }
        Fleet fleet = context.getRegistry().lookupByNameAndType("ecuFleet", Fleet.class);
        PollScheduler scheduler = context.getRegistry().lookupByNameAndType("pollScheduler", PollScheduler.class);
        Duration firstPoll = Duration.ofMillis(Long.parseLong(context.resolvePropertyPlaceholders("{{ecubridge.first-poll-delay-ms}}")));
        Duration interval = Duration.ofSeconds(Long.parseLong(context.resolvePropertyPlaceholders("{{ecubridge.poll-interval-seconds}}")));
        EcuStates states = new EcuStates(kafka.clientProperties(), cluster.stateTopic(), meters);
        StateHandover handover = new StateHandover(states,
                context.getRegistry().lookupByNameAndType("snapshotAssembler", SnapshotAssembler.class),
                context.getRegistry().lookupByNameAndType("ecuHealth", EcuHealth.class), interval);
        ClusterMembership membership = new ClusterMembership(kafka.clientProperties(), cluster.targetsTopic(),
                cluster.groupId(), Duration.ofMillis(cluster.sessionTimeoutMs()), Duration.ofMillis(cluster.guardMarginMs()),
                fleet, firstPoll, handover);
        scheduler.gate(membership::mayConnect);
        scheduler.onCycleEnd(membership::cycleEnded);
        context.getRegistry().bind("clusterMembership", membership);
        Gauge.builder("ecubridge.cluster.partitions", membership, ClusterMembership::partitions)
                .description("Partitions of the targets topic this instance owns").register(meters);
        Gauge.builder("ecubridge.cluster.ecus", membership, ClusterMembership::ecus)
                .description("ECUs this instance polls as their partitions' owner").register(meters);
        Gauge.builder("ecubridge.cluster.may.connect", membership, m -> m.mayConnect() ? 1 : 0)
                .description("1 while the zombie guard lets requests to ECUs go out").register(meters);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(BridgeHealthChecks.cluster(membership));
        }
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStarted(CamelContext camel) {
                int partitions = cluster.partitions();
                try {
                    partitions = new EcuTargets(kafka.clientProperties(), cluster.targetsTopic()).create(cluster.partitions());
                } catch (Exception e) {
                    // the group forms once the topic exists (targets import creates it too)
                    LOG.warn("Cluster: cannot create {} now ({})", cluster.targetsTopic(), e.toString());
                }
                try {
                    // an ECU's state lives in the partition of the same number as its target: as many partitions
                    int made = states.create(partitions);
                    if (made < partitions) {
                        LOG.warn("Cluster: {} has {} partitions, {} has {}: the ECUs of the partitions beyond cannot "
                                + "hand their state over", cluster.stateTopic(), made, cluster.targetsTopic(), partitions);
                    }
                } catch (Exception e) {
                    LOG.warn("Cluster: cannot create {} now ({}); ECUs start without their state", cluster.stateTopic(), e.toString());
                }
                membership.start();
            }

            @Override
            public void onContextStopping(CamelContext camel) {
                try {
                    membership.stop(); // its partitions revoked: the ECUs' last states are written first
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                states.close();
            }
        });
    }
}
