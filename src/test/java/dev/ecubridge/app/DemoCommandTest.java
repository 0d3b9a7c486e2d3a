package dev.ecubridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        StringWriter out = new StringWriter();
        CommandLine cli = EcuBridgeCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        int mqttPort = freePort();
        int exit = cli.execute("demo", "--duration", "8", "--speed", "150",
                "--mqtt-port", Integer.toString(mqttPort), "--management-port", Integer.toString(freePort()),
                "--data", data.toString());
        assertThat(exit).isZero();
        assertThat(out.toString()).contains("mosquitto_sub -h 127.0.0.1 -p " + mqttPort + " ").doesNotContain("in use");
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

    /**
     * Home Assistant users have a broker on 1883 already: the demo must not publish into it. Here both ports the demo
     * asks for are taken by plain sockets that never accept; the demo says so, runs on other ports, and never connects.
     */
    @Test
    void portsInUseAreReplacedByFreeOnesAndSaidSo() throws Exception {
        try (ServerSocket broker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket management = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            StringWriter out = new StringWriter();
            CommandLine cli = EcuBridgeCli.commandLine();
            cli.setOut(new PrintWriter(out, true));
            int exit = cli.execute("demo", "--duration", "8", "--speed", "150",
                    "--mqtt-port", Integer.toString(broker.getLocalPort()),
                    "--management-port", Integer.toString(management.getLocalPort()), "--data", data.toString());
            assertThat(exit).isZero();
            List<String> lines = out.toString().lines().toList();
            Matcher mqtt = Pattern.compile("Demo: port " + broker.getLocalPort() + " \\(MQTT\\) is in use on this machine; "
                    + "the demo uses (\\d+) instead").matcher(lines.get(0));
            assertThat(mqtt.matches()).as(lines.get(0)).isTrue();
            assertThat(lines.get(1)).matches("Demo: port " + management.getLocalPort()
                    + " \\(health and metrics\\) is in use on this machine; the demo uses \\d+ instead");
            assertThat(out.toString()).contains("-p " + mqtt.group(1) + " ", "tcp://127.0.0.1:" + mqtt.group(1));
            try (Stream<Path> files = Files.walk(data.resolve("snapshots"))) {
                assertThat(files.filter(Files::isRegularFile)).hasSize(1);
            }
            // a connection to either socket would be waiting in its backlog
            broker.setSoTimeout(1);
            management.setSoTimeout(1);
            assertThatThrownBy(broker::accept).isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(management::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }
}
