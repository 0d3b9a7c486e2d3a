package dev.ecubridge.protocol;

/**
 * Carries a {@link FrameError} where a failure has to leave the normal path: inside the reply decoder, and into a
 * route's error handling (a failed poll cycle, {@code convertBodyTo(EcuReply)}). Bad bytes themselves travel as the
 * {@link FrameError} value.
 */
public final class FrameException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient FrameError error;

    public FrameException(FrameError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public FrameError error() {
        return error;
    }
}
