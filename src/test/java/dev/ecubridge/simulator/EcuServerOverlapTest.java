package dev.ecubridge.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link EcuServer#maxConcurrentConnections()} counts: connections a client really holds at once. */
class EcuServerOverlapTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    private static final byte[] INFO = "APS1100160001END\n".getBytes(StandardCharsets.US_ASCII);
    private SimulatorFleet fleet;
    private EcuServer server;

    @BeforeEach
    void start() throws Exception {
        MutableClock clock = new MutableClock(LocalDateTime.parse("2026-06-21T12:00:00").atZone(ZONE).toInstant(), ZONE);
        fleet = SimulatorFleet.start(SiteSpec.defaults(), 1, "127.0.0.1", 0, clock, List.of());
        server = fleet.server(0);
    }

    @AfterEach
    void stop() {
        fleet.close();
    }

    private Socket connect() throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        s.setSoTimeout(2000);
        return s;
    }

    /** Sends the info query and reads the start of its reply. */
    private static void ask(Socket s) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(INFO);
        out.flush();
        InputStream in = s.getInputStream();
        assertThat(in.read()).as("a reply").isEqualTo('A');
    }

    @Test
    void twoConnectionsHeldAtOnceCountTwo() throws Exception {
        try (Socket first = connect(); Socket second = connect()) {
            ask(first);
            ask(second);
            assertThat(server.maxConcurrentConnections()).isEqualTo(2);
        }
    }

    @Test
    void threeConnectionsHeldAtOnceCountThree() throws Exception {
        try (Socket a = connect(); Socket b = connect(); Socket c = connect()) {
            ask(a);
            ask(b);
            ask(c);
            assertThat(server.maxConcurrentConnections()).isEqualTo(3);
        }
    }

    @Test
    void aSecondConnectionWithoutARequestWhileTheFirstOneAsksCountsOnceItAsks() throws Exception {
        try (Socket idle = connect(); Socket asking = connect()) {
            ask(asking);
            // the idle one never sends: it still stays open past the grace time while the other one asked
            assertThat(server.maxConcurrentConnections()).isEqualTo(2);
        }
    }

    @Test
    void oneConnectionAfterTheOtherCountsOneHoweverFastTheNextOneOpens() throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Socket s = connect()) {
                ask(s);
            }
        }
        assertThat(server.connections()).isEqualTo(200);
        assertThat(server.maxConcurrentConnections()).isEqualTo(1);
    }
}
