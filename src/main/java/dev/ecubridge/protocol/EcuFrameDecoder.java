package dev.ecubridge.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;

/**
 * Cuts ECU replies out of a TCP stream by their ASCII length field: a reply is L+1 bytes, whatever 0x0A or
 * {@code END} its binary fields contain, and the short status-only reply has no {@code END} at all. Never waits for
 * more than the announced length (at most 10,000 bytes). Bytes that cannot start a reply fail the read with a
 * {@link CorruptedFrameException} naming the reason, and the rest of the connection's input is dropped: the ECU
 * protocol has one reply per connection, so there is nothing to resynchronise to.
 *
 * <p>Not sharable: one instance per channel.
 */
public final class EcuFrameDecoder extends ByteToMessageDecoder {

    private final byte[] prefix = new byte[FrameHeader.PREFIX_SIZE];
    private boolean corrupted;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (corrupted) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int available = Math.min(in.readableBytes(), FrameHeader.PREFIX_SIZE);
        in.getBytes(in.readerIndex(), prefix, 0, available);
        int length;
        try {
            length = FrameHeader.check(prefix, available);
        } catch (FrameException e) {
            corrupted = true;
            in.skipBytes(in.readableBytes());
            throw new CorruptedFrameException(e.getMessage());
        }
        if (length < 0 || in.readableBytes() < length) {
            return;
        }
        out.add(in.readRetainedSlice(length));
    }

    /**
     * A peer that closes in the middle of a reply: the bytes received are passed on as they are, so that the reply
     * decoder explains exactly what is missing ("frame is 31 bytes, but the length field ... makes it 192:
     * truncated"). An exception here would not reach camel-netty, which completes the exchange on the close.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (!corrupted && in.isReadable()) {
            out.add(in.readRetainedSlice(in.readableBytes()));
        }
    }
}
