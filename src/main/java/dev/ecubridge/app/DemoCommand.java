package dev.ecubridge.app;

import dev.ecubridge.simulator.AcceleratedClock;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {"Everything on this machine: a simulated ECU-R with 8 inverters on accelerated time, an embedded "
                + "MQTT 5 broker, and the real pipeline publishing to MQTT and files (and InfluxDB when "
                + "ecubridge.influxdb.* is configured). Only loopback addresses are used. Stop with Ctrl-C."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--speed", description = "simulated seconds per real second; the ECU refreshes every 300 simulated s. Default: ${DEFAULT-VALUE}")
    double speed = 60;

    @Option(names = "--start", description = "simulated local start time of today. Default: ${DEFAULT-VALUE}")
    LocalTime start = LocalTime.of(10, 0);

    @Option(names = "--mqtt-port", description = "port of the embedded MQTT broker on 127.0.0.1; if it is in use, a free one is picked and printed. Default: ${DEFAULT-VALUE}")
    int mqttPort = 1883;

    @Option(names = "--ecu-port", description = "port of the simulated ECU on 127.0.0.1; 0 picks a free one. Default: ${DEFAULT-VALUE}")
    int ecuPort = 0;

    @Option(names = "--management-port", description = "port of the health and metrics endpoint on 127.0.0.1; if it is in use, a free one is picked and printed. Default: ${DEFAULT-VALUE}")
    int managementPort = 9876;

    @Option(names = "--data", description = "folder of the file sink. Default: ${DEFAULT-VALUE}")
    Path data = Path.of("data");

    @Option(names = "--duration", description = "stop after this many seconds (0: run until Ctrl-C). Default: ${DEFAULT-VALUE}")
    int duration = 0;

    @Mixin
    ConfigOption config = new ConfigOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // never publish into someone else's broker (Home Assistant's Mosquitto is usually on 1883)
        int brokerPort = freeOrOther("MQTT", mqttPort, out);
        int healthPort = freeOrOther("health and metrics", managementPort, out);
        SiteSpec site = SiteSpec.defaults();
        AcceleratedClock clock = new AcceleratedClock(LocalDate.now(site.zone()).atTime(start).atZone(site.zone()).toInstant(),
                speed, site.zone());
        Files.createDirectories(data);
        Path brokerDir = Files.createTempDirectory("ecu-bridge-broker");
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start("127.0.0.1", brokerPort, brokerDir);
             SimulatorFleet fleet = SimulatorFleet.start(site, 1, "127.0.0.1", ecuPort, clock, List.of())) {
            int pollSeconds = (int) Math.max(1, Math.round(300 / speed));
            EcuBridgeApp app = new EcuBridgeApp(config.sources())
                    .withClock(clock)
                    .with("ecubridge.ecus", "demo=127.0.0.1:" + fleet.server(0).port())
                    .with("ecubridge.poll-interval-seconds", pollSeconds)
                    .with("ecubridge.query-pause-ms", 100)
                    .with("ecubridge.zone", site.zone().getId())
                    .with("ecubridge.mqtt.enabled", true)
                    .with("ecubridge.mqtt.broker-url", broker.url())
                    .with("ecubridge.files.enabled", true)
                    .with("ecubridge.files.directory", data.toString())
                    .with("camel.management.port", healthPort);
            Settings settings = app.settings();
            if (ConfigOption.report(app.startProblems(settings), spec.commandLine().getErr())) {
                return 2;
            }
            out.printf("%nDemo: simulated %s %s on 127.0.0.1:%d, time x%s from %s %s; MQTT broker on %s%n",
                    site.ecu().displayName(), site.ecuId(), fleet.server(0).port(), speed, LocalDate.now(site.zone()), start, broker.url());
            out.println("  watch MQTT:  mosquitto_sub -h 127.0.0.1 -p " + brokerPort + " -V mqttv5 -t 'apsystems/#' -v");
            out.println("  files:       " + data.toAbsolutePath().resolve("snapshots") + " and " + data.toAbsolutePath().resolve("captures"));
            out.println("  health:      http://127.0.0.1:" + healthPort + "/observe/health, metrics: /observe/metrics");
            out.println("  InfluxDB:    set ecubridge.sink.influxdb.enabled=true and its url, org, bucket, token to write there too");
            out.println();
            out.flush();
            Main main = app.createMain(settings);
            if (duration > 0) {
                main.configure().setDurationMaxSeconds(duration);
            }
            return main.run(new String[0]);
        }
    }

    /** The port asked for if it is free on 127.0.0.1, else a free one, said in one line. */
    private static int freeOrOther(String what, int port, PrintWriter out) {
        if (StartupChecks.canListen("127.0.0.1", port)) {
            return port;
        }
        int other = StartupChecks.freeLoopbackPort();
        out.printf("Demo: port %d (%s) is in use on this machine; the demo uses %d instead%n", port, what, other);
        return other;
    }
}
