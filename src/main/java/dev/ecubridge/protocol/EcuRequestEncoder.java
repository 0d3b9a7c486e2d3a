package dev.ecubridge.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * The only way onto the wire to an ECU: writes the bytes of an {@link EcuRequest} and refuses everything else — bytes,
 * buffers, strings — with a {@link NotAQueryException} that fails the write, so nothing but a whitelisted query can
 * ever be sent, whatever a route's body holds.
 */
@Sharable
public final class EcuRequestEncoder extends MessageToByteEncoder<Object> {

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return true; // every message goes through encode(): none slips past to the socket
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) throws NotAQueryException {
        if (!(msg instanceof EcuRequest)) {
            throw new NotAQueryException(msg);
        }
        out.writeBytes(((EcuRequest) msg).bytes());
    }
}
