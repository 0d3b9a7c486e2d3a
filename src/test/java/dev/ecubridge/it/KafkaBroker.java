package dev.ecubridge.it;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one) in its own JVM on loopback, from the test
 * class path ({@code kafka_2.13}, test scope), its data under {@code target/kafka/}. A JUnit extension started before
 * the class's first test and stopped after its last:
 * {@code @RegisterExtension static final KafkaBroker kafka = new KafkaBroker();}. {@link #stop()} and {@link #start()}
 * take it down and bring it back on the same port with the same data, for outage tests.
 * Consumer groups may use session timeouts down to {@link #MIN_SESSION_TIMEOUT_MS}.
 */
final class KafkaBroker implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback, AutoCloseable {

    static final int MIN_SESSION_TIMEOUT_MS = 1000;
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final int port = Ports.free();
    private final int controllerPort = Ports.free();
    private Path dir;
    private Path config;
    private Path log;
    private Process process;

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createDirectories(Path.of("target", "kafka")).toAbsolutePath();
        dir = Files.createTempDirectory(dir, context.getRequiredTestClass().getSimpleName() + "-");
        log = Files.createDirectories(Path.of("target", "test-logs")).toAbsolutePath()
                .resolve("kafka-" + context.getRequiredTestClass().getSimpleName() + ".log");
        config = dir.resolve("server.properties");
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", dir.resolve("data").toString()),
                Map.entry("num.partitions", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "3"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("group.min.session.timeout.ms", Integer.toString(MIN_SESSION_TIMEOUT_MS)),
                Map.entry("log.cleaner.backoff.ms", "1000"),
                // the records bear the simulators' ECU times, months before the broker's clock: no time-based
                // retention, or the broker deletes them between a sink writing them and the test reading them
                Map.entry("log.retention.ms", "-1"),
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "2"),
                Map.entry("background.threads", "2"),
                Map.entry("log.cleaner.threads", "1")));
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, "test broker");
        }
        int formatted = java(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString())).waitFor();
        if (formatted != 0) {
            throw new IllegalStateException("kafka storage format failed (" + formatted + "), see " + log);
        }
        start();
    }

    /** A test that stopped the broker and failed before it started it again leaves it stopped: the next finds it up. */
    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!process.isAlive()) {
            start();
        }
    }

    /** Starts the broker (again) and waits until it answers. */
    void start() throws Exception {
        process = java(List.of("kafka.Kafka", config.toString()));
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kafka broker ended (" + process.exitValue() + "), see " + log);
            }
            if (answers()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kafka broker not ready after " + STARTUP.toSeconds() + " s, see " + log);
            }
            Thread.sleep(200);
        }
    }

    /** Stops the broker (a clean shutdown, its data kept). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** An admin client on it, for tests to create and inspect topics. */
    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    /** Every record in the topic now, partition by partition in offset order; none while it does not exist. */
    List<ConsumerRecord<String, String>> records(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).sorted(Comparator.comparingInt(TopicPartition::partition))
                    .toList();
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                while (consumer.position(partition) < end) {
                    consumer.poll(Duration.ofMillis(500)).records(partition).forEach(all::add);
                }
            }
            return all;
        }
    }

    private boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        } catch (IOException notYet) {
            return false;
        }
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception notYet) {
            return false;
        }
    }

    private Process java(List<String> mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + logback(), "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** The broker logs through SLF4J, to logback on the test class path: warnings and its start/stop, to its log file. */
    private Path logback() throws IOException {
        Path file = dir.resolve("logback.xml");
        if (!Files.exists(file)) {
            Files.writeString(file, String.join("\n",
                    "<configuration>",
                    "  <appender name=\"out\" class=\"ch.qos.logback.core.ConsoleAppender\">",
                    "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>",
                    "  </appender>",
                    "  <logger name=\"kafka.server.KafkaRaftServer\" level=\"INFO\"/>",
                    "  <root level=\"WARN\"><appender-ref ref=\"out\"/></root>",
                    "</configuration>", ""));
        }
        return file;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        stop();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
