package dev.ecubridge.bench;

import dev.ecubridge.app.EcuBridgeCli;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A fleet on one machine, simulator and bridge in separate processes on loopback: N simulated ECUs (8 inverters each,
 * time x5 so that each has new data at every 60 s cycle) on ports BASE.., one bridge polling them from an ECU file
 * every 60 s with the file sink. After one interval of warm-up (the first polls are spread over it) it measures the
 * bridge alone for the given seconds: CPU per cycle, cycles done / due, failures, RSS, threads, heap after GC.
 * <p>
 * Run: {@code mvn -q test-compile exec:exec@fleet -Dfleet.args="10000 120"} (ECUs, seconds measured[, base port]).
 */
public final class FleetBenchmark {

    private static final int INTERVAL = 60;
    private static final Pattern SAMPLE = Pattern.compile("^(ecubridge_poll_(?:due_total|cycles_total|failures_total|in_flight))\\{?[^ ]*\\s+(\\S+)$",
            Pattern.MULTILINE);

    private FleetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int ecus = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int basePort = args.length > 2 ? Integer.parseInt(args[2]) : 20000;
        Path dir = Files.createTempDirectory("fleet");
        Process simulator = null;
        Process bridge = null;
        try {
            simulator = java(dir, "simulator.log", List.of("-Xmx1g"), "simulate", "--ecus", Integer.toString(ecus),
                    "--port", Integer.toString(basePort), "--speed", "5");
            await(dir.resolve("simulator.log"), "Simulated ", Duration.ofMinutes(3));
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < ecus; i++) {
                lines.add("e" + i + " 127.0.0.1 " + (basePort + i));
            }
            Files.write(dir.resolve("ecus.txt"), lines);
            int management = freePort();
            List<String> bridgeJvm = new ArrayList<>(List.of("-Xmx1g",
                    "-Decubridge.ecus-file=" + dir.resolve("ecus.txt"),
                    "-Decubridge.poll-interval-seconds=" + INTERVAL,
                    "-Decubridge.zone=Europe/Amsterdam",
                    "-Decubridge.files.directory=" + dir.resolve("data"),
                    "-Decubridge.prometheus.solar-series=ecu",
                    "-Decubridge.prometheus.counters-at-zero=false",
                    "-Decubridge.files.captures=false",
                    "-Dcamel.management.port=" + management));
            String extra = System.getenv("FLEET_BRIDGE_JAVA_OPTS"); // e.g. a JFR recording while profiling
            if (extra != null && !extra.isBlank()) {
                bridgeJvm.addAll(List.of(extra.trim().split("\\s+")));
            }
            bridge = java(dir, "bridge.log", bridgeJvm, "run");
            URI metrics = URI.create("http://127.0.0.1:" + management + "/observe/metrics");
            // the first polls are spread over one interval; then the JIT settles (on a busy machine it still compiles
            // minutes later: FLEET_WARMUP_SECONDS sets a longer warm-up)
            String warmup = System.getenv("FLEET_WARMUP_SECONDS");
            Thread.sleep((warmup == null ? INTERVAL + 30 : Integer.parseInt(warmup)) * 1000L);
            double[] before = scrape(metrics);
            long cpuBefore = cpuTicks(bridge.pid());
            Map<String, long[]> threadsBefore = threadTicks(bridge.pid());
            Thread.sleep(seconds * 1000L);
            long cpuTicks = cpuTicks(bridge.pid()) - cpuBefore;
            Map<String, long[]> threadsAfter = threadTicks(bridge.pid());
            double[] after = scrape(metrics);
            // A cycle counts as due when it falls due and as done (or failed) when it ends, a few seconds later: the
            // cycles due in the window are those done in it plus the growth of those still pending (in flight or
            // waiting for a slot). What neither explains was lost.
            double due = after[0] - before[0];
            double done = after[1] + after[2] - before[1] - before[2];
            double failures = after[2] - before[2];
            double pendingGrowth = (after[0] - after[1] - after[2]) - (before[0] - before[1] - before[2]);
            double cpuSeconds = cpuTicks / 100.0; // USER_HZ
            String status = Files.readString(Path.of("/proc/" + bridge.pid() + "/status"));
            long heap = heapAfterGc(bridge.pid());
            System.out.printf("fleet: %d ECUs x 8 inverters every %d s; bridge alone over %d s (simulator in its own process)%n",
                    ecus, INTERVAL, seconds);
            System.out.printf("  in the window: cycles due %.0f, done %.0f (%.2f %%), failures %.0f; pending (in flight or"
                            + " waiting) %.0f at its start, %.0f at its end (in flight %.0f, %.0f); lost (due, neither done"
                            + " nor pending): %.0f%n", due, done, due == 0 ? 0 : 100 * done / due, failures,
                    before[0] - before[1] - before[2], after[0] - after[1] - after[2], before[3], after[3],
                    due - done - pendingGrowth);
            System.out.printf("  since start: cycles due %.0f, done %.0f, failures %.0f, in flight %.0f%n", after[0],
                    after[1] + after[2], after[2], after[3]);
            System.out.printf("  CPU %.1f s = %.2f ms per cycle (%.0f %% of one core)%n", cpuSeconds,
                    done == 0 ? 0 : 1000 * cpuSeconds / done, 100 * cpuSeconds / seconds);
            System.out.println("    by thread (user + system):");
            threadsAfter.forEach((group, t) -> {
                long[] b = threadsBefore.getOrDefault(group, new long[2]);
                long user = t[0] - b[0];
                long system = t[1] - b[1];
                if (user + system >= 10) {
                    System.out.printf("      %-24s %5.1f s + %4.1f s = %.2f ms per cycle%n", group, user / 100.0,
                            system / 100.0, done == 0 ? 0 : 10 * (user + system) / done);
                }
            });
            System.out.printf("  RSS %d MB, threads %s, heap after GC %d MB%n", field(status, "VmRSS") / 1024,
                    field(status, "Threads"), heap >> 20);
            if (System.getenv("FLEET_HISTOGRAM") != null) {
                System.out.println(jcmd(bridge.pid(), "GC.class_histogram").lines().limit(28)
                        .collect(Collectors.joining(System.lineSeparator())));
            }
            System.out.printf("  load average at the end: %s", Files.readString(Path.of("/proc/loadavg")));
        } finally {
            stop(bridge);
            stop(simulator);
        }
    }

    private static Process java(Path dir, String log, List<String> jvm, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
        cmd.addAll(List.of("-cp", classpath, EcuBridgeCli.class.getName()));
        cmd.addAll(List.of(command));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile()).start();
    }

    private static void await(Path log, String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no '" + text + "' in " + log);
    }

    /** due, cycles, failures (summed over the ECUs) and cycles in flight. */
    private static double[] scrape(URI metrics) throws Exception {
        long start = System.nanoTime();
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double[] sums = new double[4];
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            int i = name.contains("due") ? 0 : name.contains("cycles") ? 1 : name.contains("failures") ? 2 : 3;
            sums[i] += Double.parseDouble(m.group(2));
        }
        System.out.printf("  (scrape of %,d bytes in %.1f s)%n", text.length(), (System.nanoTime() - start) / 1e9);
        return sums;
    }

    /** utime + stime of the process, in clock ticks. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * User and system CPU ticks per group of the process's threads (the thread name without its numbers: the JIT
     * compiler threads, the GC threads, netty's event loop, the cycle workers...); threads that ended in between are
     * missed.
     */
    private static Map<String, long[]> threadTicks(long pid) throws IOException {
        Map<String, long[]> ticks = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String group = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long[] t = ticks.computeIfAbsent(group, g -> new long[2]);
                    t[0] += Long.parseLong(f[11]);
                    t[1] += Long.parseLong(f[12]);
                } catch (IOException gone) {
                    // the thread ended
                }
            }
        }
        return ticks;
    }

    private static long heapAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(jcmd(pid, "GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private static long field(String status, String name) {
        Matcher m = Pattern.compile(name + ":\\s+(\\d+)").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.destroy();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
