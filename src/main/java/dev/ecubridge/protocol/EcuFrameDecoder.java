package dev.ecubridge.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts the one ECU reply of a connection out of the TCP stream by its ASCII length field: a reply is L+1 bytes,
 * whatever 0x0A or {@code END} its binary fields contain, and the short status-only reply has no {@code END} at all.
 * Never waits for more than the announced length (at most 10,000 bytes). Bytes that cannot start a reply are handed on
 * as a {@link FrameError} of kind {@link FrameError.Kind#CORRUPTED} saying what and where, in place of the reply (the
 * one error channel for bad bytes, as the reply decoder's), and the rest of the connection's input is dropped.
 *
 * <p><b>At most one frame per connection is handed on.</b> The ECU protocol has one reply per connection; whatever
 * follows it (a reply sent twice, frame-shaped commands appended to it) is dropped unread and reported to
 * {@link Discards}, and so is any later error on the connection. camel-netty's client handler writes every message it
 * receives into the exchange of its connection, even after that exchange has its reply and has moved on: a second
 * frame would replace the body the route has since set — the next request — and be sent to the ECU as a request.
 *
 * <p>Not sharable: one instance per channel.
 */
public final class EcuFrameDecoder extends ByteToMessageDecoder {

    /** Told about input that arrived after the reply of a connection and was dropped. */
    @FunctionalInterface
    public interface Discards {

        Discards NONE = (frames, bytes) -> { };

        /** {@code bytes} dropped, of which {@code frames} whole frame-shaped pieces (any command, any group). */
        void discarded(int frames, int bytes);
    }

    private final Discards discards;
    private final byte[] prefix = new byte[FrameHeader.PREFIX_SIZE];
    private boolean corrupted;
    private boolean replied;

    public EcuFrameDecoder() {
        this(Discards.NONE);
    }

    public EcuFrameDecoder(Discards discards) {
        this.discards = discards;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (corrupted) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (replied) {
            discard(in, false);
            return;
        }
        FrameError problem = problem(in);
        if (problem != null) {
            corrupted = true;
            replied = true;
            in.skipBytes(in.readableBytes());
            out.add(new FrameError(problem.reply(), FrameError.Kind.CORRUPTED, problem.offset(), problem.detail()));
            return;
        }
        int length = FrameHeader.length(prefix, Math.min(in.readableBytes(), FrameHeader.PREFIX_SIZE));
        if (length < 0 || in.readableBytes() < length) {
            return;
        }
        replied = true;
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
        if (replied) {
            discard(in, true);
        } else if (!corrupted && in.isReadable()) {
            replied = true;
            out.add(in.readRetainedSlice(in.readableBytes()));
        }
    }

    /** After the reply nothing on this connection concerns the exchange any more, not even a reset. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (!replied) {
            super.exceptionCaught(ctx, cause);
        }
    }

    /** Drops whole frame-shaped pieces as they complete and anything else at once; at the end, whatever is left. */
    private void discard(ByteBuf in, boolean last) {
        int frames = 0;
        int bytes = 0;
        while (in.isReadable()) {
            int length = problem(in) != null ? 0 // not frame-shaped
                    : FrameHeader.length(prefix, Math.min(in.readableBytes(), FrameHeader.PREFIX_SIZE));
            if (length > 0 && in.readableBytes() >= length) {
                frames++;
            } else if (length != 0 && !last) {
                break; // a frame-shaped piece still arriving
            } else {
                length = in.readableBytes();
            }
            in.skipBytes(length);
            bytes += length;
        }
        if (bytes > 0) {
            discards.discarded(frames, bytes);
        }
    }

    /** Why the bytes at the reader index cannot start a frame, or null; leaves them in {@link #prefix}. */
    private FrameError problem(ByteBuf in) {
        int available = Math.min(in.readableBytes(), FrameHeader.PREFIX_SIZE);
        in.getBytes(in.readerIndex(), prefix, 0, available);
        return FrameHeader.problem(prefix, available);
    }
}
