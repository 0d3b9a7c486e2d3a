package dev.ecubridge.conversion;

import dev.ecubridge.protocol.StatusReply;

/** The ECU answered, but with a status other than 00 (01 wrong ECU id, 02 no data). */
public final class EcuStatusException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient StatusReply reply;

    public EcuStatusException(StatusReply reply) {
        super(reply.command().label() + ": status " + reply.status() + ", " + reply.meaning(), null, false, false);
        this.reply = reply;
    }

    public StatusReply reply() {
        return reply;
    }
}
