package dev.ecubridge.it;

import dev.ecubridge.exchange.ExchangeProperties;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.NotAQueryException;
import dev.ecubridge.simulator.EcuServer;
import dev.ecubridge.simulator.Fault;
import dev.ecubridge.simulator.MutableClock;
import dev.ecubridge.simulator.SimulatedEcu;
import dev.ecubridge.simulator.SimulatorFleet;
import dev.ecubridge.simulator.SiteSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.util.ObjectHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Read-only on the wire, checked on the ECU's side: ECUs that append frame-shaped write commands to their replies, or
 * answer twice, receive nothing but the whitelisted queries over many cycles, and the sinks get the true data.
 */
class WireSafetyTest {

    private static final ZoneId ZONE = TestBridge.ZONE;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int CYCLES = 8;

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(LocalDateTime.parse("2026-06-21T12:02:00").atZone(ZONE).toInstant(), ZONE);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private SimulatorFleet fleet;
    private TestBridge bridge;

    @BeforeEach
    void start() throws Exception {
        fleet = SimulatorFleet.start(SiteSpec.defaults(), 2, "127.0.0.1", 0, clock, List.of());
        fleet.server(0).faults().set(Fault.TRAILING_WRITE);
        fleet.server(1).faults().set(Fault.ANSWER_TWICE);
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        Map<String, Object> p = TestBridge.fastPolling(tmp.resolve("data"));
        p.put("ecubridge.ecus", "trailing=127.0.0.1:" + fleet.server(0).port() + ",twice=127.0.0.1:" + fleet.server(1).port());
        bridge = TestBridge.start(p);
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        bridge.close();
        fleet.close();
    }

    @Test
    void ecusThatAppendWriteCommandsOrAnswerTwiceReceiveOnlyQueries() throws Exception {
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            if (cycle > 1) {
                clock.advance(Duration.ofMinutes(5)); // the ECUs' next data
            }
            int expected = cycle;
            Await.until(PATIENCE, () -> published(0) == expected && published(1) == expected);
        }

        for (int i = 0; i < 2; i++) {
            EcuServer ecu = fleet.server(i);
            String name = i == 0 ? "trailing" : "twice";
            assertThat(ecu.receivedCommands()).as(name + ": only the whitelisted queries reached the ECU")
                    .containsOnlyKeys("0001", "0002", "0030");
            assertThat(ecu.receivedCommands().get("0002")).isGreaterThanOrEqualTo(CYCLES);
            assertThat(ecu.received()).allSatisfy(r -> assertThat(r.toString()).matches("APS1100(16|28)00(01|02|30)(\\d{12})?END"));
            assertThat(bridge.meter("ecubridge.poll.failures", "ecu", name)).as(name + ": no failed cycle").isZero();
            double frames = bridge.meter("ecubridge.wire.discarded.frames", "ecu", name);
            assertThat(frames).as(name + ": what followed the reply was dropped and counted").isPositive();
            assertThat(bridge.meter("ecubridge.wire.discarded.bytes", "ecu", name)).isGreaterThanOrEqualTo(frames * 46);
            assertThat(logs.list).as(name + ": said once").filteredOn(e -> e.getFormattedMessage()
                    .startsWith("ECU " + name + ": sent ") && e.getFormattedMessage().contains("after its reply")).hasSize(1);

            // the sinks hold the ECU's true data: the last snapshot is the ECU's answer at that time
            SimulatedEcu sim = fleet.ecu(i);
            InfoReply info = sim.info();
            Path day = tmp.resolve("data/snapshots/" + sim.ecuId()).resolve(sim.realtime().timestamp().toLocalDate() + ".jsonl");
            Await.until(PATIENCE, () -> Files.readAllLines(day).size() == CYCLES);
            List<String> lines = Files.readAllLines(day);
            JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
            assertThat(last.get("ecu_id").asText()).isEqualTo(sim.ecuId());
            assertThat(last.get("power_w").asLong()).isEqualTo(info.currentPowerW());
            assertThat(last.get("lifetime_kwh").asDouble()).isEqualTo(info.lifetimeEnergyKwh());
            assertThat(last.get("inverter_data")).hasSize(sim.realtime().inverters().size());
        }
    }

    @Test
    void anythingButAnEcuRequestFailsTheQueryAndNeverReachesTheEcu() throws Exception {
        Await.until(PATIENCE, () -> published(0) == 1);
        EcuServer ecu = fleet.server(0);
        byte[] setClock = ("APS1100450006" + fleet.ecu(0).ecuId() + "END20000101000000END\n").getBytes(StandardCharsets.US_ASCII);
        Exchange exchange = new DefaultExchange(bridge.context());
        exchange.setProperty(ExchangeProperties.ECU, "trailing");
        exchange.setProperty(ExchangeProperties.HOST, "127.0.0.1");
        exchange.getMessage().setBody(setClock);
        try (ProducerTemplate template = bridge.context().createProducerTemplate()) {
            Exchange result = template.send("direct:query", exchange);
            assertThat(ObjectHelper.getException(NotAQueryException.class, result.getException()))
                    .hasMessage("refused to send a byte[] of 46 bytes to an ECU: only an EcuRequest is ever sent");
        }
        assertThat(ecu.receivedCommands()).containsOnlyKeys("0001", "0002", "0030");
    }

    private double published(int i) {
        return bridge.meter("ecubridge.snapshots.published", "ecu_id", fleet.ecu(i).ecuId());
    }
}
