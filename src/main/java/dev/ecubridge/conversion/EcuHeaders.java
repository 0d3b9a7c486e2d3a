package dev.ecubridge.conversion;

/** Exchange headers shared by the routes and the converters. */
public final class EcuHeaders {

    /** The {@link dev.ecubridge.protocol.EcuCommand} a reply must answer; checked when converting the reply. */
    public static final String COMMAND = "EcuCommand";

    /** The {@link dev.ecubridge.protocol.EcuRequest} sent; a "reply" of its bytes is an echo, not an answer. */
    public static final String REQUEST = "EcuRequest";

    private EcuHeaders() {
    }
}
