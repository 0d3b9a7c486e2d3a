package dev.ecubridge.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.metrics.CountersAtZero;
import dev.ecubridge.sinks.Outbox;
import dev.ecubridge.sinks.kafka.KafkaDelivery;
import dev.ecubridge.sinks.kafka.KafkaRecords;
import dev.ecubridge.sinks.kafka.KafkaWritten;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Kafka sink's beans, which routes/kafka.yaml names: the {@code kafka} component (brokers, security, an idempotent
 * producer that gives up after ecubridge.sink-timeout-seconds), {@code kafkaRecords}, {@code kafkaOutbox}, and the
 * {@code sink-kafka} health check. Nothing while the sink is off.
 */
final class KafkaSinkConfiguration implements CamelConfiguration {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final KafkaSettings kafka;
    private final MeterRegistry meters;

    KafkaSinkConfiguration(Settings settings, KafkaSettings kafka, MeterRegistry meters) {
        this.settings = settings;
        this.kafka = kafka;
        this.meters = meters;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // the routes name these beans whether the sink is on or not (as InfluxDB's and MQTT's)
        context.getRegistry().bind("kafkaRecords", new KafkaRecords(kafka.topic(), kafka.inverterTopic()));
        Outbox outbox = new Outbox(settings.outboxDirectory(), "kafka", settings.outboxMaxEntries(),
                Duration.ofDays(settings.outboxMaxAgeDays()), Clock.systemUTC(), meters, JSON::valueToTree,
                node -> JSON.convertValue(node, KafkaDelivery.class));
        context.getRegistry().bind("kafkaOutbox", outbox);
        KafkaWritten written = new KafkaWritten(() -> new KafkaConsumer<>(
                KafkaWritten.consumerProperties(kafka.bootstrapServers(), kafka.client()), new StringDeserializer(), new StringDeserializer()));
        context.getRegistry().bind("kafkaWritten", written);
        if (!kafka.enabled()) {
            return;
        }
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                written.close();
            }
        });
        context.getRegistry().bind("kafka", producer(context));
        CountersAtZero.outbox(meters, "kafka");
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(BridgeHealthChecks.sink("kafka", () -> outbox));
        }
    }

    /** The kafka component: the brokers and security settings, an idempotent producer that gives up after the sink timeout. */
    private KafkaComponent producer(CamelContext context) {
        int timeoutMs = 1000 * Integer.parseInt(context.resolvePropertyPlaceholders("{{ecubridge.sink-timeout-seconds}}"));
        KafkaConfiguration producer = new KafkaConfiguration();
        producer.setBrokers(kafka.bootstrapServers());
        producer.setRequestRequiredAcks("all");
        producer.setEnableIdempotence(true);
        // a send gives up (and the delivery waits in the outbox) after the sink timeout, as InfluxDB and MQTT do
        producer.setMaxBlockMs(timeoutMs);
        producer.setRequestTimeoutMs(timeoutMs);
        producer.setDeliveryTimeoutMs(timeoutMs);
        producer.setLingerMs(0);
        producer.setAdditionalProperties(new HashMap<>(kafka.client()));
        kafka.client().forEach((property, value) -> {
            // camel-kafka sets these from its own options, which would otherwise win over the additional properties
            switch (property) {
                case "security.protocol" -> producer.setSecurityProtocol(value);
                case "sasl.mechanism" -> producer.setSaslMechanism(value);
                case "sasl.jaas.config" -> producer.setSaslJaasConfig(value);
                case "ssl.truststore.location" -> producer.setSslTruststoreLocation(value);
                case "ssl.truststore.password" -> producer.setSslTruststorePassword(value);
                case "ssl.truststore.type" -> producer.setSslTruststoreType(value);
                case "ssl.keystore.location" -> producer.setSslKeystoreLocation(value);
                case "ssl.keystore.password" -> producer.setSslKeystorePassword(value);
                case "ssl.keystore.type" -> producer.setSslKeystoreType(value);
                case "ssl.key.password" -> producer.setSslKeyPassword(value);
                case "ssl.endpoint.identification.algorithm" -> producer.setSslEndpointAlgorithm(value);
                default -> { }
            }
        });
        KafkaComponent component = new KafkaComponent();
        component.setConfiguration(producer);
        return component;
    }
}
