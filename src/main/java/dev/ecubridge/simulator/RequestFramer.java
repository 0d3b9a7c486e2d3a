package dev.ecubridge.simulator;

import dev.ecubridge.protocol.EcuCommand;
import dev.ecubridge.protocol.EcuRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Cuts requests out of the stream as an ECU does: the command number decides the request's length (ECUs do not trust
 * the length field; some clients send it wrong), and an optional LF after {@code END} is skipped. Bytes that are not
 * a known query are dropped without an answer.
 */
final class RequestFramer extends ByteToMessageDecoder {

    private static final int HEAD = 13;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() > 0 && in.getByte(in.readerIndex()) == '\n') {
            in.skipBytes(1);
        }
        if (in.readableBytes() < HEAD) {
            return;
        }
        String head = in.toString(in.readerIndex(), HEAD, StandardCharsets.ISO_8859_1);
        EcuCommand command = head.startsWith("APS11") ? EcuCommand.fromCode(head.substring(9)).orElse(null) : null;
        if (command == null) {
            in.skipBytes(in.readableBytes()); // not a query we answer: ignore, like a careful ECU
            return;
        }
        int length = EcuRequest.length(command);
        if (in.readableBytes() >= length) {
            out.add(in.readRetainedSlice(length));
        }
    }
}
