package dev.ecubridge.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The ways a simulated ECU-C's meter page misbehaves, as real ones do (issues #122, #131, #157). */
public enum MeterFault {
    /** HTTP 404: firmware without the page, or for weeks after some updates. */
    NOT_FOUND,
    /** Both series empty, as in the first minutes after midnight. */
    EMPTY_SERIES,
    /** The text "No Data" instead of JSON (firmware C1.2.26). */
    NO_DATA,
    /** JSON cut in the middle. */
    MALFORMED,
    /** The answer only after 30 seconds. */
    SLOW;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static MeterFault parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public static String names() {
        return Arrays.stream(values()).map(MeterFault::cliName).collect(Collectors.joining(", "));
    }
}
