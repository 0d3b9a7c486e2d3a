package dev.ecubridge.userroutes;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A user route file that Camel cannot load: the file and why, as one line. */
public final class UserRouteException extends RuntimeException {

    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    UserRouteException(Path file, Throwable cause) {
        super(file + ": " + reason(cause), cause);
    }

    /** The first line of the deepest message, with the line and column when the YAML parser gave them. */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        String first = message.lines().findFirst().orElse("").strip();
        Matcher at = POSITION.matcher(message);
        return at.find() && !first.contains(at.group()) ? first + " (line " + at.group(1) + ", column " + at.group(2) + ")" : first;
    }

    /** The user route problem somewhere in this chain of causes, if any. */
    static Optional<UserRouteException> in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UserRouteException u) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
