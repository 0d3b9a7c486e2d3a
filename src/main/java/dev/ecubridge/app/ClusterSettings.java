package dev.ecubridge.app;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code ecubridge.cluster.*} keys: the compacted topic that holds the shared ECU list (one record per ECU, keyed by
 * its name) and its partition count, the unit in which ECUs move between instances; the compacted topic that holds each
 * ECU's state (same key, same partition count), which moves with it; and, with cluster mode on, the consumer group the
 * pollers form over the targets.
 */
public record ClusterSettings(boolean enabled, String targetsTopic, String stateTopic, int partitions, String groupId,
                              int sessionTimeoutMs, int guardMarginMs, List<String> problems) {

    /** The heartbeat of every consumer group member the bridge runs: a fifth of the session timeout. */
    public static int heartbeatMs(int sessionTimeoutMs) {
        return Math.max(100, sessionTimeoutMs / 5);
    }


    public ClusterSettings {
        problems = List.copyOf(problems);
    }

    public static ClusterSettings read(Function<String, Optional<String>> lookup) {
        Settings.Reader r = new Settings.Reader(lookup);
        boolean enabled = r.bool("ecubridge.cluster.enabled", false);
        String topic = r.string("ecubridge.cluster.targets-topic", "ecu-targets");
        r.nonEmpty("ecubridge.cluster.targets-topic", topic);
        String stateTopic = r.string("ecubridge.cluster.state-topic", "ecu-state");
        r.nonEmpty("ecubridge.cluster.state-topic", stateTopic);
        if (stateTopic.equals(topic)) {
            r.problems.add("ecubridge.cluster.state-topic=" + stateTopic + ": must differ from ecubridge.cluster.targets-topic");
        }
        int partitions = r.integer("ecubridge.cluster.partitions", 12, 1, 10_000);
        String group = r.string("ecubridge.cluster.group-id", "ecu-bridge-pollers");
        int session = r.integer("ecubridge.cluster.session-timeout-ms", 45_000, 1_000, 3_600_000);
        int margin = r.integer("ecubridge.cluster.guard-margin-ms", 15_000, 0, 3_600_000);
        if (margin >= session) {
            r.problems.add("ecubridge.cluster.guard-margin-ms=" + margin + ": must be below ecubridge.cluster.session-timeout-ms=" + session);
        }
        return new ClusterSettings(enabled, topic, stateTopic, partitions, group, session, margin, r.problems);
    }
}
