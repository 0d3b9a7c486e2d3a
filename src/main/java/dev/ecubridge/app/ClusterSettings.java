package dev.ecubridge.app;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code ecubridge.cluster.*} keys: the compacted topic that holds the shared ECU list (one record per ECU, keyed by
 * its name) and its partition count, the unit in which ECUs move between instances.
 */
public record ClusterSettings(String targetsTopic, int partitions, List<String> problems) {

    public ClusterSettings {
        problems = List.copyOf(problems);
    }

    public static ClusterSettings read(Function<String, Optional<String>> lookup) {
        Settings.Reader r = new Settings.Reader(lookup);
        String topic = r.string("ecubridge.cluster.targets-topic", "ecu-targets");
        r.nonEmpty("ecubridge.cluster.targets-topic", topic);
        int partitions = r.integer("ecubridge.cluster.partitions", 12, 1, 10_000);
        return new ClusterSettings(topic, partitions, r.problems);
    }
}
