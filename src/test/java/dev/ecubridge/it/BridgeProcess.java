package dev.ecubridge.it;

import dev.ecubridge.app.EcuBridgeCli;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The bridge as a user starts it: its own JVM in a working directory of the test's, with the main classes and the
 * dependencies only — what {@code target/ecu-bridge.jar} holds (the jar itself is built after the tests run), without
 * the test classes and their logging configuration. Standard output and error go to one file.
 */
final class BridgeProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    /**
     * The JIT and collector the test JVM runs with, if set (pom.xml: C1 and the serial collector where test classes run
     * side by side), for the bridges it starts too: most of a short-lived JVM's CPU goes to them otherwise.
     */
    private static final List<String> JIT_AND_GC = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(option -> option.startsWith("-XX:TieredStopAtLevel=") || option.equals("-XX:+UseSerialGC")).toList();

    private BridgeProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** {@code java [jvmOptions] -cp ... EcuBridgeCli args} in {@code workingDirectory}, with {@code environment} added. */
    static BridgeProcess start(Path workingDirectory, Map<String, String> environment, List<String> jvmOptions, String... args)
            throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JIT_AND_GC);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, EcuBridgeCli.class.getName()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(workingDirectory, "bridge-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(name -> name.startsWith("ECUBRIDGE_") || name.startsWith("CAMEL_"));
        pb.environment().putAll(environment);
        return new BridgeProcess(pb.start(), output);
    }

    /** Waits for the process to end by itself; its exit code. */
    int exitCode(Duration limit) throws Exception {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + limit.toSeconds() + " s:\n" + output());
        }
        return process.exitValue();
    }

    /** Sends it a signal ({@code STOP}, {@code CONT}, {@code KILL}) and waits until {@code kill} has done so. */
    void signal(String name) throws Exception {
        int code = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (code != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + ": exit code " + code);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The CPU time it has used so far (user and system). */
    Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Everything it printed so far. */
    String output() throws Exception {
        return Files.readString(output);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
