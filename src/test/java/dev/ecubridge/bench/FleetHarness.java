package dev.ecubridge.bench;

import dev.ecubridge.app.EcuBridgeApp;
import dev.ecubridge.app.Settings;
import dev.ecubridge.simulator.AcceleratedClock;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.StringJoiner;
import org.apache.camel.main.Main;

/**
 * A fleet on one machine: N simulated ECUs (8 inverters each, time x60 so that every ECU has new data every 5 s) and
 * one bridge polling all of them every 5 s with the file sink. Prints cycles, failures, heap and threads.
 * Run: {@code mvn -q test-compile exec:exec@fleet -Dfleet.args="200 60"} (ECUs, seconds). Loopback only.
 */
public final class FleetHarness {

    private FleetHarness() {
    }

    public static void main(String[] args) throws Exception {
        int ecus = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        SiteSpec site = SiteSpec.defaults();
        AcceleratedClock clock = new AcceleratedClock(LocalDate.now(site.zone()).atTime(LocalTime.NOON).atZone(site.zone())
                .toInstant(), 60, site.zone());
        Path data = Files.createTempDirectory("fleet");
        try (SimulatorFleet fleet = SimulatorFleet.start(site, ecus, "127.0.0.1", 0, clock, List.of())) {
            StringJoiner list = new StringJoiner(",");
            for (int i = 0; i < ecus; i++) {
                list.add("e" + i + "=127.0.0.1:" + fleet.server(i).port());
            }
            EcuBridgeApp app = new EcuBridgeApp().withClock(clock).with("ecubridge.ecus", list.toString())
                    .with("ecubridge.poll-interval-seconds", 5).with("ecubridge.query-pause-ms", 200)
                    .with("ecubridge.first-poll-delay-ms", 100).with("ecubridge.zone", site.zone().getId())
                    .with("ecubridge.files.directory", data.toString()).with("camel.management.enabled", false);
            Settings settings = app.settings();
            Main bridge = app.createMain(settings);
            long cpuStart = cpuNanos();
            bridge.start();
            Thread.sleep(seconds * 1000L);
            MeterRegistry meters = bridge.getCamelContext().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
            double cycles = sum(meters, "ecubridge.poll.cycles");
            double failures = sum(meters, "ecubridge.poll.failures");
            double published = sum(meters, "ecubridge.snapshots.published");
            long cpu = cpuNanos() - cpuStart;
            System.gc();
            long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            int threads = Thread.activeCount();
            bridge.stop();
            System.out.printf("fleet: %d ECUs x 8 inverters for %d s, polled every 5 s (ECUs and bridge in one JVM)%n", ecus, seconds);
            System.out.printf("  cycles %.0f (%.1f per ECU, one due every 5 s), failures %.0f, snapshots published %.0f%n",
                    cycles, cycles / ecus, failures, published);
            System.out.printf("  CPU %.1f s (%.0f%% of one core), heap after GC %d MB, threads %d%n",
                    cpu / 1e9, 100.0 * cpu / 1e9 / seconds, heap >> 20, threads);
        }
    }

    private static double sum(MeterRegistry meters, String name) {
        return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
