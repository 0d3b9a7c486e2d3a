package dev.ecubridge.simulator;

import dev.ecubridge.protocol.EcuCommand;
import dev.ecubridge.protocol.EcuRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Cuts requests out of the stream as an ECU does: for a known query the command number decides the request's length
 * (ECUs do not trust the length field; some clients send it wrong), and an optional LF after {@code END} is skipped.
 * Everything else is passed on too, so that the server can record it: another command by its length field, bytes that
 * are no request at all as they came.
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
        if (!head.startsWith("APS11")) {
            out.add(in.readRetainedSlice(in.readableBytes()));
            return;
        }
        int length = EcuCommand.fromCode(head.substring(9)).map(EcuRequest::length).orElseGet(() -> lengthField(head));
        if (in.readableBytes() >= length) {
            out.add(in.readRetainedSlice(length));
        }
    }

    /** Whatever is left when the client closes is recorded too, however short. */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (in.isReadable()) {
            out.add(in.readRetainedSlice(in.readableBytes()));
        }
    }

    /** The length field of an unknown command, or everything received when it is no number. */
    private static int lengthField(String head) {
        String digits = head.substring(5, 9);
        return digits.chars().allMatch(Character::isDigit) ? Math.max(HEAD, Integer.parseInt(digits)) : HEAD;
    }
}
