package dev.ecubridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.sinks.SinkConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sink instances as configured: new keys, the keys from before ecubridge.sinks, the defaults of each type. */
class SinkSettingsTest {

    @Test
    void anInstanceTakesTheDefaultsOfItsTypeAndItsOwnKeys() {
        Settings s = new EcuBridgeApp().with(Map.of(
                "ecubridge.sinks", "influxdb,cloud",
                "ecubridge.sink.cloud.type", "influxdb",
                "ecubridge.sink.cloud.enabled", "true",
                "ecubridge.sink.cloud.url", "https://influx.example.org",
                "ecubridge.sink.cloud.token", "t")).settings();
        assertThat(s.problems()).isEmpty();
        SinkConfig cloud = s.sink("cloud");
        assertThat(cloud.type()).isEqualTo("influxdb");
        assertThat(cloud.option("url")).isEqualTo("https://influx.example.org");
        assertThat(cloud.option("bucket")).isEqualTo(s.sink("influxdb").option("bucket")).isNotEmpty();
        assertThat(s.enabledSinks()).extracting(SinkConfig::name).containsExactly("cloud");
    }

    @Test
    void theOlderKeysSetTheInstancesOfTheirNameAndWin() {
        Settings s = new EcuBridgeApp().with(Map.of(
                "ecubridge.influxdb.enabled", "true",
                "ecubridge.influxdb.token", "old",
                "ecubridge.sink.influxdb.token", "new",
                "ecubridge.mqtt.base-topic", "solar")).settings();
        assertThat(s.problems()).isEmpty();
        assertThat(s.sink("influxdb").enabled()).isTrue();
        assertThat(s.sink("influxdb").option("token")).isEqualTo("old");
        assertThat(s.sink("mqtt").option("base-topic")).isEqualTo("solar");
        assertThat(s.sink("mqtt").enabled()).isFalse();
    }

    @Test
    void eachMistakeIsOneLineNamingTheKey() {
        Settings s = new EcuBridgeApp().with(Map.of(
                "ecubridge.sinks", "mqtt,Web,web,web",
                "ecubridge.sink.web.type", "ftp",
                "ecubridge.influxdb.enabled", "true")).settings();
        assertThat(s.problems()).containsExactly(
                "ecubridge.sinks: 'Web' is no name (lower-case letters, digits and '-')",
                "ecubridge.sink.web.type=ftp: must be one of http, influxdb, kafka, mqtt",
                "ecubridge.sinks: 'web' is listed twice",
                "ecubridge.influxdb.enabled=true, but ecubridge.sinks does not list 'influxdb': add it, or configure the sink as ecubridge.sink.NAME.*");
    }

    @Test
    void theOlderKafkaKeysSetTheInstanceKafka() {
        Settings s = new EcuBridgeApp().with(Map.of(
                "ecubridge.kafka.enabled", "true",
                "ecubridge.kafka.bootstrap-servers", "k1:9092",
                "ecubridge.kafka.sasl-jaas-config", "secret",
                "ecubridge.sink.kafka.topic", "solar")).settings();
        assertThat(s.problems()).isEmpty();
        SinkConfig kafka = s.sink("kafka");
        assertThat(kafka.type()).isEqualTo("kafka");
        assertThat(kafka.enabled()).isTrue();
        assertThat(kafka.option("bootstrap-servers")).isEqualTo("k1:9092");
        assertThat(kafka.option("sasl-jaas-config")).isEqualTo("secret");
        assertThat(kafka.option("topic")).isEqualTo("solar");
        // cluster mode's connection: the same brokers and security settings
        KafkaSettings cluster = new EcuBridgeApp().with(Map.of("ecubridge.sink.kafka.bootstrap-servers", "k2:9092",
                "ecubridge.sink.kafka.security-protocol", "SSL")).kafkaSettings();
        assertThat(cluster.bootstrapServers()).isEqualTo("k2:9092");
        assertThat(cluster.client()).containsEntry("security.protocol", "SSL");
    }
}
