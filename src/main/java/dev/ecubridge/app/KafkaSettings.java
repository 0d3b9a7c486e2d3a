package dev.ecubridge.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where cluster mode finds Kafka: the brokers and the client's security settings. Each is the key
 * {@code ecubridge.kafka.KEY} when set, else the Kafka sink instance's {@code ecubridge.sink.kafka.KEY} (and its
 * shipped default). {@link #CLIENT_KEYS} are also the security keys of the sink type kafka.
 *
 * @param client Kafka client properties (security.protocol, sasl.*, ssl.*)
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> client) {

    /** ecu-bridge key suffix and the Kafka client property it sets. */
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
    }

    public static KafkaSettings read(Function<String, Optional<String>> lookup) {
        Function<String, Optional<String>> key = k -> lookup.apply("ecubridge.kafka." + k).map(String::trim)
                .filter(v -> !v.isEmpty()).or(() -> lookup.apply("ecubridge.sink.kafka." + k).map(String::trim)
                        .filter(v -> !v.isEmpty()));
        return new KafkaSettings(key.apply("bootstrap-servers").orElse(""), client(key));
    }

    /** The Kafka client properties of the security keys an option function gives (empty: not set). */
    static Map<String, String> client(Function<String, Optional<String>> option) {
        Map<String, String> client = new LinkedHashMap<>();
        CLIENT_KEYS.forEach((key, property) -> option.apply(key).map(String::trim).filter(v -> !v.isEmpty())
                .ifPresent(v -> client.put(property, v)));
        return client;
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
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", client=" + client.keySet() + "]";
    }
}
