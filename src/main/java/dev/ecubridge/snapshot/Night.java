package dev.ecubridge.snapshot;

import java.util.Locale;

/** What an offline inverter publishes ({@code ecubridge.night}): no measurements at all, or 0 W and nothing else. */
public enum Night {
    UNAVAILABLE, ZERO;

    /** @return null for a word that is neither */
    public static Night of(String word) {
        for (Night n : values()) {
            if (n.name().toLowerCase(Locale.ROOT).equals(word.trim().toLowerCase(Locale.ROOT))) {
                return n;
            }
        }
        return null;
    }
}
