package dev.ecubridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void theShippedDefaultsAreValid() {
        Settings s = new EcuBridgeApp().settings();
        assertThat(s.problems()).isEmpty();
        assertThat(s.pollIntervalSeconds()).isEqualTo(300);
        assertThat(s.ecus()).containsExactly(new Settings.Ecu("127.0.0.1", "127.0.0.1", 8899));
        assertThat(s.sink("mqtt").option("base-topic")).isEqualTo("apsystems");
        assertThat(s.filesEnabled()).isTrue();
    }

    /** A shipped default as the properties component gives it (empty values are none). */
    static Optional<String> shipped(String key) {
        return ShippedDefaults.entries().stream().filter(e -> e.key().equals(key) && e.value() != null)
                .map(ShippedDefaults.Entry::value).filter(v -> !v.isBlank()).findFirst();
    }

    /** Settings holds no defaults: every key it and MeterSettings read is in the shipped file, which has the default. */
    @Test
    void everyKeyTheSettingsReadIsInTheShippedFile() {
        Set<String> shippedKeys = new TreeSet<>();
        ShippedDefaults.entries().forEach(e -> shippedKeys.add(e.key()));
        Set<String> read = new TreeSet<>();
        // with every optional part switched on, so that the keys read only then are read too
        Map<String, String> on = Map.of("ecubridge.meter.enabled", "true", "ecubridge.influxdb.enabled", "true",
                "ecubridge.mqtt.enabled", "true");
        // the older sink keys (ecubridge.influxdb.*, ecubridge.mqtt.*) are read for compatibility, never shipped
        Function<String, Optional<String>> lookup = k -> {
            if (SinkSettings.LEGACY.stream().noneMatch(type -> k.startsWith("ecubridge." + type + "."))) {
                read.add(k);
            }
            return Optional.ofNullable(on.get(k)).or(() -> shipped(k));
        };
        Settings s = Settings.read(lookup);
        MeterSettings.read(lookup, s.ecus());
        assertThat(read).hasSizeGreaterThan(30);
        assertThat(read).as("keys read that the shipped application.properties lacks").isSubsetOf(shippedKeys);
        assertThat(s.problems()).as("the shipped defaults are complete").allMatch(p -> p.contains("influxdb.token"));
    }

    @Test
    void everyProblemIsOneExplainedLine() {
        Settings s = new EcuBridgeApp().with(Map.of(
                "ecubridge.ecus", "roof=127.0.0.1:8899,garage=127.0.0.1:99999,127.0.0.1",
                "ecubridge.poll-interval-seconds", "often",
                "ecubridge.zone", "Mars/Olympus",
                "ecubridge.mqtt.enabled", "yes",
                "ecubridge.influxdb.enabled", "true",
                "ecubridge.influxdb.url", "localhost:8086")).settings();
        assertThat(s.problems()).containsExactly(
                "ecubridge.ecus: 'garage=127.0.0.1:99999' is not host[:port]",
                "ecubridge.ecus: 127.0.0.1:8899 is listed twice (one connection per ECU at a time)",
                "ecubridge.poll-interval-seconds=often: not a whole number",
                "ecubridge.zone=Mars/Olympus: not a time zone (e.g. Europe/Amsterdam)",
                "ecubridge.influxdb.url=localhost:8086: must start with http:// or https://",
                "ecubridge.influxdb.token is empty: InfluxDB 2 takes writes with a token only (best set as ECUBRIDGE_INFLUXDB_TOKEN)",
                "ecubridge.mqtt.enabled=yes: true or false");
    }

    @Test
    void aShortIntervalIsAWarningNotAnError() {
        Settings s = new EcuBridgeApp().with("ecubridge.poll-interval-seconds", 30).settings();
        assertThat(s.problems()).isEmpty();
        assertThat(s.warnings()).singleElement().asString().startsWith("ecubridge.poll-interval-seconds=30: below 60 s");
    }

    /** User routes: routes.d beside the settings file in use, unless ecubridge.user-routes.directory names a folder. */
    @Test
    void userRoutesAreBesideTheSettingsFile() {
        Path config = dir.resolve("etc/application.properties");
        assertThat(new EcuBridgeApp(SettingsSources.configOption(config)).userRoutesDirectory()).isEqualTo(dir.resolve("etc/routes.d"));
        assertThat(new EcuBridgeApp().userRoutesDirectory()).isEqualTo(Path.of("routes.d").toAbsolutePath());
        assertThat(new EcuBridgeApp().with("ecubridge.user-routes.directory", dir.toString()).userRoutesDirectory()).isEqualTo(dir);
    }

    /** {@code run --help} lists every key of the jar's application.properties with its default, read from that file. */
    @Test
    void runHelpListsEveryKeyWithItsDefault() throws Exception {
        StringWriter help = new StringWriter();
        CommandLine cli = EcuBridgeCli.commandLine();
        cli.setOut(new PrintWriter(help));
        assertThat(cli.execute("run", "--help")).isZero();
        Properties shipped = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            shipped.load(in);
        }
        List<String> lines = help.toString().lines().map(String::strip).toList();
        assertThat(lines).anyMatch(l -> l.startsWith("--config=FILE"));
        for (String key : shipped.stringPropertyNames()) {
            assertThat(lines).contains(key + "=" + shipped.getProperty(key));
        }
        assertThat(lines).contains("ecubridge.sink.mqtt.password=");
    }

    @Test
    void anEcuFileReplacesTheListItsBadLinesAreWarningsAndAMissingFileIsAProblem() throws Exception {
        Path file = dir.resolve("ecus.txt");
        java.nio.file.Files.write(file, List.of("roof 192.0.2.10 8899", "half 192.0.2.11"));
        Settings s = new EcuBridgeApp().with("ecubridge.ecus-file", file).settings();
        assertThat(s.problems()).isEmpty();
        assertThat(s.ecus()).containsExactly(new Settings.Ecu("roof", "192.0.2.10", 8899));
        assertThat(s.warnings()).singleElement().asString().startsWith(file + ":2: 'half 192.0.2.11'");

        Settings missing = new EcuBridgeApp().with("ecubridge.ecus-file", dir.resolve("none.txt")).settings();
        assertThat(missing.problems()).singleElement().asString().startsWith("ecubridge.ecus-file=" + dir.resolve("none.txt"));
    }

    /** A real process: environment variables override application.properties, and a bad value exits with 2. */
    @Test
    void environmentVariablesOverrideAndABadConfigurationExitsWith2() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EcuBridgeCli.class.getName(), "run"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false);
        pb.environment().put("ECUBRIDGE_POLL_INTERVAL_SECONDS", "0");
        pb.environment().put("ECUBRIDGE_MQTT_BASE_TOPIC", "solar/#");
        pb.redirectOutput(new File(dir.toFile(), "out.txt"));
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err.lines().toList()).containsExactly(
                "configuration: ecubridge.poll-interval-seconds=0: must be between 1 and 86400",
                "configuration: ecubridge.mqtt.base-topic='solar/#': a topic without wildcards or a trailing /");
    }
}
