package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.sinks.kafka.KafkaDelivery;
import dev.ecubridge.sinks.kafka.KafkaRecord;
import dev.ecubridge.sinks.kafka.KafkaWritten;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A send that timed out after the broker had written it: the replay finds its records in their partitions (three
 * partitions, keys spread over them) and sends only the others; once the doubt is cleared it no longer reads back.
 */
class KafkaWrittenTest {

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @Test
    void aReplayLeavesOutWhatTheBrokerAlreadyHas() throws Exception {
        try (var admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("snapshots", 3, (short) 1))).all().get();
        }
        KafkaRecord written = new KafkaRecord("snapshots", "216000012345", 1_000L, "{\"a\":1}");
        KafkaRecord writtenElsewhere = new KafkaRecord("snapshots", "216000099999", 2_000L, "{\"b\":1}");
        KafkaRecord notWritten = new KafkaRecord("snapshots", "216000012345", 301_000L, "{\"a\":2}");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            for (KafkaRecord r : List.of(written, writtenElsewhere)) {
                producer.send(new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value())).get();
            }
            // other ECUs' records after them in the same partitions
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("snapshots", null, 5_000L + i, "2160000" + i, "{}")).get();
            }
        }
        KafkaWritten check = new KafkaWritten(() -> new KafkaConsumer<>(
                KafkaWritten.consumerProperties(kafka.bootstrapServers(), Map.of()), new StringDeserializer(), new StringDeserializer()));
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setBody(new KafkaDelivery(List.of(written, notWritten, writtenElsewhere)));
            check.unsent(exchange);
            assertThat(exchange.getMessage().getBody(KafkaDelivery.class).records()).containsExactly(notWritten);

            // no doubt since: what it is given is sent as it is
            exchange.getMessage().setBody(new KafkaDelivery(List.of(written)));
            check.unsent(exchange);
            assertThat(exchange.getMessage().getBody(KafkaDelivery.class).records()).containsExactly(written);

            check.uncertain();
            check.unsent(exchange);
            assertThat(exchange.getMessage().getBody(KafkaDelivery.class).records()).isEmpty();
        } finally {
            check.close();
        }
    }
}
