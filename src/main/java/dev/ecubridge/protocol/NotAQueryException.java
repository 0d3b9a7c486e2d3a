package dev.ecubridge.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.EncoderException;

/** Something other than an {@link EcuRequest} was about to be written to an ECU; it was not sent. */
public final class NotAQueryException extends EncoderException {

    public NotAQueryException(Object refused) {
        super("refused to send " + describe(refused) + " to an ECU: only an EcuRequest is ever sent");
    }

    private static String describe(Object msg) {
        if (msg == null) {
            return "null";
        }
        if (msg instanceof byte[]) {
            return "a byte[] of " + ((byte[]) msg).length + " bytes";
        }
        if (msg instanceof ByteBuf) {
            return "a buffer of " + ((ByteBuf) msg).readableBytes() + " bytes";
        }
        return "a " + msg.getClass().getSimpleName();
    }
}
