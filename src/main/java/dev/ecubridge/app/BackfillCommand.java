package dev.ecubridge.app;

import dev.ecubridge.exchange.ExchangeProperties;
import ch.qos.logback.classic.Level;
import dev.ecubridge.poll.PollCycle;
import dev.ecubridge.history.Backfill;
import dev.ecubridge.poll.EcuConnections;
import dev.ecubridge.sinks.Outbox;
import dev.ecubridge.sinks.SinkConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "backfill",
        mixinStandardHelpOptions = true,
        description = {"Import what an ECU keeps in its memory into the configured sinks (InfluxDB and files; never MQTT): the "
                + "daily energy of the period (0004) and the 5-minute power curve of each day it still holds (0003), marked "
                + "as history. One query at a time, ecubridge.query-pause-ms apart. Resumable after Ctrl-C, and idempotent: "
                + "what was imported is recorded in <files>/state/<ecu id>.backfill.json and not imported again.",
                "Exit code 2: the settings have problems; 1: the ECU did not answer."})
final class BackfillCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config = new ConfigOption();

    @Option(names = "--ecu", required = true, paramLabel = "HOST[:PORT]", description = "the ECU (port 8899 by default)")
    String ecu;

    @Option(names = "--from", required = true, paramLabel = "DATE", description = "first day, YYYY-MM-DD")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "last day, YYYY-MM-DD (default and at most: the ECU's yesterday)")
    LocalDate to;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // the terminal shows the progress bar and the summary; problems still get their log line
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        if (System.getenv("LOG_LEVEL") == null) {
            root.setLevel(Level.WARN);
        }
        try {
            return backfill();
        } finally {
            root.setLevel(level);
        }
    }

    private int backfill() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // the InfluxDB sinks of the settings, no polling, no health port (a bridge may run beside it), and an
        // outbox of its own: two processes must not share one
        Path noEcus = Files.createTempFile("ecu-bridge-backfill", ".ecus");
        noEcus.toFile().deleteOnExit();
        EcuBridgeApp app = new EcuBridgeApp(config.sources())
                .with("ecubridge.ecus-file", noEcus)
                .with("ecubridge.mqtt.enabled", false)
                .with("ecubridge.history.enabled", false)
                .with("camel.management.enabled", false);
        Settings base = app.settings();
        app.with("ecubridge.outbox.directory", base.outboxDirectory().resolve("backfill"));
        // history goes to InfluxDB only: no other sink runs here (no MQTT status, no replays of their outboxes)
        base.sinks().stream().filter(s -> !s.type().equals("influxdb"))
                .forEach(s -> app.with("ecubridge.sink." + s.name() + ".enabled", false));
        Settings settings = app.settings();
        Settings.Ecu target = parse(ecu);
        if (ConfigOption.report(app.startProblems(settings), err)) {
            return 2;
        }
        if (target == null) {
            ConfigOption.report(List.of("--ecu " + ecu + ": not host[:port]"), err);
            return 2;
        }
        Main main = app.createMain(settings);
        main.start();
        // Ctrl-C: the current query ends, what was handed to the sinks is delivered (or kept in the outbox), then exit
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread stop = new Thread(() -> {
            stopping.set(true);
            try {
                stopped.await(2L * settings.requestTimeoutMillis() + settings.queryPauseMillis() + 30_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "backfill-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            CamelContext camel = main.getCamelContext();
            EcuConnections connections = camel.getRegistry().lookupByNameAndType("ecuConnections", EcuConnections.class);
            connections.open(target);
            try (ProducerTemplate template = camel.createProducerTemplate()) {
                Backfill.Ecu query = request -> {
                    Exchange exchange = template.send("direct:query", e -> {
                        e.setProperty(ExchangeProperties.ECU, "backfill");
                        PollCycle.request(e, request);
                    });
                    return exchange.getException() != null ? exchange.getException() : exchange.getMessage().getBody();
                };
                ZoneId zone = settings.zone() != null ? settings.zone() : ZoneId.systemDefault();
                Backfill backfill = new Backfill(query, day -> template.sendBody("direct:history", day),
                        settings.queryPauseMillis(), zone, settings.filesDirectory().resolve("state"), out, stopping::get);
                Backfill.Summary s = backfill.run(from, to);
                out.printf("%d queries: %d power points and the energy of %d days imported; %d days already imported before%n",
                        s.queries(), s.points(), s.energyDays(), s.skipped());
                s.missing().forEach(m -> out.println("not in the ECU: " + m));
                s.failed().forEach(f -> out.println("failed (run again to retry): " + f));
                if (s.interrupted()) {
                    out.println("interrupted: run the same command again to go on");
                }
                out.flush();
                return 0;
            } catch (IllegalStateException noAnswer) {
                err.println("backfill: " + noAnswer.getMessage());
                err.flush();
                return 1;
            }
        } finally {
            main.stop(); // the sinks' queues are delivered (or kept in the outbox) before it returns
            for (SinkConfig sink : settings.enabledSinks()) {
                Outbox outbox = main.getCamelContext() == null ? null
                        : main.getCamelContext().getRegistry().lookupByNameAndType("outbox-" + sink.name(), Outbox.class);
                if (sink.type().equals("influxdb") && outbox != null && !outbox.isEmpty()) {
                    out.println(outbox.size() + " InfluxDB writes wait in " + settings.outboxDirectory().resolve(sink.name())
                            + "; the next backfill sends them");
                    out.flush();
                }
            }
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook runs, and now returns
            }
        }
    }

    /** HOST[:PORT], port 8899 by default; null when it is not that. */
    private static Settings.Ecu parse(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? text : text.substring(0, colon);
        try {
            int port = colon < 0 ? 8899 : Integer.parseInt(text.substring(colon + 1));
            return host.isBlank() || port < 1 || port > 65535 ? null : new Settings.Ecu("backfill", host, port);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
