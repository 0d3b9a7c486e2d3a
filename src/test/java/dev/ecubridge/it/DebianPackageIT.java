package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb that {@code mvn package} built, installed for real with dpkg (CI is a throw-away Debian 12 machine and runs
 * as root), its unit checked with systemd-analyze, and the installed launcher run as the service user against the
 * simulator on loopback; purged at the end. Run by failsafe after {@code package}.
 */
class DebianPackageIT {

    private static final String PACKAGE = "ecu-bridge";

    @TempDir
    static Path work;

    @BeforeAll
    static void install() throws Exception {
        assertThat(run("id", "-u").output().trim())
                .as("DebianPackageIT installs the package into this machine with dpkg and must run as root (CI does)")
                .isEqualTo("0");
        Path deb;
        try (Stream<Path> files = Files.list(Paths.get("target"))) {
            deb = files.filter(f -> f.getFileName().toString().matches("ecu-bridge_.+_all\\.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no target/ecu-bridge_<version>_all.deb: run mvn verify (package builds it)"));
        }
        Result installed = run("dpkg", "-i", deb.toString());
        assertThat(installed.exit()).as("dpkg -i %s:%n%s", deb, installed.output()).isZero();
    }

    @AfterAll
    static void purge() throws Exception {
        Result purged = run("dpkg", "--purge", PACKAGE);
        assertThat(purged.exit()).as("dpkg --purge:%n%s", purged.output()).isZero();
        assertThat(Paths.get("/var/lib/ecu-bridge")).as("purge deletes the data").doesNotExist();
        assertThat(Paths.get("/etc/ecu-bridge")).as("purge deletes the configuration").doesNotExist();
        assertThat(Paths.get("/usr/bin/ecu-bridge")).doesNotExist();
    }

    @Test
    void theFilesUserAndPermissionsAreInPlace() throws Exception {
        assertThat(run("dpkg-query", "-W", "-f=${Status} ${Architecture}", PACKAGE).output())
                .isEqualTo("install ok installed all");
        assertThat(Paths.get("/usr/share/ecu-bridge/ecu-bridge.jar")).isRegularFile();
        assertThat(Paths.get("/usr/bin/ecu-bridge")).isExecutable();
        assertThat(run("id", "-un", PACKAGE).exit()).as("system user ecu-bridge").isZero();
        assertThat(run("dpkg-query", "-W", "-f=${Conffiles}", PACKAGE).output())
                .contains("/etc/ecu-bridge/application.properties", "/etc/ecu-bridge/ecu-bridge.env");

        assertThat(Paths.get("/etc/ecu-bridge/routes.d")).as("the user routes folder beside the settings").isDirectory();
        assertThat(Paths.get("/usr/share/doc/ecu-bridge/examples/routes.d/inverter-readings-to-sql.yaml")).isRegularFile();

        PosixFileAttributes env = Files.readAttributes(Paths.get("/etc/ecu-bridge/ecu-bridge.env"), PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(env.permissions())).isEqualTo("rw-r-----");
        assertThat(env.owner().getName()).isEqualTo("root");
        assertThat(env.group().getName()).isEqualTo(PACKAGE);

        PosixFileAttributes data = Files.readAttributes(Paths.get("/var/lib/ecu-bridge"), PosixFileAttributes.class);
        assertThat(data.owner().getName()).isEqualTo(PACKAGE);
        assertThat(PosixFilePermissions.toString(data.permissions())).isEqualTo("rwxr-x---");
    }

    @Test
    void theUnitPassesSystemdAnalyzeVerify() throws Exception {
        Path unit = Paths.get("/lib/systemd/system/ecu-bridge.service");
        Result verify = run("systemd-analyze", "verify", unit.toString());
        assertThat(verify.exit()).as("systemd-analyze verify:%n%s", verify.output()).isZero();
        assertThat(verify.output()).as("systemd-analyze verify").doesNotContain("ecu-bridge.service");
        assertThat(Files.readAllLines(unit)).contains(
                "ExecStart=/usr/bin/ecu-bridge run --config /etc/ecu-bridge/application.properties",
                "WorkingDirectory=/var/lib/ecu-bridge",
                "User=ecu-bridge",
                "RestartPreventExitStatus=2");
    }

    /** As the service runs it: the installed launcher, as user ecu-bridge, in a directory of its own, with --config. */
    @Test
    void theInstalledLauncherRunsTheBridgeAsTheServiceUserAndDataArrives() throws Exception {
        Clock noon = Clock.fixed(LocalDateTime.parse("2026-06-21T12:00:00").atZone(TestBridge.ZONE).toInstant(), TestBridge.ZONE);
        try (SimulatorFleet ecu = SimulatorFleet.start(SiteSpec.defaults(), 1, "127.0.0.1", 0, noon, List.of())) {
            Path home = Files.createDirectories(work.resolve("service"));
            Path data = home.resolve("data");
            Path cache = home.resolve("cache");
            Path config = home.resolve("application.properties");
            Files.writeString(config, String.join("\n",
                    "ecubridge.ecus=home=127.0.0.1:" + ecu.server(0).port(),
                    "ecubridge.zone=" + TestBridge.ZONE.getId(),
                    TestBridge.SKEW_KEY + "=" + TestBridge.SKEW_FOR_SIMULATORS,
                    "ecubridge.poll-interval-seconds=2",
                    "ecubridge.query-pause-ms=20",
                    "ecubridge.first-poll-delay-ms=10",
                    "ecubridge.files.directory=" + data,
                    "camel.management.port=" + Ports.free(), ""));
            UserPrincipalLookupService users = home.getFileSystem().getUserPrincipalLookupService();
            for (Path p : List.of(work, home, config)) {
                Files.setOwner(p, users.lookupPrincipalByName(PACKAGE));
            }

            Path log = work.resolve("bridge.log");
            // setpriv execs as systemd's User= does, so the SIGTERM below reaches the JVM itself (the launcher execs java)
            ProcessBuilder builder = new ProcessBuilder("setpriv", "--reuid=" + PACKAGE, "--regid=" + PACKAGE, "--init-groups",
                    "/usr/bin/ecu-bridge", "run", "--config", config.toString())
                    .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("CACHE_DIRECTORY", cache.toString()); // as CacheDirectory= sets it
            Process bridge = builder.start();
            try {
                Await.until(Duration.ofSeconds(90), () -> !snapshots(data).isEmpty() || !bridge.isAlive());
                assertThat(snapshots(data)).as("snapshot lines; the bridge said:%n%s", Files.readString(log)).isNotEmpty();
            } finally {
                bridge.destroy();
                assertThat(bridge.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            }
            JsonNode snapshot = new ObjectMapper().readTree(snapshots(data).get(0));
            assertThat(snapshot.get("inverters").asInt()).isEqualTo(8);
            assertThat(snapshot.get("power_w").asInt()).isPositive();
            assertThat(bridge.exitValue()).as("exit after SIGTERM (SuccessExitStatus=143); the bridge said:%n%s",
                    Files.readString(log)).isEqualTo(143);
            assertThat(cache.resolve("ecu-bridge.jsa")).as("class-data sharing archive written at exit").isRegularFile();
        }
    }

    private static List<String> snapshots(Path data) throws IOException {
        Path dir = data.resolve("snapshots");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".jsonl")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream();
                } catch (IOException e) {
                    return Stream.empty();
                }
            }).toList();
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), output);
    }
}
