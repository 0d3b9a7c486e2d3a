package dev.ecubridge.app;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Cluster mode's readings topic ({@code ecubridge.cluster.readings-topic}, {@code roles}, {@code sink-group-prefix}):
 * pollers publish each ECU snapshot there, and each sink instance (and the files) reads it in its own consumer group.
 *
 * @param on     cluster mode with a readings topic; off, the pollers hand snapshots to their sinks' outboxes as in
 *               single-instance mode
 * @param partitions those of the targets topic ({@code ecubridge.cluster.partitions}), for the readings topic too
 * @param roles  {@link #POLLER}, {@link #SINKS} or both
 */
public record ReadingsSettings(boolean on, String topic, int partitions, Set<String> roles, String sinkGroupPrefix,
                               List<String> problems) {

    public static final String POLLER = "poller";
    public static final String SINKS = "sinks";
    /** The internal Kafka sink instance through which a poller writes the readings topic (its outbox, health, metrics). */
    public static final String PUBLISHER = "cluster-readings";
    /** The name under which the files consume the readings topic (group PREFIX-files). */
    public static final String FILES = "files";

    public ReadingsSettings {
        roles = Set.copyOf(roles);
        problems = List.copyOf(problems);
    }

    public static ReadingsSettings read(Function<String, Optional<String>> lookup) {
        Settings.Reader r = new Settings.Reader(lookup);
        ClusterSettings clusterSettings = ClusterSettings.read(lookup); // its problems are reported with it
        boolean cluster = clusterSettings.enabled();
        String topic = r.string("ecubridge.cluster.readings-topic", "ecu-readings");
        String prefix = r.string("ecubridge.cluster.sink-group-prefix", "ecu-bridge-sink");
        r.nonEmpty("ecubridge.cluster.sink-group-prefix", prefix);
        Set<String> roles = new LinkedHashSet<>();
        for (String role : r.string("ecubridge.cluster.roles", POLLER + "," + SINKS).split(",")) {
            String name = role.trim();
            if (name.equals(POLLER) || name.equals(SINKS)) {
                roles.add(name);
            } else if (!name.isEmpty()) {
                r.problems.add("ecubridge.cluster.roles: '" + name + "' is no role (" + POLLER + ", " + SINKS + ")");
            }
        }
        if (roles.isEmpty()) {
            r.problems.add("ecubridge.cluster.roles is empty: " + POLLER + ", " + SINKS + " or both");
        }
        boolean on = cluster && !topic.isEmpty();
        if (!on && cluster && !roles.contains(POLLER)) {
            r.problems.add("ecubridge.cluster.roles=" + String.join(",", roles) + " needs ecubridge.cluster.readings-topic");
        }
        if (on) {
            Arrays.stream(r.string("ecubridge.sinks").split(",")).map(String::trim)
                    .filter(n -> n.equals(PUBLISHER) || n.equals(FILES))
                    .forEach(n -> r.problems.add("ecubridge.sinks: '" + n + "' is taken in cluster mode (the readings topic)"));
        }
        return new ReadingsSettings(on, topic, clusterSettings.partitions(), roles, prefix, r.problems);
    }

    /** This instance polls ECUs (in cluster mode: those of its targets partitions). */
    public boolean polls() {
        return !on || roles.contains(POLLER);
    }

    /** Snapshots go to the readings topic rather than to this instance's sinks. */
    public boolean publishes() {
        return on && roles.contains(POLLER);
    }

    /** This instance's sinks (and files) consume the readings topic. */
    public boolean consumes() {
        return on && roles.contains(SINKS);
    }

    /** The consumer group of one sink instance (or {@link #FILES}). */
    public String group(String sink) {
        return sinkGroupPrefix + "-" + sink;
    }

    /** The options of the Kafka sink instance {@link #PUBLISHER}: the cluster's brokers and security keys, the topic. */
    Map<String, String> publisherOptions(KafkaSettings kafka) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("bootstrap-servers", kafka.bootstrapServers());
        options.put("topic", topic);
        options.put("inverter-topic", "");
        KafkaSettings.CLIENT_KEYS.forEach(key -> options.put(key, kafka.client().getOrDefault(KafkaSettings.property(key), "")));
        return options;
    }
}
