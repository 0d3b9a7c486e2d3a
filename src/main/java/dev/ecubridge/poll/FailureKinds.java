package dev.ecubridge.poll;

import dev.ecubridge.protocol.FrameError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Every word {@link PollCycle#kind} can give a failed cycle, so that counters and alerts can rely on all of them. */
public final class FailureKinds {

    public static final List<String> ALL = all();

    private FailureKinds() {
    }

    private static List<String> all() {
        List<String> kinds = new ArrayList<>(List.of("timeout", "reset", "status-01", "status-02", "bad-time",
                "refused", "connect", "unknown-host", "not-a-query", "io-error", "error"));
        for (FrameError.Kind kind : FrameError.Kind.values()) {
            kinds.add(kind.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return List.copyOf(kinds);
    }
}
