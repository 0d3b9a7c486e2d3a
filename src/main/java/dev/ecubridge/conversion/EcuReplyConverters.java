package dev.ecubridge.conversion;

import dev.ecubridge.exchange.Headers;
import dev.ecubridge.protocol.DecodeResult;
import dev.ecubridge.protocol.EcuCommand;
import dev.ecubridge.protocol.EcuReply;
import dev.ecubridge.protocol.EcuRequest;
import dev.ecubridge.protocol.FrameError;
import dev.ecubridge.protocol.FrameException;
import dev.ecubridge.protocol.ReplyDecoder;
import java.util.Arrays;
import org.apache.camel.Exchange;

/**
 * Camel type converters from a reply frame ({@code byte[]}, as cut by the frame decoder) to the typed replies,
 * registered by the hand-written {@link EcuReplyConvertersLoader}. When the exchange carries the {@link Headers#COMMAND} header, the reply must answer that command.
 *
 * <p>{@code convertBodyTo(EcuReply.class)} fails the exchange with a {@link FrameException} that says what is wrong
 * and where; {@code convertBodyTo(DecodeResult.class)} never fails and yields either a reply or a
 * {@link dev.ecubridge.protocol.FrameError}.
 */
public final class EcuReplyConverters {

    private EcuReplyConverters() {
    }

    public static EcuReply toEcuReply(byte[] frame, Exchange exchange) throws FrameException {
        DecodeResult result = toDecodeResult(frame, exchange);
        if (result instanceof FrameError error) {
            throw new FrameException(error);
        }
        return (EcuReply) result;
    }

    /**
     * camel-netty with disconnect=true hands back the request itself as the "reply" when the peer closes without
     * answering; the body is then still the {@link EcuRequest} that was sent.
     */
    public static DecodeResult toDecodeResult(EcuRequest unanswered, Exchange exchange) {
        return new FrameError(unanswered.command().label(), FrameError.Kind.NO_REPLY, -1,
                "no reply: the ECU closed the connection without answering");
    }

    public static DecodeResult toDecodeResult(byte[] frame, Exchange exchange) {
        Object request = exchange == null ? null : exchange.getMessage().getHeader(Headers.REQUEST);
        if (request instanceof EcuRequest sent && Arrays.equals(frame, sent.bytes())) {
            // some ECUs send the request back instead of answering: it is frame-shaped, but no reply
            return new FrameError(sent.command().label(), FrameError.Kind.ECHO, -1, "no reply: the ECU echoed the request");
        }
        return ReplyDecoder.decode(frame, expected(exchange));
    }

    private static EcuCommand expected(Exchange exchange) {
        if (exchange == null) {
            return null;
        }
        Object header = exchange.getMessage().getHeader(Headers.COMMAND);
        if (header instanceof EcuCommand) {
            return (EcuCommand) header;
        }
        return header == null ? null : EcuCommand.valueOf(header.toString());
    }
}
