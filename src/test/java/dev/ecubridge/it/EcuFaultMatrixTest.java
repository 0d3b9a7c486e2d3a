package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.ecubridge.app.EmbeddedMqttBroker;
import dev.ecubridge.poll.EcuHealth;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.simulator.EcuServer;
import dev.ecubridge.simulator.Fault;
import dev.ecubridge.simulator.Faults;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Every way the simulator can misbehave, against the running bridge. */
class EcuFaultMatrixTest {

    private static final ZoneId ZONE = TestBridge.ZONE;
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** A fault and the failure kind it must produce; null: the cycle succeeds (and the check says what else). */
    private record Case(String fault, String kind) {
    }

    private static final List<Case> CASES = List.of(
            new Case("stall", "timeout"),
            new Case("close-mid-frame", "truncated"),
            new Case("drip", null),
            new Case("slow-drip=3", "timeout"),
            new Case("garbage", "corrupted"),
            new Case("wrong-command", "unexpected-command"),
            new Case("wrong-length", "timeout"),
            new Case("status-01", "status-01"),
            new Case("status-02", "status-02"),
            new Case("zero-inverters", null),
            new Case("unknown-type", null),
            new Case("lifetime-zero", null),
            new Case("today-zero", null),
            new Case("hang-after=1", "refused"),
            new Case("refuse-concurrent", null),
            new Case("bad-time", "bad-time"),
            new Case("trailing-write", null),
            new Case("answer-twice", null),
            new Case("echo", "echo"),
            new Case("reset", "reset"));

    /** Faults that put more on the wire after the reply: the cycle succeeds, the rest is dropped and counted. */
    private static final Set<String> AFTER_THE_REPLY = Set.of("trailing-write", "answer-twice");

    /** Faults that end a connection badly (no reply, cut, garbage, refused, reset, an echo): run twice for leaks. */
    private static final Set<String> ONCE_MORE = Set.of("stall", "close-mid-frame", "garbage", "hang-after=1", "reset", "echo");

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(LocalDateTime.parse("2026-06-21T12:02:00").atZone(ZONE).toInstant(), ZONE);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private SimulatorFleet fleet;
    /** The ECU of the tests with one ECU, named "matrix". */
    private EcuServer ecu;
    private TestBridge bridge;

    @BeforeEach
    void start() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (bridge != null) {
            bridge.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    /** {@code count} simulated ECUs on one clock, each with its own id, port and faults. */
    private void startFleet(int count) throws Exception {
        fleet = SimulatorFleet.start(SiteSpec.defaults().withInverters(SiteSpec.parseInverters("DS3:2,QT2:1")), count,
                "127.0.0.1", 0, clock, List.of());
        ecu = fleet.server(0);
    }

    /** One ECU, "matrix". */
    private void startBridge(Map<String, String> extra) throws Exception {
        startFleet(1);
        startBridge("matrix=127.0.0.1:" + ecu.port(), extra);
    }

    private void startBridge(String ecus, Map<String, String> extra) throws Exception {
        Map<String, Object> p = TestBridge.fastPolling(tmp.resolve("data"));
        p.put("ecubridge.ecus", ecus);
        // well above a dripped reply (2 ms a byte) on a loaded machine; the faults that must time out take seconds
        p.put("ecubridge.request-timeout-ms", 1500);
        // a skipped or rejected refresh is a gap the bridge would fill from the ECU's memory (0003, 0004): this test is
        // about the normal cycle; HistoryGapFillTest covers history with faults
        p.put("ecubridge.history.enabled", false);
        p.putAll(extra);
        // the bridge's clock is the simulator's, so the default window for ECU data times applies
        p.remove("ecubridge.plausibility.max-clock-skew-minutes");
        bridge = TestBridge.start(p, clock);
    }

    private double counter(String name, String... tags) {
        return bridge.meter(name, tags);
    }

    private double published() {
        return published(0);
    }

    private double published(int i) {
        return counter("ecubridge.snapshots.published", "ecu_id", fleet.ecu(i).ecuId());
    }

    private double failures(String name) {
        return bridge.bean("metricsRegistry", MeterRegistry.class).find("ecubridge.poll.failures").tag("ecu", name)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The ECU's readiness check, as the management endpoint shows it. */
    private HealthCheck.Result healthCheck(String name) {
        return HealthCheckRegistry.get(bridge.context()).getCheck("ecu-" + name).orElseThrow().call(Map.of(
                HealthCheck.CHECK_KIND, HealthCheck.Kind.READINESS));
    }

    /** The last snapshot the file sink holds for ECU i. */
    private JsonNode lastSnapshot(int i) throws Exception {
        SimulatedEcu sim = fleet.ecu(i);
        List<String> lines = Files.readAllLines(tmp.resolve("data/snapshots/" + sim.ecuId())
                .resolve(sim.realtime().timestamp().toLocalDate() + ".jsonl"));
        return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }

    /** What was logged so far: a copy, taken while the appender is not appending (it appends under its own lock). */
    private List<ILoggingEvent> logged() {
        synchronized (logs) {
            return new ArrayList<>(logs.list);
        }
    }

    private void clearLogs() {
        synchronized (logs) {
            logs.list.clear();
        }
    }

    private List<ILoggingEvent> warnings() {
        return logged().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }

    /** The ECU of case i in the fault matrix: one ECU per fault, named after it. */
    private static String nameOf(Case c) {
        return c.fault().replace('=', '-');
    }

    /**
     * Every fault on an ECU of its own, all at once: the ECUs share the clock, so each step (fault on and the ECU
     * refreshes; fault off and it refreshes again) is taken for all of them together, and each is checked by its own
     * counters, health check and log lines.
     */
    @Test
    void everyFaultFailsCleanlyOrIsHandledAndTheNextCycleSucceeds() throws Exception {
        startFleet(CASES.size());
        StringBuilder ecus = new StringBuilder();
        for (int i = 0; i < CASES.size(); i++) {
            ecus.append(i == 0 ? "" : ",").append(nameOf(CASES.get(i))).append("=127.0.0.1:").append(fleet.server(i).port());
        }
        startBridge(ecus.toString(), Map.of("ecubridge.unavailable-after-failures", "1000"));
        Await.until(PATIENCE, () -> IntStream.range(0, CASES.size()).allMatch(i -> published(i) == 1));
        List<Integer> all = IntStream.range(0, CASES.size()).boxed().toList();
        check(all);
        assertThat(counter("ecubridge.decode.partial", "ecu", "unknown-type")).as("unknown-type").isPositive();
        assertThat(counter("ecubridge.energy.rejected", "ecu_id", fleet.ecu(caseOf("lifetime-zero")).ecuId(), "counter", "lifetime"))
                .isPositive();
        assertThat(counter("ecubridge.energy.rejected", "ecu_id", fleet.ecu(caseOf("today-zero")).ecuId(), "counter", "today"))
                .isPositive();
        for (int i : all) {
            EcuServer server = fleet.server(i);
            assertThat(server.maxConcurrentConnections()).as(CASES.get(i).fault() + ": never two connections to one ECU")
                    .isEqualTo(1);
            assertThat(server.receivedCommands()).as(CASES.get(i).fault() + ": the ECU received only the whitelisted queries")
                    .containsOnlyKeys("0001", "0002", "0030");
        }
        Await.until(Duration.ofSeconds(5), () -> fleet.servers().stream().allMatch(s -> s.openConnections() == 0));

        // pools have grown to their working size by now; one fault of each way a connection can end badly once more
        // must not add threads
        int threads = Thread.activeCount();
        check(all.stream().filter(i -> ONCE_MORE.contains(CASES.get(i).fault())).toList());
        Await.until(Duration.ofSeconds(5), () -> fleet.servers().stream().allMatch(s -> s.openConnections() == 0));
        assertThat(Thread.activeCount()).as("no leaked threads").isLessThanOrEqualTo(threads + 2);
    }

    private static int caseOf(String fault) {
        return IntStream.range(0, CASES.size()).filter(i -> CASES.get(i).fault().equals(fault)).findFirst().orElseThrow();
    }

    /** What the counters of case i said before its fault was switched on. */
    private record Before(double failuresOfItsKind, double published, double failuresOfAnyKind, double discarded,
                          InfoReply info) {
    }

    /**
     * The faults of these cases at once, one per ECU: each fails its cycle with one line and a counter of its kind (or
     * is handled), then each ECU recovers.
     */
    private void check(List<Integer> cases) throws Exception {
        clearLogs();
        Map<Integer, Before> before = new HashMap<>();
        for (int i : cases) {
            Case c = CASES.get(i);
            String name = nameOf(c);
            before.put(i, new Before(c.kind() == null ? 0 : counter("ecubridge.poll.failures", "ecu", name, "kind", c.kind()),
                    published(i), failures(name), counter("ecubridge.wire.discarded.frames", "ecu", name),
                    fleet.ecu(i).info()));
            fleet.server(i).faults().set(Fault.Spec.parse(c.fault()));
        }
        clock.advance(Duration.ofMinutes(5));
        // each case waits for its own outcome: a thread each, so that one case's wait does not delay another's check
        ExecutorService checks = Executors.newFixedThreadPool(cases.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i : cases) {
                done.add(checks.submit(() -> {
                    try {
                        checkFault(i, before.get(i));
                    } catch (Throwable t) {
                        throw new AssertionError(CASES.get(i).fault() + ": " + t.getMessage(), t);
                    }
                    return null;
                }));
            }
            AssertionError failed = null;
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (failed == null) {
                        failed = new AssertionError(e.getCause().getMessage(), e.getCause());
                        failed.setStackTrace(e.getCause().getStackTrace());
                    } else {
                        failed.addSuppressed(e.getCause());
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
        } finally {
            checks.shutdownNow();
            assertThat(checks.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(logged().stream().filter(e -> e.getLevel() == Level.ERROR)).as("no ERROR").isEmpty();
        assertThat(logged().stream().filter(e -> e.getThrowableProxy() != null)).as("no stack trace").isEmpty();

        // fault off: an ECU whose cycles failed publishes the data it had; then each publishes its next refresh once
        // (the clock moves only after the first, else a cycle under way could bring both)
        for (int i : cases) {
            fleet.server(i).faults().clearAll();
            fleet.server(i).powerCycle();
        }
        for (int i : cases) {
            if (CASES.get(i).kind() != null) {
                double published = before.get(i).published() + 1;
                Await.until(PATIENCE, () -> published(i) == published, () -> CASES.get(i).fault() + " answers again");
            }
        }
        Map<Integer, Double> expected = new HashMap<>();
        for (int i : cases) {
            expected.put(i, published(i) + 1);
        }
        clock.advance(Duration.ofMinutes(5));
        for (int i : cases) {
            Await.until(PATIENCE, () -> published(i) == expected.get(i), () -> CASES.get(i).fault() + " recovers");
        }
    }

    /** One fault on its ECU: it fails the cycle with one line and a counter of its kind, or is handled. */
    private void checkFault(int i, Before before) throws Exception {
        Case c = CASES.get(i);
        String name = nameOf(c);
        EcuServer server = fleet.server(i);
        String line = "ECU " + name + ": cycle skipped (";
        if (c.kind() != null) {
            // two failed cycles: a flood is one line per kind and hour, the first failure is logged, the next only counted
            Await.until(PATIENCE, () -> counter("ecubridge.poll.failures", "ecu", name, "kind", c.kind()) >= before.failuresOfItsKind() + 2);
            Await.until(PATIENCE, () -> warnings().stream().anyMatch(e -> e.getFormattedMessage().startsWith(line)));
            // (a fault may fail its first cycle in another way: hang-after=1 resets the cycle it starts hanging in)
            List<ILoggingEvent> lines = warnings().stream().filter(e -> e.getFormattedMessage().startsWith(line + c.kind() + "): ")).toList();
            assertThat(lines).as(c.fault() + ": one line for the failed cycles of its kind").hasSize(1);
            assertThat(lines.get(0).getFormattedMessage()).as("a word, not a class name").doesNotContain("Exception");
            Await.until(PATIENCE, () -> c.kind().equals(healthCheck(name).getDetails().get("last_failure")));
            assertThat(published(i)).as(c.fault() + ": nothing published").isEqualTo(before.published());
        } else {
            Await.until(PATIENCE, () -> published(i) == before.published() + 1);
        }
        if (AFTER_THE_REPLY.contains(c.fault())) {
            assertThat(counter("ecubridge.wire.discarded.frames", "ecu", name)).as(c.fault() + ": dropped and counted")
                    .isGreaterThan(before.discarded());
            assertThat(failures(name)).as(c.fault() + ": no cycle failed").isEqualTo(before.failuresOfAnyKind());
            // the values of the ECU's reply; a cycle under way when the ECU refreshed has its info from just before
            List<InfoReply> infos = List.of(fleet.ecu(i).info(), before.info());
            Await.until(PATIENCE, () -> {
                long power = lastSnapshot(i).get("power_w").asLong();
                return infos.stream().anyMatch(info -> power == info.currentPowerW());
            }, () -> lastSnapshot(i) + " " + infos);
            JsonNode last = lastSnapshot(i);
            assertThat(infos).as(c.fault() + ": power and lifetime of one reply")
                    .anyMatch(info -> last.get("power_w").asLong() == info.currentPowerW()
                            && last.get("lifetime_kwh").asDouble() == info.lifetimeEnergyKwh());
        }
        assertThat(server.receivedCommands()).as(c.fault() + ": the ECU received only queries").containsOnlyKeys("0001", "0002", "0030");
    }

    @Test
    void aHungEcuIsMarkedDownPolledWithBackoffAndItsRecoveryHookFiresOnce() throws Exception {
        List<String> webhook = new CopyOnWriteArrayList<>();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/plug", exchange -> {
            webhook.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        http.start();
        int mqttPort = Ports.free();
        try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start("127.0.0.1", mqttPort, tmp.resolve("artemis"));
             MqttRecorder plug = new MqttRecorder(broker.url(), "plugs/ecu/set")) {
            startBridge(Map.of("ecubridge.unavailable-after-failures", "2", "ecubridge.backoff-max-seconds", "4",
                    "ecubridge.recovery.after-failures", "3", "ecubridge.recovery.cooldown-minutes", "60",
                    "ecubridge.recovery.webhook-url", "http://127.0.0.1:" + http.getAddress().getPort() + "/plug",
                    "ecubridge.mqtt.enabled", "true", "ecubridge.mqtt.broker-url", broker.url(),
                    "ecubridge.recovery.mqtt-topic", "plugs/ecu/set", "ecubridge.recovery.mqtt-payload", "cycle"));
            Await.until(PATIENCE, () -> published() == 1);
            ecu.faults().set(Fault.Spec.parse("hang-after=1"));
            clock.advance(Duration.ofMinutes(5));
            Await.until(PATIENCE, () -> webhook.size() == 1);
            assertThat(webhook.get(0)).contains("\"ecu\":\"matrix\"", "\"failures_in_a_row\":3", "\"last_failure\":\"refused\"");
            Await.until(PATIENCE, () -> "cycle".equals(plug.payload("plugs/ecu/set")));
            EcuHealth health = bridge.bean("ecuHealth", EcuHealth.class);
            assertThat(health.all().get(0).down()).isTrue();

            double failures = counter("ecubridge.poll.failures", "ecu", "matrix", "kind", "refused");
            Thread.sleep(8000);
            double during = counter("ecubridge.poll.failures", "ecu", "matrix", "kind", "refused") - failures;
            assertThat(during).as("backoff: at most every 4 s instead of every second").isBetween(1.0, 3.0);
            assertThat(webhook).as("cooldown").hasSize(1);

            ecu.faults().clearAll();
            ecu.powerCycle();
            Await.until(PATIENCE, () -> published() == 2);
            assertThat(health.all().get(0).down()).isFalse();
        } finally {
            http.stop(0);
        }
    }

    /** A step of an ECU's part in a test: what to switch before the ECUs refresh, what to check after. */
    private interface Action {
        void run() throws Exception;
    }

    private record Step(Action before, Action after) {
    }

    /** One ECU's steps; each refresh of the shared clock is one step of every lane. */
    private final class Lane {
        final int ecu;
        final List<Step> steps = new ArrayList<>();

        Lane(int ecu) {
            this.ecu = ecu;
        }

        String id() {
            return fleet.ecu(ecu).ecuId();
        }

        Faults faults() {
            return fleet.server(ecu).faults();
        }

        /** The fault on for {@code refreshes} refreshes, then off; {@code then} after the last of them. */
        Lane withFault(String fault, int refreshes, Action then) {
            for (int i = 0; i < refreshes; i++) {
                boolean first = i == 0;
                boolean last = i == refreshes - 1;
                steps.add(new Step(() -> {
                    if (first) {
                        faults().set(Fault.Spec.parse(fault));
                    }
                }, () -> {
                    if (last) {
                        faults().clearAll();
                        then.run();
                    }
                }));
            }
            return this;
        }

        Lane withFault(String fault, int refreshes) {
            return withFault(fault, refreshes, () -> { });
        }

        Lane refresh(Action then) {
            steps.add(new Step(() -> { }, then));
            return this;
        }

        Lane step(Action before, Action after) {
            steps.add(new Step(before, after));
            return this;
        }

        JsonNode lastLine() throws Exception {
            List<JsonNode> lines = lines("snapshots", ecu);
            return lines.get(lines.size() - 1);
        }

        double counter(String name, String... tags) {
            List<String> all = new ArrayList<>(List.of("ecu_id", id()));
            all.addAll(List.of(tags));
            return bridge.meter(name, all.toArray(String[]::new));
        }

        /** What was logged about this ECU. */
        List<ILoggingEvent> logged() {
            return EcuFaultMatrixTest.this.logged().stream().filter(e -> e.getFormattedMessage().startsWith("ECU " + id() + ": ")).toList();
        }
    }

    /**
     * The lanes step by step: each step switches its ECU's faults, the shared clock lets all ECUs refresh once, every
     * ECU's refresh is read, then each lane checks.
     */
    private void run(List<Lane> lanes) throws Exception {
        int steps = lanes.stream().mapToInt(l -> l.steps.size()).max().orElse(0);
        for (int k = 0; k < steps; k++) {
            for (Lane lane : lanes) {
                if (k < lane.steps.size()) {
                    lane.steps.get(k).before().run();
                }
            }
            refresh(lanes.stream().map(l -> l.ecu).toList());
            for (Lane lane : lanes) {
                if (k < lane.steps.size()) {
                    lane.steps.get(k).after().run();
                }
            }
        }
    }

    /**
     * Data that is well-formed but wrong: the sinks never see it, the log says it once, metrics and health count it.
     * Five ECUs, each with a part of the faults, refresh in step.
     */
    @Test
    void wrongDataFromTheEcuNeverReachesTheSinks() throws Exception {
        List<String> names = List.of("times", "energy", "fields", "uids", "frozen");
        startFleet(names.size());
        StringBuilder ecus = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            ecus.append(i == 0 ? "" : ",").append(names.get(i)).append("=127.0.0.1:").append(fleet.server(i).port());
        }
        startBridge(ecus.toString(), Map.of("ecubridge.unavailable-after-failures", "1000"));
        Await.until(PATIENCE, () -> IntStream.range(0, names.size()).allMatch(i -> published(i) == 1));
        clearLogs();

        Lane times = new Lane(0);
        double[] before = new double[1];
        times.withFault("time-future", 1).withFault("time-past", 1, () -> {
            assertThat(times.counter("ecubridge.time.rejected", "reason", "future")).isEqualTo(1);
            assertThat(times.counter("ecubridge.time.rejected", "reason", "past")).isEqualTo(1);
            before[0] = published(times.ecu);
        }).withFault("time-backwards", 4, () -> {
            assertThat(times.counter("ecubridge.time.rejected", "reason", "backwards")).as("every other refresh").isEqualTo(2);
            assertThat(published(times.ecu) - before[0]).isEqualTo(2);
        });

        Lane energy = new Lane(1);
        energy.withFault("lifetime-spike", 1, () -> assertThat(energy.lastLine().get("lifetime_kwh").isNull()).as("spike").isTrue())
                .refresh(() -> assertThat(energy.lastLine().get("lifetime_kwh").isNull()).as("the spike did not block the counter").isFalse())
                .withFault("today-above-lifetime", 1, () -> assertThat(energy.lastLine().get("today_kwh").isNull()).isTrue())
                .refresh(() -> assertThat(energy.lastLine().get("today_kwh").isNull()).as("today not blocked").isFalse());

        Lane fields = new Lane(2);
        fields.withFault("ffff-fields", 1, () -> {
            JsonNode ffff = fields.lastLine().get("inverter_data").get(0);
            assertThat(ffff.get("online").asBoolean()).isTrue();
            assertThat(List.of("frequency_hz", "temperature_c", "power_w", "ch1_power_w", "ch1_voltage_v"))
                    .allMatch(field -> ffff.get(field).isNull());
            for (String quantity : List.of("frequency", "temperature", "power", "voltage")) {
                assertThat(fields.counter("ecubridge.values.rejected", "quantity", quantity)).as(quantity).isPositive();
            }
            assertThat(lines("captures", fields.ecu)).as("the raw frame is kept")
                    .anyMatch(l -> l.get("frame").asText().contains("ffffffffffffffff"));
        });

        Lane uids = new Lane(3);
        uids.withFault("duplicate-uid", 2).withFault("bad-uid", 2, () -> {
            assertThat(uids.counter("ecubridge.inverters.dropped", "reason", "duplicate-uid")).isEqualTo(2);
            assertThat(uids.counter("ecubridge.inverters.dropped", "reason", "bad-uid")).isEqualTo(2);
            assertThat(uids.logged()).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .filteredOn(e -> e.getFormattedMessage().contains("appears twice")).hasSize(1);
            assertThat(uids.logged()).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .filteredOn(e -> e.getFormattedMessage().contains("is not 12 decimal digits")).hasSize(1);
        }).withFault("uid-churn", 4, () -> assertThat(uids.logged()).as("one line an hour, not one per new uid")
                .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .filteredOn(e -> e.getFormattedMessage().contains("unknown model")).hasSize(1));

        Lane frozen = new Lane(4);
        EcuHealth health = bridge.bean("ecuHealth", EcuHealth.class);
        frozen.step(() -> frozen.faults().set(Fault.Spec.parse("frozen-time")), () -> { });
        for (int i = 1; i < 8; i++) { // 30 min (6 refreshes) after the last new data time, whichever refresh froze
            frozen.refresh(() -> { });
        }
        frozen.step(() -> {
            Await.until(PATIENCE, () -> health.status("frozen").stale());
            assertThat(health.status("frozen").down()).as("it answers").isFalse();
            frozen.faults().clearAll();
        }, () -> {
            Await.until(PATIENCE, () -> !health.status("frozen").stale());
            assertThat(frozen.logged()).filteredOn(e -> e.getFormattedMessage().contains("stale")).hasSize(1);
            assertThat(frozen.logged()).filteredOn(e -> e.getFormattedMessage().contains("advances again")).hasSize(1);
        });

        List<Lane> lanes = List.of(times, energy, fields, uids, frozen);
        run(lanes);

        for (Lane lane : lanes) {
            List<JsonNode> snapshots = lines("snapshots", lane.ecu);
            assertThat(snapshots).allMatch(l -> l.get("local_time").asText().startsWith("2026-06-21"));
            double lifetime = 0;
            for (JsonNode line : snapshots) {
                if (!line.get("lifetime_kwh").isNull()) {
                    assertThat(line.get("lifetime_kwh").asDouble()).isGreaterThanOrEqualTo(lifetime).isLessThan(10_000);
                    lifetime = line.get("lifetime_kwh").asDouble();
                }
                List<String> uidsOfLine = new ArrayList<>();
                line.get("inverter_data").forEach(inv -> {
                    uidsOfLine.add(inv.get("inverter_uid").asText());
                    assertThat(inv.get("frequency_hz").isNull() || inv.get("frequency_hz").asDouble() < 65.1).isTrue();
                    assertThat(inv.get("temperature_c").isNull() || inv.get("temperature_c").asInt() <= 100).isTrue();
                });
                assertThat(uidsOfLine).doesNotHaveDuplicates().allMatch(uid -> uid.matches("[0-9]{12}"));
            }
            assertThat(snapshots.get(snapshots.size() - 1).get("lifetime_kwh").isNull()).isFalse();
        }
        assertThat(logged().stream().filter(e -> e.getLevel() == Level.ERROR)).isEmpty();
    }

    /**
     * The ECUs refresh their data, and the bridge has read it from each (the cycles after it repeat it). Counted from
     * after the clock moved: of two repeats after that, at most one is a cycle that was under way before it.
     */
    private void refresh(List<Integer> ecus) throws Exception {
        clock.advance(Duration.ofMinutes(5));
        Map<Integer, Double> seen = new HashMap<>();
        for (int i : ecus) {
            seen.put(i, counter("ecubridge.snapshots.duplicate", "ecu_id", fleet.ecu(i).ecuId()));
        }
        for (int i : ecus) {
            Await.until(PATIENCE, () -> counter("ecubridge.snapshots.duplicate", "ecu_id", fleet.ecu(i).ecuId()) >= seen.get(i) + 2);
            // the files sink writes on a thread of its own (behind polling on a loaded machine): the lanes read the
            // files once they hold every snapshot published
            Await.until(PATIENCE, () -> Files.isDirectory(snapshotsOf(i)) && lines("snapshots", i).size() >= published(i));
        }
    }

    private Path snapshotsOf(int i) {
        return tmp.resolve("data").resolve("snapshots").resolve(fleet.ecu(i).ecuId());
    }

    /** Every JSON line of the file sink's {@code snapshots} or {@code captures} of ECU i. */
    private List<JsonNode> lines(String kind, int i) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        try (var files = Files.walk(tmp.resolve("data").resolve(kind).resolve(fleet.ecu(i).ecuId()))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    out.add(json.readTree(line));
                }
            }
        }
        return out;
    }
}
