package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.app.EcuBridgeApp;
import dev.ecubridge.app.Settings;
import dev.ecubridge.simulator.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/** The bridge as users run it (application.properties, YAML routes, beans), started in this JVM for a test. */
final class TestBridge implements AutoCloseable {

    static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

    /** 12:02 on a summer day in {@link #ZONE}, when the simulated ECUs have sun; the tests move it on. */
    static MutableClock summerNoon() {
        return new MutableClock(LocalDateTime.parse("2026-06-21T12:02:00").atZone(ZONE).toInstant(), ZONE);
    }

    private final Main main;

    private TestBridge(Main main) {
        this.main = main;
    }

    /**
     * Settings for tests: cycles every second, files in {@code data}, the management endpoint on a free port, and an
     * InfluxDB token (required when the sink is enabled; QuestDB does not check it).
     */
    /**
     * The simulators run on a clock of their own (2026-06-21): a bridge not given that clock ({@code start(p, clock)},
     * or any bridge process) compares their data times with this machine's, so its window must span a year.
     */
    static final String SKEW_KEY = "ecubridge.plausibility.max-clock-skew-minutes";
    static final int SKEW_FOR_SIMULATORS = 525_600;

    static Map<String, Object> fastPolling(Path data) {
        Map<String, Object> p = new HashMap<>();
        p.put("ecubridge.poll-interval-seconds", 1);
        p.put("ecubridge.query-pause-ms", 20);
        p.put("ecubridge.first-poll-delay-ms", 10);
        p.put("ecubridge.zone", ZONE.getId());
        p.put("ecubridge.files.directory", data.toString());
        p.put("camel.management.port", Ports.free());
        p.put(SKEW_KEY, SKEW_FOR_SIMULATORS);
        p.put("ecubridge.influxdb.token", "test-token");
        // a stopping queue consumer waits out its poll: 1 s a queue by default, paid at every bridge stop of a test
        p.put("camel.component.seda.default-poll-timeout", 100);
        return p;
    }

    /** {@link #fastPolling} as a member of a cluster on that broker (history off: about polling and hand-overs). */
    static Map<String, Object> clusterPolling(Path data, KafkaBroker kafka, int partitions, int sessionMs) {
        Map<String, Object> p = fastPolling(data);
        p.put("ecubridge.history.enabled", false);
        p.put("ecubridge.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("ecubridge.cluster.enabled", true);
        p.put("ecubridge.cluster.partitions", partitions);
        p.put("ecubridge.cluster.session-timeout-ms", sessionMs);
        p.put("ecubridge.cluster.guard-margin-ms", 1000);
        return p;
    }

    static TestBridge start(Map<String, ?> properties) throws Exception {
        return start(properties, Clock.systemDefaultZone());
    }

    /** @param clock the clock the simulated ECUs run on, which the bridge takes as its own */
    static TestBridge start(Map<String, ?> properties, Clock clock) throws Exception {
        EcuBridgeApp app = new EcuBridgeApp().withClock(clock).with(properties);
        Settings settings = app.settings();
        assertThat(settings.problems()).as("configuration problems").isEmpty();
        Main main = app.createMain(settings);
        main.start();
        return new TestBridge(main);
    }

    /** A counter's count or a gauge's value; 0 while it does not exist yet. */
    double meter(String name, String... tags) {
        MeterRegistry meters = bean("metricsRegistry", MeterRegistry.class);
        Counter counter = meters.find(name).tags(tags).counter();
        if (counter != null) {
            return counter.count();
        }
        Gauge gauge = meters.find(name).tags(tags).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    <T> T bean(String name, Class<T> type) {
        return main.getCamelContext().getRegistry().lookupByNameAndType(name, type);
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    boolean routeStarted(String routeId) {
        return main.getCamelContext().getRouteController().getRouteStatus(routeId).isStarted();
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
