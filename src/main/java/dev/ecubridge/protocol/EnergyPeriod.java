package dev.ecubridge.protocol;

import java.util.Optional;

/** The period parameter of the {@code 0004} energy history query. */
public enum EnergyPeriod {
    WEEK("00"),
    MONTH("01"),
    YEAR("02");

    private final String code;

    EnergyPeriod(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<EnergyPeriod> fromCode(String code) {
        for (EnergyPeriod p : values()) {
            if (p.code.equals(code)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
