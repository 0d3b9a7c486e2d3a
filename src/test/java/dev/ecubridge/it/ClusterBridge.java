package dev.ecubridge.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.ecubridge.simulator.SimulatorFleet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.List;
import java.util.Map;

/**
 * A bridge process in cluster mode over a test broker ({@link BridgeProcess}), fast polling, its files under
 * {@code dir/data}, and what it owns as its metrics say.
 */
record ClusterBridge(String name, BridgeProcess process, int port, Path data) implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * @param options more JVM options ({@code -Dkey=value} settings), after the cluster ones
     */
    static ClusterBridge start(Path dir, String name, KafkaBroker kafka, int partitions, int sessionMs, List<String> options)
            throws Exception {
        int port = Ports.free();
        Path home = Files.createDirectories(dir.resolve(name));
        List<String> all = new ArrayList<>(List.of("-Xmx256m",
                "-Decubridge.poll-interval-seconds=1", "-Decubridge.query-pause-ms=20", "-Decubridge.first-poll-delay-ms=10",
                "-Decubridge.history.enabled=false", "-Decubridge.zone=" + TestBridge.ZONE.getId(),
                "-D" + TestBridge.SKEW_KEY + "=" + TestBridge.SKEW_FOR_SIMULATORS,
                "-Decubridge.files.directory=" + home.resolve("data"),
                "-Decubridge.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "-Decubridge.cluster.enabled=true", "-Decubridge.cluster.partitions=" + partitions,
                "-Decubridge.cluster.session-timeout-ms=" + sessionMs, "-Decubridge.cluster.guard-margin-ms=1000",
                "-Dcamel.management.port=" + port));
        all.addAll(options);
        return new ClusterBridge(name, BridgeProcess.start(home, Map.of(), all, "run"), port, home.resolve("data"));
    }

    /** What an instance owns: partitions of the targets topic and their ECUs; -1 while it does not answer. */
    record Owned(int partitions, int ecus) {
    }

    /** The ECUs it owns (gauge ecubridge_cluster_ecus); -1 while it does not answer. */
    int ecus() {
        return owned().ecus();
    }

    /** The partitions and ECUs it owns, from one scrape of its metrics. */
    Owned owned() {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return new Owned(gauge(metrics, "ecubridge_cluster_partitions"), gauge(metrics, "ecubridge_cluster_ecus"));
        } catch (Exception notYet) {
            return new Owned(-1, -1);
        }
    }

    private static int gauge(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim())).orElse(-1);
    }

    /**
     * Just after one bridge was frozen: the ECUs (by index in the fleet) to which a connection stays open for 1.5 s,
     * that is one the frozen process held (a live bridge's connections last milliseconds). A stopped process cannot
     * close it, so the ECU's new owner may connect while it is open: the one overlap no client can prevent.
     */
    static Set<Integer> connectionsHeldOpen(SimulatorFleet fleet) throws InterruptedException {
        Set<Integer> held = openConnections(fleet);
        Thread.sleep(1500);
        held.retainAll(openConnections(fleet));
        return held;
    }

    private static Set<Integer> openConnections(SimulatorFleet fleet) {
        return IntStream.range(0, fleet.servers().size()).filter(i -> fleet.server(i).openConnections() > 0).boxed()
                .collect(Collectors.toCollection(HashSet::new));
    }

    /**
     * The partitions of the targets topic it owns now, from what it logged ("Cluster: assigned partitions [..]",
     * "partitions [..] revoked", "partitions [..] lost"; the cooperative assignor names only those that change).
     */
    Set<Integer> partitionIds() throws Exception {
        Set<Integer> owned = new HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Cluster: (assigned )?partitions \\[([0-9, ]*)\\] ?(of|revoked|lost)")
                .matcher(process.output());
        while (m.find()) {
            Set<Integer> ids = java.util.Arrays.stream(m.group(2).replace(" ", "").split(",")).filter(id -> !id.isEmpty())
                    .map(Integer::valueOf).collect(Collectors.toSet());
            if (m.group(1) != null) {
                owned.addAll(ids);
            } else {
                owned.removeAll(ids);
            }
        }
        return owned;
    }

    /** Its warnings and errors and the end of what it printed, for a failure message. */
    String tail() {
        try {
            String o = process.output();
            List<String> warnings = o.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
            return "--- bridge " + name + " on " + port + ", warnings:\n"
                    + String.join("\n", warnings.subList(Math.max(0, warnings.size() - 30), warnings.size()))
                    + "\n--- its last lines:\n" + o.substring(Math.max(0, o.length() - 1500));
        } catch (Exception e) {
            return "--- bridge " + name + ": " + e;
        }
    }

    @Override
    public void close() throws Exception {
        if (process.alive()) {
            process.signal("CONT"); // a stopped process would keep SIGTERM pending
        }
        process.close();
    }
}
