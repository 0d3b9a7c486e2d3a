package dev.ecubridge.conversion;

/** The ECU's data time is not a valid BCD date and time: the cycle fails (kind {@code bad-time}), no time is guessed. */
public final class BadDataTimeException extends Exception {

    private static final long serialVersionUID = 1L;

    public BadDataTimeException(String message) {
        super(message, null, false, false);
    }
}
