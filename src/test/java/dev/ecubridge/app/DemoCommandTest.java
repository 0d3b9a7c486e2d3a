package dev.ecubridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

    @TempDir
    Path data;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theDemoPublishesSimulatedDataWithinSeconds() throws Exception {
        int exit = new CommandLine(new EcuBridgeCli()).execute("demo", "--duration", "8", "--speed", "150",
                "--mqtt-port", Integer.toString(freePort()), "--management-port", Integer.toString(freePort()),
                "--data", data.toString());
        assertThat(exit).isZero();
        List<Path> snapshots;
        try (Stream<Path> files = Files.walk(data.resolve("snapshots"))) {
            snapshots = files.filter(Files::isRegularFile).toList();
        }
        assertThat(snapshots).hasSize(1);
        List<String> lines = Files.readAllLines(snapshots.get(0));
        assertThat(lines.size()).isGreaterThanOrEqualTo(2);
        JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(last.get("inverters").asInt()).isEqualTo(8);
        assertThat(last.get("power_w").asInt()).isPositive();
    }
}
