package dev.ecubridge.app;

import dev.ecubridge.cluster.ClusterMembership;
import dev.ecubridge.cluster.EcuTargets;
import dev.ecubridge.poll.Fleet;
import dev.ecubridge.poll.PollScheduler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Cluster mode ({@code ecubridge.cluster.enabled}): instead of the ECUs of the settings, this instance polls those of
 * the targets-topic partitions Kafka assigns it, behind the zombie guard; health check {@code cluster} and gauges
 * {@code ecubridge.cluster.partitions} / {@code ecubridge.cluster.ecus} show what it owns.
 */
final class ClusterConfiguration implements CamelConfiguration {

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
        ClusterMembership membership = new ClusterMembership(kafka.clientProperties(), cluster.targetsTopic(),
                cluster.groupId(), Duration.ofMillis(cluster.sessionTimeoutMs()), Duration.ofMillis(cluster.guardMarginMs()),
                fleet, firstPoll);
        scheduler.gate(membership::mayConnect);
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
                try {
                    new EcuTargets(kafka.clientProperties(), cluster.targetsTopic()).create(cluster.partitions());
                } catch (Exception e) {
                    // the group forms once the topic exists (targets import creates it too)
                    org.slf4j.LoggerFactory.getLogger(ClusterConfiguration.class)
                            .warn("Cluster: cannot create {} now ({})", cluster.targetsTopic(), e.toString());
                }
                membership.start();
            }

            @Override
            public void onContextStopping(CamelContext camel) {
                try {
                    membership.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
    }
}
