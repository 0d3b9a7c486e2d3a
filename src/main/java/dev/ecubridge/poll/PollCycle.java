package dev.ecubridge.poll;

import dev.ecubridge.exchange.ExchangeProperties;
import dev.ecubridge.conversion.BadDataTimeException;
import dev.ecubridge.exchange.Headers;
import dev.ecubridge.conversion.EcuStatusException;
import dev.ecubridge.snapshot.SnapshotAssembler;

import dev.ecubridge.gate.RecentKeys;
import dev.ecubridge.protocol.EcuCommand;
import dev.ecubridge.protocol.EcuReply;
import dev.ecubridge.protocol.EcuRequest;
import dev.ecubridge.protocol.FrameError;
import dev.ecubridge.protocol.FrameException;
import dev.ecubridge.protocol.FrameFiles;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.NotAQueryException;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.SignalReply;
import dev.ecubridge.protocol.StatusReply;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of one poll of one ECU, called from the {@code ecu-step} route: info, then realtime and signal with the
 * ECU id from info, each reply checked; then the snapshot. A failure anywhere skips the cycle with one log line and
 * a counter by kind; the route lives on.
 */
public final class PollCycle {

    private static final Logger LOG = LoggerFactory.getLogger(PollCycle.class);
    static final String STATE = "EcuCycle";

    private final SnapshotAssembler assembler;
    private final MeterRegistry meters;
    /** Problems already reported, per ECU; bounded, as their details may change every cycle. */
    private final RecentKeys reported = new RecentKeys(1000);
    private final EcuHealth health;
    private final FailureLog failureLog;

    /** What one cycle has gathered so far. */
    static final class State {
        InfoReply info;
        RealtimeReply realtime;
        final List<byte[]> frames = new ArrayList<>(3);
    }

    /** What a recovery hook is told. */
    public record Recovery(String ecu, String host, String ecuId, int failuresInARow, String lastFailure) {
    }

    public PollCycle(SnapshotAssembler assembler, MeterRegistry meters, EcuHealth health, FailureLog failureLog) {
        this.assembler = assembler;
        this.meters = meters;
        this.health = health;
        this.failureLog = failureLog;
    }

    /** Starts a cycle: the body becomes the info request. */
    public void begin(Exchange exchange) {
        exchange.setProperty(STATE, new State());
        request(exchange, EcuRequest.info());
    }

    public void infoReceived(Exchange exchange) throws Exception {
        State s = state(exchange);
        s.info = reply(exchange, InfoReply.class);
        request(exchange, EcuRequest.realtime(s.info.ecuId()));
    }

    public void realtimeReceived(Exchange exchange) throws Exception {
        State s = state(exchange);
        s.realtime = reply(exchange, RealtimeReply.class);
        request(exchange, EcuRequest.signal(s.info.ecuId()));
    }

    /** The body becomes the snapshot, or null when the ECU has no new data since the last cycle. */
    public void signalReceived(Exchange exchange) throws Exception {
        State s = state(exchange);
        SignalReply signal = reply(exchange, SignalReply.class);
        meters.counter("ecubridge.poll.cycles", "ecu", ecuName(exchange)).increment();
        health.answered(ecuName(exchange), s.info.ecuId());
        try {
            exchange.getMessage().setBody(assembler.assemble(s.info, s.realtime, signal, s.frames,
                    exchange.getProperty(ExchangeProperties.ZONE, ZoneId.class)));
            // only now: a reply whose data the assembler refuses (a bad data time) keeps its one line per quiet period
            failureLog.answered(ecuName(exchange));
        } finally {
            health.dataStale(ecuName(exchange), assembler.staleSince(s.info.ecuId()));
        }
    }

    /** Logs the one line that explains why the cycle was skipped, and counts it. */
    public void failed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.getMessage().setBody(null);
        String kind = kind(cause);
        String ecu = ecuName(exchange);
        meters.counter("ecubridge.poll.failures", "ecu", ecu, "kind", kind).increment();
        failureLog.failed(ecu, kind, explain(exchange, cause));
        EcuHealth.Outcome outcome = health.failed(ecu, kind);
        String ecuId = health.ecuId(ecu);
        if (outcome.wentDown() && ecuId != null) {
            exchange.getMessage().setHeader(Headers.UNAVAILABLE, true);
            exchange.getMessage().setBody(ecuId);
        }
        if (outcome.recover()) {
            LOG.warn("ECU {}: {} failed cycles in a row; calling the recovery hook", ecu, outcome.failuresInARow());
            meters.counter("ecubridge.recovery.calls", "ecu", ecu).increment();
            exchange.getMessage().setHeader(Headers.RECOVER, true);
            exchange.setProperty(ExchangeProperties.RECOVERY, new Recovery(ecu, exchange.getProperty(ExchangeProperties.HOST, String.class), ecuId,
                    outcome.failuresInARow(), kind));
        }
    }

    /** The body is the request itself: the channel's encoder sends an {@link EcuRequest} and nothing else. */
    public static void request(Exchange exchange, EcuRequest request) {
        exchange.getMessage().setHeader(Headers.COMMAND, request.command());
        exchange.getMessage().setHeader(Headers.REQUEST, request);
        exchange.getMessage().setBody(request);
    }

    private <T extends EcuReply> T reply(Exchange exchange, Class<T> type) throws EcuStatusException, FrameException {
        Object body = exchange.getMessage().getBody();
        Object received = exchange.getProperty(ExchangeProperties.FRAME);
        byte[] frame = received instanceof byte[] ? (byte[]) received : null; // else the request: nothing came
        if (frame != null) {
            state(exchange).frames.add(frame);
        }
        if (body instanceof FrameError) {
            FrameError error = (FrameError) body;
            if (type.isInstance(error.partial())) {
                partial(exchange, error, frame);
                return type.cast(error.partial());
            }
            throw new FrameException(error);
        }
        if (body instanceof StatusReply) {
            throw new EcuStatusException((StatusReply) body);
        }
        return type.cast(body);
    }

    /** An unknown record type: publish what was decoded, and ask once per ECU and problem for the frame. */
    private void partial(Exchange exchange, FrameError error, byte[] frame) {
        String ecu = ecuName(exchange);
        meters.counter("ecubridge.decode.partial", "ecu", ecu).increment();
        if (reported.firstTime(ecu + " " + error.detail())) {
            LOG.warn("ECU {}: {}; publishing the {} inverters before it. This inverter type is new to ecu-bridge: please "
                    + "report it with this frame (also in the captures folder): {}", ecu, error.message(),
                    ((RealtimeReply) error.partial()).inverters().size(), frame == null ? "" : FrameFiles.toHex(frame));
        }
    }

    private static State state(Exchange exchange) {
        return exchange.getProperty(STATE, State.class);
    }

    private static String ecuName(Exchange exchange) {
        return exchange.getProperty(ExchangeProperties.ECU, "?", String.class);
    }

    /**
     * One word per way a query can fail, the same in the log line, the health check and the metric label; never a
     * class name. Unknown causes are {@code io-error} (input/output) or {@code error}, with the detail in the line.
     */
    public static String kind(Throwable t) {
        FrameException frame = ObjectHelper.getException(FrameException.class, t);
        if (frame != null) {
            return frame.error().kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        EcuStatusException status = ObjectHelper.getException(EcuStatusException.class, t);
        if (status != null) {
            return "status-" + status.reply().status();
        }
        if (ObjectHelper.getException(BadDataTimeException.class, t) != null) {
            return "bad-time";
        }
        if (ObjectHelper.getException(NotAQueryException.class, t) != null) {
            return "not-a-query";
        }
        if (ObjectHelper.getException(UnknownHostException.class, t) != null) {
            return "unknown-host";
        }
        ConnectException connect = ObjectHelper.getException(ConnectException.class, t);
        if (connect != null && String.valueOf(connect.getMessage()).toLowerCase(Locale.ROOT).contains("refused")) {
            return "refused";
        }
        if (connect != null || ObjectHelper.getException(ConnectTimeoutException.class, t) != null) {
            return "connect";
        }
        if (ObjectHelper.getException(ReadTimeoutException.class, t) != null
                || ObjectHelper.getException(ExchangeTimedOutException.class, t) != null) {
            return "timeout";
        }
        IOException io = ObjectHelper.getException(IOException.class, t);
        if (io != null) {
            // the JDK has no type for it: "Connection reset", "Connection reset by peer"
            return String.valueOf(io.getMessage()).toLowerCase(Locale.ROOT).contains("reset") ? "reset" : "io-error";
        }
        return t == null ? "unknown" : "error";
    }

    private static String explain(Exchange exchange, Throwable t) {
        EcuCommand command = exchange.getMessage().getHeader(Headers.COMMAND, EcuCommand.class);
        String query = command == null ? "" : command.label() + " query: ";
        FrameException frame = ObjectHelper.getException(FrameException.class, t);
        if (frame != null) {
            // the framer cannot know which query the bytes came back to
            return "frame".equals(frame.error().reply()) ? query + frame.error().message() : frame.error().message();
        }
        EcuStatusException status = ObjectHelper.getException(EcuStatusException.class, t);
        if (status != null) {
            return status.getMessage();
        }
        BadDataTimeException badTime = ObjectHelper.getException(BadDataTimeException.class, t);
        if (badTime != null) {
            return badTime.getMessage();
        }
        switch (kind(t)) {
            case "timeout": return query + "no complete reply in time (ecubridge.request-timeout-ms)";
            case "refused": return query + "the ECU refused the connection";
            case "reset": return query + "the ECU reset the connection";
            case "unknown-host": return query + "unknown host " + exchange.getProperty(ExchangeProperties.HOST, String.class);
            case "not-a-query": return query + ObjectHelper.getException(NotAQueryException.class, t).getMessage();
            default: break;
        }
        return query + Causes.root(t);
    }
}
