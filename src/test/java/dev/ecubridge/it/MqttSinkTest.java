package dev.ecubridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.app.EmbeddedMqttBroker;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MQTT sink against a real broker: a large ECU's cycle, and a broker that stops answering. */
class MqttSinkTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(
            LocalDateTime.parse("2026-06-21T12:02:00").atZone(TestBridge.ZONE).toInstant(), TestBridge.ZONE);
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestBridge bridge;

    @AfterEach
    void stop() throws Exception {
        if (bridge != null) {
            bridge.close();
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private SimulatorFleet simulate(String inverters) throws Exception {
        SiteSpec site = SiteSpec.defaults().withInverters(SiteSpec.parseInverters(inverters)).withSeed(5);
        return opened(SimulatorFleet.start(site, 1, "127.0.0.1", 0, clock, List.of()));
    }

    private Map<String, Object> config(int port, String brokerUrl) {
        Map<String, Object> p = TestBridge.fastPolling(tmp.resolve("data"));
        p.put("ecubridge.ecus", "big=127.0.0.1:" + port);
        p.put("ecubridge.mqtt.enabled", true);
        p.put("ecubridge.mqtt.broker-url", brokerUrl);
        p.put("ecubridge.mqtt.client-id", "bridge-" + System.nanoTime());
        p.put("ecubridge.outbox.retry-seconds", 1);
        return p;
    }

    /** 200 inverters in one cycle: every inverter's state arrives and the sink never falls behind its in-flight window. */
    @Test
    void twoHundredInvertersInOneCycleAllArrive() throws Exception {
        EmbeddedMqttBroker broker = opened(EmbeddedMqttBroker.start("127.0.0.1", Ports.free(), tmp.resolve("artemis")));
        SimulatorFleet fleet = simulate("DS3:200");
        SimulatedEcu ecu = fleet.ecu(0);
        MqttRecorder mqtt = opened(new MqttRecorder(broker.url(), "apsystems/" + ecu.ecuId() + "/#"));
        bridge = TestBridge.start(config(fleet.server(0).port(), broker.url()));

        Await.until(PATIENCE, () -> mqtt.last.keySet().stream().filter(t -> t.endsWith("/state")).count() == 201);
        assertThat(bridge.meter("ecubridge.outbox.stored", "sink", "mqtt")).as("nothing had to wait").isZero();
        assertThat(bridge.meter("ecubridge.outbox.depth", "sink", "mqtt")).isZero();
    }
}
