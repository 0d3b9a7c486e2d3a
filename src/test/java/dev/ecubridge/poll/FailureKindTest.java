package dev.ecubridge.poll;

import dev.ecubridge.conversion.EcuStatusException;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ecubridge.protocol.FrameError;
import dev.ecubridge.protocol.FrameException;
import dev.ecubridge.protocol.NotAQueryException;
import dev.ecubridge.protocol.StatusReply;
import dev.ecubridge.protocol.ReplyDecoder;
import dev.ecubridge.simulator.MutableClock;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.ExchangeTimedOutException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Every way a query fails is one word, the same in the log, health and metrics; never a class name. */
class FailureKindTest {

    private static Throwable wrapped(Throwable cause) {
        return new CamelExchangeException("netty failed", null, cause);
    }

    @Test
    void eachCauseIsAWord() {
        StatusReply status = (StatusReply) ReplyDecoder.decode("APS110015000201\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(PollCycle.kind(wrapped(new SocketException("Connection reset")))).isEqualTo("reset");
        assertThat(PollCycle.kind(wrapped(new IOException("Connection reset by peer")))).isEqualTo("reset");
        assertThat(PollCycle.kind(wrapped(new ConnectException("Connection refused: /127.0.0.1:9")))).isEqualTo("refused");
        assertThat(PollCycle.kind(wrapped(new ConnectTimeoutException("connection timed out: /192.0.2.1:8899"))))
                .isEqualTo("connect");
        assertThat(PollCycle.kind(wrapped(new ConnectException("Network is unreachable")))).isEqualTo("connect");
        assertThat(PollCycle.kind(wrapped(new UnknownHostException("ecu.invalid")))).isEqualTo("unknown-host");
        assertThat(PollCycle.kind(wrapped(ReadTimeoutException.INSTANCE))).isEqualTo("timeout");
        assertThat(PollCycle.kind(new ExchangeTimedOutException(null, 5000))).isEqualTo("timeout");
        assertThat(PollCycle.kind(new FrameException(new FrameError("frame", FrameError.Kind.CORRUPTED, 0,
                "does not start with 'APS'")))).isEqualTo("corrupted");
        assertThat(PollCycle.kind(new FrameException(new FrameError("info", FrameError.Kind.ECHO, -1, "echo")))).isEqualTo("echo");
        assertThat(PollCycle.kind(new FrameException(new FrameError("info", FrameError.Kind.UNEXPECTED_COMMAND, 9, "x"))))
                .isEqualTo("unexpected-command");
        assertThat(PollCycle.kind(new EcuStatusException(status))).isEqualTo("status-01");
        assertThat(PollCycle.kind(wrapped(new NotAQueryException(new byte[46])))).isEqualTo("not-a-query");
        assertThat(PollCycle.kind(wrapped(new SocketException("Broken pipe")))).isEqualTo("io-error");
        assertThat(PollCycle.kind(new IllegalStateException("bug"))).isEqualTo("error");
    }

    @Test
    void aFloodIsOneLinePerEcuAndKindPerHourAndAfterRecoveryTheFirstIsLoggedAgain() {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(PollCycle.class);
        logger.addAppender(logs);
        try {
            MutableClock clock = new MutableClock(Instant.parse("2026-06-21T10:00:00Z"), ZoneOffset.UTC);
            FailureLog log = new FailureLog(clock, Duration.ofHours(1));
            for (int i = 0; i <= 60; i++) {
                log.failed("roof", "timeout", "realtime query: no complete reply in time");
                log.failed("shed", "timeout", "info query: no complete reply in time");
                clock.advance(Duration.ofMinutes(1));
            }
            log.failed("roof", "reset", "info query: the ECU reset the connection");
            log.failed("roof", "timeout", "realtime query: no complete reply in time");
            log.answered("roof");
            log.failed("roof", "timeout", "realtime query: no complete reply in time");
            log.failed("roof", "timeout", "realtime query: no complete reply in time");
            assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "ECU roof: cycle skipped (timeout): realtime query: no complete reply in time",
                    "ECU shed: cycle skipped (timeout): info query: no complete reply in time",
                    "ECU roof: cycle skipped (timeout): realtime query: no complete reply in time (59 more since the last line, not logged)",
                    "ECU shed: cycle skipped (timeout): info query: no complete reply in time (59 more since the last line, not logged)",
                    "ECU roof: cycle skipped (reset): info query: the ECU reset the connection",
                    "ECU roof: cycle skipped (timeout): realtime query: no complete reply in time");
        } finally {
            logger.detachAppender(logs);
        }
    }
}
