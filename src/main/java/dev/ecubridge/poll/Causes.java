package dev.ecubridge.poll;

/** The innermost cause of a failure, in one line, for log messages. */
public final class Causes {

    private Causes() {
    }

    /** "ConnectException: Connection refused" for the deepest cause of {@code t}. */
    public static String root(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
