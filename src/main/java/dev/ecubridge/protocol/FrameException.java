package dev.ecubridge.protocol;

/** Carries a {@link FrameError} where an exception is the expected failure path (Camel type conversion). */
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
