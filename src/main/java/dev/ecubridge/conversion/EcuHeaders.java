package dev.ecubridge.conversion;

/** Exchange headers shared by the routes and the converters. */
public final class EcuHeaders {

    /** The {@link dev.ecubridge.protocol.EcuCommand} a reply must answer; checked when converting the reply. */
    public static final String COMMAND = "EcuCommand";

    /** The request bytes sent; a "reply" equal to them means the ECU never answered. */
    public static final String REQUEST = "EcuRequest";

    private EcuHeaders() {
    }
}
