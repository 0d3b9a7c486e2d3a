package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ecubridge.poll.EcuHealth;
import dev.ecubridge.poll.EcuConnections;
import dev.ecubridge.simulator.EcuServer;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * 1,000 simulated ECUs polled by one bridge from an ECU file, counted rather than timed: every ECU polled once per
 * interval, no cycle overlapping itself, never two connections to one ECU, a bounded number of threads, no endpoint
 * made per cycle, and ECUs added to or removed from the file starting or stopping while the others run on.
 */
@Tag("serial") // run alone: see the serial-test execution in pom.xml
class FleetTest {

    private static final int ECUS = 1000;
    private static final int INTERVAL_SECONDS = 8;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private SimulatorFleet sites;
    private TestBridge bridge;

    @BeforeEach
    void start() throws Exception {
        // a clock that stands still: after its first snapshot each cycle brings nothing new, so the test counts polls
        MutableClock clock = TestBridge.summerNoon();
        sites = SimulatorFleet.start(SiteSpec.defaults().withInverters(SiteSpec.parseInverters("DS3:2")), ECUS,
                "127.0.0.1", 0, clock, List.of());
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (bridge != null) {
            bridge.close();
        }
        sites.close();
    }

    @Test
    void aThousandEcusArePolledOncePerIntervalAndTheFileAddsAndRemovesThem() throws Exception {
        Path file = tmp.resolve("ecus.txt");
        List<String> lines = new ArrayList<>();
        lines.add("# all but the last ECU");
        IntStream.range(0, ECUS - 1).forEach(i -> lines.add(line(i)));
        write(file, lines);
        Map<String, Object> p = TestBridge.fastPolling(tmp.resolve("data"));
        p.put("ecubridge.ecus-file", file.toString());
        p.put("ecubridge.ecus-file-check-seconds", 1);
        p.put("ecubridge.poll-interval-seconds", INTERVAL_SECONDS);
        p.put("ecubridge.files.enabled", false);
        // not 20 ms: on a loaded machine the simulator may see a closed connection's end after the next one's start
        p.put("ecubridge.query-pause-ms", 250);
        bridge = TestBridge.start(p);
        MeterRegistry meters = bridge.bean("metricsRegistry", MeterRegistry.class);

        // two intervals after the first polls
        Await.until(PATIENCE, () -> due(meters) >= 3.0 * (ECUS - 1));
        assertThat(Thread.activeCount()).as("threads, whatever the number of ECUs").isLessThanOrEqualTo(100);

        // the last ECU joins, the first leaves, a bad line is reported and skipped
        lines.remove(line(0));
        lines.add(line(ECUS - 1));
        lines.add("broken 127.0.0.1");
        write(file, lines);
        EcuHealth health = bridge.bean("ecuHealth", EcuHealth.class);
        Await.until(PATIENCE, () -> health.status("e0") == null); // its last cycle has ended
        EcuServer first = sites.server(0);
        long firstConnections = first.connections();
        double dueAtChange = due(meters);
        Await.until(PATIENCE, () -> cycles("e" + (ECUS - 1)) >= 2 && due(meters) >= dueAtChange + 2.0 * ECUS);
        assertThat(first.connections()).as("a removed ECU is no longer polled").isEqualTo(firstConnections);
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.startsWith(file + ":" + lines.size() + ": 'broken 127.0.0.1'"));
        assertThat(bridge.bean("ecuConnections", EcuConnections.class).endpointsCreated())
                .as("one endpoint per ECU added, none per cycle").isEqualTo(ECUS);
        assertThat(Thread.activeCount()).as("threads").isLessThanOrEqualTo(100);

        bridge.close(); // the cycles in flight end
        bridge = null;
        double done = sum(meters, "ecubridge.poll.cycles") + sum(meters, "ecubridge.poll.failures");
        assertThat(sum(meters, "ecubridge.poll.failures")).isZero();
        assertThat(done).as("every due cycle done, none twice").isEqualTo(due(meters));
        List<Double> counts = IntStream.range(1, ECUS - 1).mapToObj(i -> cycles("e" + i, meters)).toList();
        assertThat(counts).as("polled once per interval, all alike").allMatch(c -> c >= 4)
                .allMatch(c -> c <= counts.stream().mapToDouble(Double::doubleValue).min().orElseThrow() + 1);
        for (int i = 0; i < ECUS; i++) {
            EcuServer site = sites.server(i);
            String ecu = "e" + i;
            assertThat(site.maxConcurrentConnections()).as(ecu + ": never two connections").isLessThanOrEqualTo(1);
            assertThat(site.outOfOrderQueries()).as(ecu + ": cycles never overlap").isZero();
            assertThat(site.answered()).as(ecu + ": three queries a cycle").isEqualTo(3 * (long) cycles(ecu, meters));
        }
    }

    private static String line(int i) {
        return "e" + i + " 127.0.0.1 %d";
    }

    private void write(Path file, List<String> lines) throws Exception {
        List<String> resolved = lines.stream().map(l -> l.matches("e\\d+ .*") ? l.formatted(port(l)) : l).toList();
        Path next = file.resolveSibling("ecus.next");
        Files.write(next, resolved);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private int port(String line) {
        return sites.server(Integer.parseInt(line.substring(1, line.indexOf(' ')))).port();
    }

    private double cycles(String ecu) {
        return bridge.meter("ecubridge.poll.cycles", "ecu", ecu);
    }

    private static double cycles(String ecu, MeterRegistry meters) {
        var counter = meters.find("ecubridge.poll.cycles").tags("ecu", ecu).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double due(MeterRegistry meters) {
        return meters.get("ecubridge.poll.due").counter().count();
    }

    private static double sum(MeterRegistry meters, String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
