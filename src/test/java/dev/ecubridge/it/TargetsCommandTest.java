package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.app.EcuBridgeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code targets import/list/remove} against a real broker: the ECU file into a compacted topic and back. */
class TargetsCommandTest {

    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private Run run(String... args) throws Exception {
        Path config = tmp.resolve("cluster.properties");
        Files.writeString(config, "ecubridge.kafka.bootstrap-servers=" + kafka.bootstrapServers()
                + "\necubridge.cluster.partitions=3\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = EcuBridgeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return new Run(cli.execute(all), out.toString(), err.toString());
    }

    @Test
    void importListChangeAndRemove() throws Exception {
        Path ecus = tmp.resolve("ecus.txt");
        Files.writeString(ecus, "# roofs\nnorth 192.168.1.20 8899\nsouth 192.168.1.21 8899 Europe/Amsterdam\nbarn,10.0.0.5,8899\n");
        Run first = run("targets", "import", ecus.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("3 added, 0 changed, 0 removed, 0 unchanged");
        assertThat(run("targets", "list").out().lines().toList()).containsExactly(
                "barn 10.0.0.5 8899", "north 192.168.1.20 8899", "south 192.168.1.21 8899 Europe/Amsterdam");

        // the topic: compacted, the partitions of the settings, keyed by name
        try (var admin = kafka.admin()) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "ecu-targets");
            assertThat(admin.describeConfigs(List.of(topic)).all().get().get(topic)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
            assertThat(admin.describeTopics(List.of("ecu-targets")).allTopicNames().get().get("ecu-targets").partitions()).hasSize(3);
        }

        Files.writeString(ecus, "north 192.168.1.20 8899\nsouth 192.168.1.99 8899 Europe/Amsterdam\n");
        Run second = run("targets", "import", ecus.toString());
        assertThat(second.out()).contains("0 added, 1 changed, 1 removed, 1 unchanged");
        assertThat(run("targets", "list").out().lines().toList()).containsExactly(
                "north 192.168.1.20 8899", "south 192.168.1.99 8899 Europe/Amsterdam");
        List<ConsumerRecord<String, String>> records = kafka.records("ecu-targets");
        assertThat(records).filteredOn(r -> r.key().equals("barn")).extracting(ConsumerRecord::value)
                .containsExactly("{\"host\":\"10.0.0.5\",\"port\":8899}", null);

        assertThat(run("targets", "remove", "north", "nowhere").err()).contains("not in the list: nowhere");
        assertThat(run("targets", "list").out().lines().toList()).containsExactly("south 192.168.1.99 8899 Europe/Amsterdam");

        Files.writeString(ecus, "bad line\n");
        Run bad = run("targets", "import", ecus.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains(":1: 'bad line'");
        assertThat(Map.of("list", run("targets", "list").out().lines().count())).containsEntry("list", 1L);
    }
}
