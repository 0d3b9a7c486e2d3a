package dev.ecubridge.app;

import java.util.LinkedHashMap;
import java.util.List;
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

    /** The security keys (ecu-bridge key suffixes); each sets the Kafka client property of its name with dots. */
    static final List<String> CLIENT_KEYS = List.of("security-protocol", "sasl-mechanism", "sasl-jaas-config",
            "ssl-truststore-location", "ssl-truststore-password", "ssl-truststore-type", "ssl-keystore-location",
            "ssl-keystore-password", "ssl-keystore-type", "ssl-key-password", "ssl-endpoint-identification-algorithm");

    /** The Kafka client property a security key sets: security-protocol -> security.protocol. */
    static String property(String key) {
        return key.replace('-', '.');
    }

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
        CLIENT_KEYS.forEach(key -> option.apply(key).map(String::trim).filter(v -> !v.isEmpty())
                .ifPresent(v -> client.put(property(key), v)));
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
