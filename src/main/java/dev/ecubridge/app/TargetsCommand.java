package dev.ecubridge.app;

import dev.ecubridge.cluster.EcuTarget;
import dev.ecubridge.cluster.EcuTargets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code targets import|list|remove}: the ECU list that cluster instances share, in a compacted Kafka topic. */
@Command(name = "targets",
        mixinStandardHelpOptions = true,
        description = {"The ECU list of a cluster of bridges: a compacted Kafka topic (ecubridge.cluster.targets-topic, at "
                + "ecubridge.kafka.bootstrap-servers with the ecubridge.kafka security settings, else those of the sink "
                + "ecubridge.sink.kafka), one record per ECU keyed by "
                + "its name.",
                "Exit code 2: the settings or the file have problems; 1: Kafka could not be reached."},
        subcommands = {TargetsCommand.Import.class, TargetsCommand.ListTargets.class, TargetsCommand.Remove.class})
final class TargetsCommand {

    /** The topic of the settings, created (compacted, ecubridge.cluster.partitions) if it does not exist. */
    private static EcuTargets topic(ConfigOption config, PrintWriter err) throws Exception {
        EcuBridgeApp app = new EcuBridgeApp(config.sources());
        KafkaSettings kafka = app.kafkaSettings();
        ClusterSettings cluster = app.clusterSettings();
        List<String> problems = new ArrayList<>(cluster.problems());
        if (ConfigOption.report(problems, err)) {
            return null;
        }
        EcuTargets targets = new EcuTargets(kafka.clientProperties(), cluster.targetsTopic());
        targets.create(cluster.partitions());
        return targets;
    }

    private static int failed(Exception e, PrintWriter err) {
        err.println("kafka: " + (e.getCause() != null ? e.getCause() : e));
        return 1;
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Make the topic hold the ECUs of FILE (the format of ecubridge.ecus-file: name host port [zone] a "
                    + "line): new and changed ECUs are written, ECUs no longer in the file are removed (tombstones) unless "
                    + "--keep-others. Prints what changed.")
    static final class Import implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();

        @Parameters(paramLabel = "FILE", description = "the ECU list")
        Path file;

        @Option(names = "--keep-others", description = "leave the ECUs that are not in the file in the list")
        boolean keepOthers;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            EcusFile ecus = EcusFile.read(file);
            if (ConfigOption.report(ecus.problems(), err)) {
                return 2;
            }
            try {
                EcuTargets targets = topic(config, err);
                if (targets == null) {
                    return 2;
                }
                Map<String, EcuTarget> wanted = new LinkedHashMap<>();
                ecus.ecus().forEach(e -> wanted.put(e.name(), new EcuTarget(e.host(), e.port(), e.zone() == null ? null : e.zone().getId())));
                EcuTargets.Changes c = targets.write(wanted, !keepOthers);
                out.printf("%d added, %d changed, %d removed, %d unchanged%n", c.added().size(), c.changed().size(),
                        c.removed().size(), c.unchanged());
                out.flush();
                return 0;
            } catch (Exception e) {
                return failed(e, err);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print the list, one ECU a line in the format of ecubridge.ecus-file (so it can be imported again).")
    static final class ListTargets implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                EcuTargets targets = topic(config, err);
                if (targets == null) {
                    return 2;
                }
                targets.read().forEach((name, t) -> out.println(name + " " + t.host() + " " + t.port()
                        + (t.zone() == null ? "" : " " + t.zone())));
                out.flush();
                return 0;
            } catch (Exception e) {
                return failed(e, err);
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove ECUs from the list by name (tombstones).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();

        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try {
                EcuTargets targets = topic(config, err);
                if (targets == null) {
                    return 2;
                }
                List<String> unknown = targets.remove(names);
                unknown.forEach(n -> err.println("not in the list: " + n));
                err.flush();
                return 0;
            } catch (Exception e) {
                return failed(e, err);
            }
        }
    }
}
