package dev.ecubridge.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code ecubridge.kafka.*} keys of the Kafka sink: where the brokers are, the topics, and the client's security
 * settings, passed to the Kafka producer under their Kafka names.
 *
 * @param inverterTopic empty: no per-inverter records
 * @param client        Kafka client properties (security.protocol, sasl.*, ssl.*)
 */
public record KafkaSettings(boolean enabled, String bootstrapServers, String topic, String inverterTopic,
                            Map<String, String> client, List<String> problems) {

    /** ecu-bridge key suffix (after {@code ecubridge.kafka.}) and the Kafka client property it sets. */
    static final Map<String, String> CLIENT_KEYS = Map.ofEntries(
            Map.entry("security-protocol", "security.protocol"),
            Map.entry("sasl-mechanism", "sasl.mechanism"),
            Map.entry("sasl-jaas-config", "sasl.jaas.config"),
            Map.entry("ssl-truststore-location", "ssl.truststore.location"),
            Map.entry("ssl-truststore-password", "ssl.truststore.password"),
            Map.entry("ssl-truststore-type", "ssl.truststore.type"),
            Map.entry("ssl-keystore-location", "ssl.keystore.location"),
            Map.entry("ssl-keystore-password", "ssl.keystore.password"),
            Map.entry("ssl-keystore-type", "ssl.keystore.type"),
            Map.entry("ssl-key-password", "ssl.key.password"),
            Map.entry("ssl-endpoint-identification-algorithm", "ssl.endpoint.identification.algorithm"));

    public KafkaSettings {
        client = Map.copyOf(client);
        problems = List.copyOf(problems);
    }

    public static KafkaSettings read(Function<String, Optional<String>> lookup) {
        Settings.Reader r = new Settings.Reader(lookup);
        boolean enabled = r.bool("ecubridge.kafka.enabled", false);
        String servers = r.string("ecubridge.kafka.bootstrap-servers", "");
        String topic = r.string("ecubridge.kafka.topic", "");
        String inverterTopic = r.string("ecubridge.kafka.inverter-topic", "");
        if (enabled) {
            r.nonEmpty("ecubridge.kafka.bootstrap-servers", servers);
            r.nonEmpty("ecubridge.kafka.topic", topic);
        }
        Map<String, String> client = new LinkedHashMap<>();
        CLIENT_KEYS.forEach((key, property) -> lookup.apply("ecubridge.kafka." + key).map(String::trim)
                .filter(v -> !v.isEmpty()).ifPresent(v -> client.put(property, v)));
        return new KafkaSettings(enabled, servers, topic, inverterTopic, client, r.problems);
    }

    /** What any Kafka client of the bridge is given: the brokers and the security settings. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new LinkedHashMap<>(client);
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** Never the passwords or the JAAS configuration. */
    @Override
    public String toString() {
        return "KafkaSettings[enabled=" + enabled + ", bootstrapServers=" + bootstrapServers + ", topic=" + topic
                + ", inverterTopic=" + inverterTopic + ", client=" + client.keySet() + "]";
    }
}
