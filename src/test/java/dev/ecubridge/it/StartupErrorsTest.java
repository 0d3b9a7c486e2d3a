package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad setting, and every port or directory that valid settings cannot use, is one line and exit code 2, and nothing else. */
class StartupErrorsTest {

    @TempDir
    Path dir;

    /**
     * Starts {@code run} in a real process with these lines as ./application.properties; what it printed, all of it.
     * The management port is a free one unless the test says otherwise (9876 may be taken on a shared machine).
     */
    private List<String> exitsWith2(Map<String, String> environment, List<String> settings, String... args) throws Exception {
        Files.write(dir.resolve("application.properties"), settings);
        Map<String, String> env = new HashMap<>(Map.of("CAMEL_MANAGEMENT_PORT", Integer.toString(Ports.free())));
        env.putAll(environment);
        try (BridgeProcess bridge = BridgeProcess.start(dir, env, List.of(), args)) {
            int exit = bridge.exitCode(Duration.ofSeconds(90));
            String output = bridge.output();
            assertThat(exit).as(output).isEqualTo(2);
            return output.lines().toList();
        }
    }

    @Test
    void aManagementPortOutOfRange() throws Exception {
        assertThat(exitsWith2(Map.of("CAMEL_MANAGEMENT_PORT", "70000"), List.of(), "run"))
                .containsExactly("configuration: camel.management.port=70000: must be between 1 and 65535");
    }

    @Test
    void aManagementPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThat(exitsWith2(Map.of("CAMEL_MANAGEMENT_PORT", Integer.toString(port)), List.of(), "run"))
                    .containsExactly("configuration: camel.management.port=" + port + ": 127.0.0.1:" + port
                            + " is in use (another ecu-bridge?) or not an address of this machine");
        }
    }

    @Test
    void influxDbWithoutToken() throws Exception {
        assertThat(exitsWith2(Map.of(), List.of("ecubridge.influxdb.enabled=true"), "run"))
                .containsExactly("configuration: ecubridge.influxdb.token is empty: InfluxDB 2 takes writes with a token only "
                                + "(best set as ECUBRIDGE_INFLUXDB_TOKEN)");
    }

    /** A file where a directory must be: the way to make a directory unusable that also holds when the tests run as root. */
    @Test
    void anOutboxOrFilesDirectoryThatCannotBeWritten() throws Exception {
        Files.writeString(dir.resolve("blocked"), "a file, not a directory");
        Path outbox = dir.resolve("blocked/outbox");
        assertThat(exitsWith2(Map.of("ECUBRIDGE_OUTBOX_DIRECTORY", outbox.toString()), List.of(), "run"))
                .containsExactly("configuration: ecubridge.outbox.directory=" + outbox + ": cannot write " + outbox
                        + " (" + dir.resolve("blocked") + " is a file)");
        // the outbox, under the files directory by default, is not reported again
        assertThat(exitsWith2(Map.of(), List.of("ecubridge.files.directory=blocked/data"), "run"))
                .containsExactly("configuration: ecubridge.files.directory=blocked/data: cannot write "
                        + dir.resolve("blocked/data") + " (" + dir.resolve("blocked") + " is a file)");
    }

    @Test
    void aConfigFileThatIsNotThere() throws Exception {
        assertThat(exitsWith2(Map.of(), List.of(), "run", "--config", "missing.properties"))
                .containsExactly("configuration: --config missing.properties: no such file");
    }
}
