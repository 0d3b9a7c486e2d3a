package dev.ecubridge.protocol;

import java.util.Optional;

/**
 * The read-only queries of the 8899 protocol (spec §2.1). Nothing else exists in this code base:
 * the commands that rewrite an ECU (§2.2) have no constant here, so no request for them can be built.
 */
public enum EcuCommand {
    INFO("0001", "info"),
    REALTIME("0002", "realtime"),
    SIGNAL("0030", "signal"),
    POWER_OF_DAY("0003", "power of day"),
    ENERGY_HISTORY("0004", "energy history");

    private static final EcuCommand[] VALUES = values();

    private final String code;
    private final String label;

    EcuCommand(String code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The 4-digit command number as sent and echoed. */
    public String code() {
        return code;
    }

    /** A short name for messages, e.g. "realtime". */
    public String label() {
        return label;
    }

    /** The command whose 4 ASCII digits stand at {@code offset}, or null. */
    static EcuCommand at(byte[] bytes, int offset) {
        for (EcuCommand c : VALUES) {
            String code = c.code;
            if (bytes[offset] == code.charAt(0) && bytes[offset + 1] == code.charAt(1)
                    && bytes[offset + 2] == code.charAt(2) && bytes[offset + 3] == code.charAt(3)) {
                return c;
            }
        }
        return null;
    }

    public static Optional<EcuCommand> fromCode(String code) {
        for (EcuCommand c : values()) {
            if (c.code.equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
