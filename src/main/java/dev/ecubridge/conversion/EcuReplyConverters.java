package dev.ecubridge.conversion;

import dev.ecubridge.protocol.DecodeResult;
import dev.ecubridge.protocol.EcuCommand;
import dev.ecubridge.protocol.EcuReply;
import dev.ecubridge.protocol.FrameException;
import dev.ecubridge.protocol.ReplyDecoder;
import org.apache.camel.Converter;
import org.apache.camel.Exchange;

/**
 * Camel type converters from a reply frame ({@code byte[]}, as cut by the frame decoder) to the typed replies.
 * When the exchange carries the {@link EcuHeaders#COMMAND} header, the reply must answer that command.
 *
 * <p>{@code convertBodyTo(EcuReply.class)} fails the exchange with a {@link FrameException} that says what is wrong
 * and where; {@code convertBodyTo(DecodeResult.class)} never fails and yields either a reply or a
 * {@link dev.ecubridge.protocol.FrameError}.
 */
@Converter(generateLoader = true)
public final class EcuReplyConverters {

    private EcuReplyConverters() {
    }

    @Converter
    public static EcuReply toEcuReply(byte[] frame, Exchange exchange) throws FrameException {
        return ReplyDecoder.decodeOrThrow(frame, expected(exchange));
    }

    @Converter
    public static DecodeResult toDecodeResult(byte[] frame, Exchange exchange) {
        return ReplyDecoder.decode(frame, expected(exchange));
    }

    private static EcuCommand expected(Exchange exchange) {
        if (exchange == null) {
            return null;
        }
        Object header = exchange.getMessage().getHeader(EcuHeaders.COMMAND);
        if (header instanceof EcuCommand) {
            return (EcuCommand) header;
        }
        return header == null ? null : EcuCommand.valueOf(header.toString());
    }
}
