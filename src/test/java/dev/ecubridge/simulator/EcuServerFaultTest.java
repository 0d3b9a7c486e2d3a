package dev.ecubridge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.protocol.DecodeResult;
import dev.ecubridge.protocol.EcuCommand;
import dev.ecubridge.protocol.FrameError;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.ReplyDecoder;
import dev.ecubridge.protocol.StatusReply;
import dev.ecubridge.protocol.Vectors;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every fault mode, seen by a plain socket client, switched on and off while the server runs. */
class EcuServerFaultTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    private SimulatorFleet fleet;
    private EcuServer server;
    private String realtime;

    @BeforeEach
    void start() throws Exception {
        MutableClock clock = new MutableClock(LocalDateTime.parse("2026-06-21T12:00:00").atZone(ZONE).toInstant(), ZONE);
        fleet = SimulatorFleet.start(SiteSpec.defaults(), 1, "127.0.0.1", 0, clock, List.of());
        server = fleet.server(0);
        realtime = "APS1100280002" + fleet.ecu(0).ecuId() + "END\n";
    }

    @AfterEach
    void stop() {
        fleet.close();
    }

    private PlainClient.Answer ask(String request) throws IOException {
        return PlainClient.query(server.port(), request, 1500);
    }

    private DecodeResult decode(String request) throws IOException {
        return ReplyDecoder.decode(ask(request).bytes());
    }

    @Test
    void noFaultAnswersFramedReplies() throws IOException {
        assertThat(decode("APS1100160001END\n")).isInstanceOf(InfoReply.class);
        assertThat(decode(realtime)).isInstanceOf(RealtimeReply.class);
        assertThat(decode("APS1100160001END")).as("request without LF").isInstanceOf(InfoReply.class);
    }

    @Test
    void anythingButAReadOnlyQueryGetsNoAnswerAndChangesNothing() throws Exception {
        String id = fleet.ecu(0).ecuId();
        byte[] before = fleet.ecu(0).reply(dev.ecubridge.protocol.EcuRequest.realtime(id));
        for (String command : List.of("APS1100350015" + id + "END1015END\n", "APS1100450006" + id + "END20260101000000END\n",
                "HELLO\n", "APS1100280099" + id + "END\n")) {
            PlainClient.Answer a = PlainClient.query(server.port(), command, 400);
            assertThat(a.bytes()).as(command).isEmpty();
            assertThat(a.timedOut()).isTrue();
        }
        assertThat(fleet.ecu(0).reply(dev.ecubridge.protocol.EcuRequest.realtime(id))).isEqualTo(before);
        assertThat(server.answered()).isZero();
        long deadline = System.nanoTime() + 5_000_000_000L; // "HELLO" is recorded when the client has closed
        while (server.received().size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.receivedCommands()).as("every request is recorded, queries or not")
                .containsExactlyInAnyOrderEntriesOf(Map.of("0015", 1L, "0006", 1L, "", 1L, "0099", 1L));
        assertThat(server.received()).extracting(EcuServer.Received::toString).contains(
                "APS1100450006" + id + "END20260101000000END", "HELLO");
    }

    @Test
    void stall() throws IOException {
        server.faults().set(Fault.STALL);
        PlainClient.Answer a = ask(realtime);
        assertThat(a.timedOut()).isTrue();
        assertThat(a.bytes()).isEmpty();
        server.faults().clear(Fault.STALL);
        assertThat(decode(realtime)).isInstanceOf(RealtimeReply.class);
    }

    @Test
    void closeMidFrame() throws IOException {
        server.faults().set(Fault.CLOSE_MID_FRAME);
        PlainClient.Answer a = ask(realtime);
        assertThat(a.closedByPeer()).isTrue();
        assertThat(ReplyDecoder.decode(a.bytes())).isInstanceOf(FrameError.class);
        assertThat(((FrameError) ReplyDecoder.decode(a.bytes())).kind()).isEqualTo(FrameError.Kind.TRUNCATED);
    }

    @Test
    void dripOneByteAtATime() throws IOException {
        server.faults().set(Fault.DRIP);
        PlainClient.Answer a = ask(realtime);
        assertThat(ReplyDecoder.decode(a.bytes())).isInstanceOf(RealtimeReply.class);
        assertThat(a.reads()).isGreaterThan(a.bytes().length / 4);
    }

    @Test
    void slowDrip() throws IOException {
        server.faults().set(Fault.Spec.parse("slow-drip=1"));
        PlainClient.Answer a = PlainClient.query(server.port(), realtime, 3000);
        assertThat(ReplyDecoder.decode(a.bytes())).isInstanceOf(RealtimeReply.class);
        assertThat(a.millis()).isGreaterThanOrEqualTo(800);
    }

    @Test
    void garbage() throws IOException {
        server.faults().set(Fault.GARBAGE);
        assertThat(decode(realtime)).isInstanceOf(FrameError.class);
    }

    @Test
    void wrongCommandEchoAndWrongLength() throws IOException {
        server.faults().set(Fault.WRONG_COMMAND);
        DecodeResult wrong = ReplyDecoder.decode(ask(realtime).bytes(), EcuCommand.REALTIME);
        assertThat(((FrameError) wrong).kind()).isEqualTo(FrameError.Kind.UNEXPECTED_COMMAND);
        server.faults().clearAll().set(Fault.WRONG_LENGTH);
        PlainClient.Answer a = ask(realtime);
        assertThat(a.timedOut()).as("a client that trusts the length waits for bytes that never come").isTrue();
        assertThat(((FrameError) ReplyDecoder.decode(a.bytes())).kind()).isEqualTo(FrameError.Kind.TRUNCATED);
    }

    @Test
    void statusRepliesAreTheShortForm() throws IOException {
        server.faults().set(Fault.STATUS_01);
        PlainClient.Answer a = ask(realtime);
        assertThat(a.bytes()).hasSize(16);
        assertThat(ReplyDecoder.decode(a.bytes())).isEqualTo(new StatusReply(EcuCommand.REALTIME, "01"));
        server.faults().clearAll().set(Fault.Spec.parse("status-02@0002"));
        assertThat(decode(realtime)).isEqualTo(new StatusReply(EcuCommand.REALTIME, "02"));
        assertThat(decode("APS1100280030" + fleet.ecu(0).ecuId() + "END\n")).as("only 0002 affected")
                .isInstanceOf(dev.ecubridge.protocol.SignalReply.class);
    }

    @Test
    void zeroInvertersAndUnknownType() throws IOException {
        server.faults().set(Fault.ZERO_INVERTERS);
        assertThat(((RealtimeReply) decode(realtime)).inverters()).isEmpty();
        server.faults().clearAll().set(Fault.UNKNOWN_TYPE);
        FrameError e = (FrameError) decode(realtime);
        // DS3:4, QS1:2, YC600:1 = 4 x 21 + 2 x 23 + 21 bytes of records before the QT2
        assertThat(e.message()).isEqualTo("realtime: record 8 at offset 177 has unknown type code '07'");
        assertThat(((RealtimeReply) e.partial()).inverters()).hasSize(7);
    }

    @Test
    void energyGlitches() throws IOException {
        InfoReply good = (InfoReply) decode("APS1100160001END\n");
        server.faults().set(Fault.LIFETIME_ZERO);
        InfoReply glitch = (InfoReply) decode("APS1100160001END\n");
        assertThat(glitch.lifetimeEnergyKwh()).isZero();
        assertThat(glitch.todayEnergyKwh()).isEqualTo(good.todayEnergyKwh());
        server.faults().clearAll().set(Fault.TODAY_ZERO);
        glitch = (InfoReply) decode("APS1100160001END\n");
        assertThat(glitch.todayEnergyKwh()).isZero();
        assertThat(glitch.lifetimeEnergyKwh()).isEqualTo(good.lifetimeEnergyKwh());
    }

    @Test
    void hangAfterNPollsUntilPowerCycled() throws Exception {
        server.faults().set(Fault.Spec.parse("hang-after=2"));
        assertThat(decode(realtime)).isInstanceOf(RealtimeReply.class);
        assertThat(decode(realtime)).isInstanceOf(RealtimeReply.class);
        assertThat(server.isHung()).isTrue();
        waitFor(this::refused);
        server.faults().clear(Fault.HANG_AFTER);
        assertThat(refused()).as("still hung: only a power cycle helps").isTrue();
        server.powerCycle();
        assertThat(decode(realtime)).isInstanceOf(RealtimeReply.class);
    }

    @Test
    void refuseASecondConcurrentConnection() throws Exception {
        server.faults().set(Fault.REFUSE_CONCURRENT);
        try (Socket first = new Socket()) {
            first.connect(new InetSocketAddress("127.0.0.1", server.port()));
            waitFor(() -> server.openConnections() == 1);
            PlainClient.Answer second = ask(realtime);
            assertThat(second.closedByPeer()).isTrue();
            assertThat(second.bytes()).isEmpty();
        }
        waitFor(() -> server.openConnections() == 0);
        assertThat(decode(realtime)).isInstanceOf(RealtimeReply.class);
    }

    @Test
    void replayServesRecordedFramesInOrder() throws Exception {
        List<byte[]> frames = Vectors.valid().stream().map(Vectors.Vector::frame).toList();
        try (SimulatorFleet replay = SimulatorFleet.replay(new Replay(frames), "127.0.0.1", 0, List.of())) {
            int port = replay.server(0).port();
            byte[] first = PlainClient.query(port, "APS1100160001END\n", 1500).bytes();
            byte[] second = PlainClient.query(port, "APS1100160001END\n", 1500).bytes();
            assertThat(first).isEqualTo(Vectors.named("ecu-b_info_fw1.2.33").frame());
            assertThat(second).isEqualTo(Vectors.named("ecu-r-pro_info_fw2.0.7A_night_aps12").frame());
        }
    }

    private boolean refused() {
        try {
            ask(realtime);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
