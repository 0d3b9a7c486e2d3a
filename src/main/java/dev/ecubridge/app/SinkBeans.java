package dev.ecubridge.app;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import dev.ecubridge.metrics.CountersAtZero;
import dev.ecubridge.sinks.BlockingInfluxClient;
import dev.ecubridge.sinks.HttpFormat;
import dev.ecubridge.sinks.InfluxFormat;
import dev.ecubridge.sinks.KafkaFormat;
import dev.ecubridge.sinks.KafkaWritten;
import dev.ecubridge.sinks.MqttFormat;
import dev.ecubridge.sinks.MqttMessages;
import dev.ecubridge.sinks.Outbox;
import dev.ecubridge.sinks.PubackCheckingMqttComponent;
import dev.ecubridge.sinks.Sink;
import dev.ecubridge.sinks.SinkConfig;
import dev.ecubridge.sinks.SinkFailures;
import dev.ecubridge.sinks.SinkFormat;
import dev.ecubridge.sinks.Sinks;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import okhttp3.OkHttpClient;
import dev.ecubridge.readings.ReadingsConsumer;
import dev.ecubridge.readings.ReadingsLag;
import dev.ecubridge.readings.ReadingsTopic;
import dev.ecubridge.readings.WrittenKeys;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Per enabled sink instance: its beans ({@code sink-NAME}, {@code outbox-NAME} and what its type needs), its health
 * check and counters, then its routes from the templates of routes/sinks.yaml and routes/sink-types.yaml.
 */
final class SinkBeans {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SinkBeans.class);

    private SinkBeans() {
    }

    static void bind(CamelContext context, Settings settings, ReadingsSettings readings, KafkaSettings kafka,
                     MeterRegistry meters) throws Exception {
        SinkConfig publisher = publisher(readings, kafka);
        context.getRegistry().bind("sinks", new Sinks(settings.enabledSinks(), readings.publishes() ? publisher : null));
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        List<SinkConfig> instances = new ArrayList<>(settings.enabledSinks());
        if (readings.on() && !ReadingsTopic.create(kafka.clientProperties(), readings.topic(), readings.partitions(), timeout(context))) {
            LOG.warn("Cluster: cannot create the readings topic {} now; the first client to use it has the broker create it",
                    readings.topic());
        }
        if (readings.publishes()) {
            instances.add(publisher);
        } else if (readings.consumes()) {
            kafkaClients(context, publisher); // only its component, which the consumers use
        }
        for (SinkConfig s : instances) {
            SinkFormat format = format(context, settings, s);
            Outbox outbox = new Outbox(settings.outboxDirectory(), s.name(), settings.outboxMaxEntries(),
                    Duration.ofDays(settings.outboxMaxAgeDays()), Clock.systemUTC(), meters, format::encode, format::decode);
            context.getRegistry().bind("outbox-" + s.name(), outbox);
            Sink sink = new Sink(s, format, outbox, new SinkFailures(s.name(), meters), meters);
            context.getRegistry().bind("sink-" + s.name(), sink);
            CountersAtZero.outbox(meters, s.name());
            if (health != null) {
                health.register(BridgeHealthChecks.sink(s.name(), sink));
            }
            if (readings.consumes() && s != publisher) {
                readingsConsumer(context, settings, s.name(), sink::deliveries, meters, health);
            }
        }
        if (readings.consumes() && settings.filesEnabled()) {
            readingsConsumer(context, settings, ReadingsSettings.FILES, e -> List.of(e.getMessage().getBody()), meters, health);
        }
        if (readings.consumes()) {
            readingsLag(context, settings, readings, kafka, meters);
        }
    }

    /** The gauge ecubridge.readings.lag{sink}: records of the readings topic each sink's group has not committed. */
    private static void readingsLag(CamelContext context, Settings settings, ReadingsSettings readings, KafkaSettings kafka,
                                    MeterRegistry meters) throws Exception {
        Map<String, String> groups = new java.util.LinkedHashMap<>();
        settings.enabledSinks().forEach(s -> groups.put(s.name(), readings.group(s.name())));
        if (settings.filesEnabled()) {
            groups.put(ReadingsSettings.FILES, readings.group(ReadingsSettings.FILES));
        }
        ReadingsLag lag = new ReadingsLag(kafka.clientProperties(), readings.topic(), groups);
        groups.keySet().forEach(sink -> Gauge.builder("ecubridge.readings.lag", lag, l -> l.of(sink)).tag("sink", sink)
                .description("Records of the readings topic the sink's consumer group has not committed yet").register(meters));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() {
                lag.start(Duration.ofSeconds(10));
            }

            @Override
            protected void doStop() throws Exception {
                lag.close();
            }
        });
    }

    /** Cluster mode's readings topic as an instance of the sink type kafka, the one the pollers hand snapshots to. */
    private static SinkConfig publisher(ReadingsSettings readings, KafkaSettings kafka) {
        return new SinkConfig(ReadingsSettings.PUBLISHER, "kafka", true, readings.publisherOptions(kafka));
    }

    /**
     * {@code readings-NAME}: the sink NAME as a reader of the readings topic, with its written keys in
     * state/readings-NAME.keys and a health check readings-NAME.
     */
    private static void readingsConsumer(CamelContext context, Settings settings, String name,
                                         Function<Exchange, List<?>> deliveries, MeterRegistry meters,
                                         HealthCheckRegistry health) throws Exception {
        WrittenKeys written = new WrittenKeys(settings.filesDirectory().resolve("state/readings-" + name + ".keys"));
        int retry = Integer.parseInt(context.resolvePropertyPlaceholders("{{ecubridge.outbox.retry-seconds}}"));
        // the pause holds the consumer's thread: well below the Kafka consumer's max.poll.interval.ms (5 min)
        ReadingsConsumer consumer = new ReadingsConsumer(name, deliveries, written, Duration.ofSeconds(Math.min(retry, 60)),
                new SinkFailures(name, meters), meters);
        context.getRegistry().bind("readings-" + name, consumer);
        if (health != null) {
            health.register(BridgeHealthChecks.readings(consumer));
        }
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                written.close();
            }
        });
    }

    /**
     * The routes of each enabled sink: the common delivery rule, then its type's send route; in cluster mode with a
     * readings topic, those of the instance that writes it (poller) and each sink's reader of it (sinks).
     */
    static void addRoutes(CamelContext context, Settings settings, ReadingsSettings readings, KafkaSettings kafka) throws Exception {
        List<SinkConfig> instances = new ArrayList<>(settings.enabledSinks());
        if (readings.publishes()) {
            instances.add(publisher(readings, kafka));
        }
        for (SinkConfig s : instances) {
            for (String template : new String[] {"sink-handover", "sink-delivery", "sink-replay", s.type() + "-send"}) {
                route(context, template, s);
            }
            if (s.type().equals("mqtt") && Boolean.parseBoolean(s.option("discovery-listener"))) {
                route(context, "mqtt-ha-status", s);
            }
        }
        if (readings.consumes()) {
            List<String> readers = new ArrayList<>(settings.enabledSinks().stream().map(SinkConfig::name).toList());
            if (settings.filesEnabled()) {
                readers.add(ReadingsSettings.FILES);
            }
            // a dead or frozen reader's partitions move on after the cluster's session timeout, as a poller's do
            int sessionMs = Integer.parseInt(context.resolvePropertyPlaceholders("{{ecubridge.cluster.session-timeout-ms}}"));
            for (String name : readers) {
                TemplatedRouteBuilder.builder(context, "sink-consumer").routeId("sink-consumer-" + name)
                        .parameter("session-timeout-ms", String.valueOf(sessionMs))
                        .parameter("heartbeat-interval-ms", String.valueOf(ClusterSettings.heartbeatMs(sessionMs)))
                        .parameter("name", name)
                        .parameter("component", "kafka-" + ReadingsSettings.PUBLISHER)
                        .parameter("topic", readings.topic())
                        .parameter("group", readings.group(name))
                        .add();
            }
        }
    }

    private static void route(CamelContext context, String template, SinkConfig s) {
        TemplatedRouteBuilder route = TemplatedRouteBuilder.builder(context, template).routeId(template + "-" + s.name())
                .parameter("name", s.name());
        for (Map.Entry<String, String> option : s.options().entrySet()) {
            if (!isSecret(option.getKey())) {
                route.parameter(option.getKey(), option.getValue());
            }
        }
        route.add();
    }

    /** Secrets stay in beans, never in endpoint URIs. */
    private static boolean isSecret(String key) {
        return key.equals("token") || key.endsWith("password") || key.equals("bearer-token") || key.equals("sasl-jaas-config");
    }

    /** What each type needs besides the common rule. A new type adds its case here. */
    private static SinkFormat format(CamelContext context, Settings settings, SinkConfig s) throws Exception {
        return switch (s.type()) {
            case "influxdb" -> {
                influxClient(context, s);
                yield new InfluxFormat();
            }
            case "mqtt" -> {
                mqttComponent(context, s);
                yield new MqttFormat(new MqttMessages(s.option("base-topic"), s.option("discovery-prefix"),
                        Boolean.parseBoolean(s.option("discovery")), 3L * settings.pollIntervalSeconds(), settings.night(),
                        VersionProvider.version()));
            }
            case "http" -> new HttpFormat(s.option("headers"), s.option("username"), s.option("password"), s.option("bearer-token"));
            case "kafka" -> {
                kafkaClients(context, s);
                yield new KafkaFormat(s.option("topic"), s.option("inverter-topic"));
            }
            default -> throw new IllegalStateException("sink type " + s.type());
        };
    }

    private static Duration timeout(CamelContext context) {
        return Duration.ofSeconds(Integer.parseInt(context.resolvePropertyPlaceholders("{{ecubridge.sink-timeout-seconds}}")));
    }

    /** Bound as influxdb-NAME; writes block (a failed write fails the exchange); closed when Camel stops. */
    private static void influxClient(CamelContext context, SinkConfig s) throws Exception {
        Duration timeout = timeout(context);
        InfluxDBClient client = InfluxDBClientFactory.create(InfluxDBClientOptions.builder()
                .url(s.option("url"))
                .authenticateToken(s.option("token").toCharArray())
                .org(s.option("org"))
                .bucket(s.option("bucket"))
                .okHttpClient(new OkHttpClient.Builder().connectTimeout(timeout).readTimeout(timeout)
                        .writeTimeout(timeout).callTimeout(timeout))
                .build());
        context.getRegistry().bind("influxdb-" + s.name(), BlockingInfluxClient.wrap(client));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                client.close();
            }
        });
    }

    /** The component mqtt-NAME holds the credentials and TLS trust, so they stay out of endpoint URIs. */
    private static void mqttComponent(CamelContext context, SinkConfig s) throws Exception {
        PahoMqtt5Component component = new PubackCheckingMqttComponent();
        if (!s.option("username").isEmpty()) {
            component.getConfiguration().setUserName(s.option("username"));
            component.getConfiguration().setPassword(s.option("password"));
        }
        Properties ssl = new Properties();
        String truststore = s.option("truststore");
        if (!truststore.isEmpty()) {
            ssl.setProperty("com.ibm.ssl.trustStore", truststore);
            ssl.setProperty("com.ibm.ssl.trustStorePassword", s.option("truststore-password"));
            ssl.setProperty("com.ibm.ssl.trustStoreType", truststore.endsWith(".jks") ? "JKS" : "PKCS12");
        }
        component.getConfiguration().setSslClientProps(ssl);
        context.addComponent("mqtt-" + s.name(), component);
    }

    /**
     * The component kafka-NAME (the brokers and security settings, an idempotent producer that gives up after the sink
     * timeout) and kafka-written-NAME, the replay's look-up of what a send that timed out wrote all the same.
     */
    private static void kafkaClients(CamelContext context, SinkConfig s) throws Exception {
        Map<String, String> client = KafkaSettings.client(k -> Optional.of(s.option(k)));
        int timeoutMs = (int) timeout(context).toMillis();
        KafkaConfiguration producer = new KafkaConfiguration();
        producer.setBrokers(s.option("bootstrap-servers"));
        producer.setRequestRequiredAcks("all");
        producer.setEnableIdempotence(true);
        producer.setMaxBlockMs(timeoutMs);
        producer.setRequestTimeoutMs(timeoutMs);
        producer.setDeliveryTimeoutMs(timeoutMs);
        producer.setLingerMs(0);
        producer.setAdditionalProperties(new HashMap<>(client));
        client.forEach((property, value) -> {
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
        // consumers of the readings topic commit each record themselves, synchronously, once their sink wrote it
        component.setKafkaManualCommitFactory(new DefaultKafkaManualCommitFactory());
        context.addComponent("kafka-" + s.name(), component);
        KafkaWritten written = new KafkaWritten(() -> new KafkaConsumer<>(
                KafkaWritten.consumerProperties(s.option("bootstrap-servers"), client), new StringDeserializer(), new StringDeserializer()));
        context.getRegistry().bind("kafka-written-" + s.name(), written);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                written.close();
            }
        });
    }
}
