package dev.ecubridge.simulator;

import java.util.Locale;

/** How each ECU model answers (spec §4, §5.3): id prefix, info group, firmware, claimed zone, night values. */
public enum EcuKind {
    ECU_R("ECU-R", "2160", "11", "ECU_R_1.3.10", true, 100),
    ECU_B("ECU-B", "2163", "11", "ECU_B_1.2.33", true, 100),
    ECU_R_PRO("ECU-R-Pro", "2162", "12", "ECU_R_PRO_2.1.29A", false, 0),
    ECU_C("ECU-C", "2150", "12", "ECU-C-Z_C1.2.24D", false, 0);

    private final String displayName;
    private final String idPrefix;
    private final String infoGroup;
    private final String firmware;
    private final boolean claimsGmtMinus8;
    private final int offlineTemperatureRaw;

    EcuKind(String displayName, String idPrefix, String infoGroup, String firmware, boolean claimsGmtMinus8,
            int offlineTemperatureRaw) {
        this.displayName = displayName;
        this.idPrefix = idPrefix;
        this.infoGroup = infoGroup;
        this.firmware = firmware;
        this.claimsGmtMinus8 = claimsGmtMinus8;
        this.offlineTemperatureRaw = offlineTemperatureRaw;
    }

    public String displayName() {
        return displayName;
    }

    public String idPrefix() {
        return idPrefix;
    }

    /** "11" for ECU-R/B; "12" for ECU-R-Pro/ECU-C, whose info reply carries a real EMA time and 12 extra bytes. */
    public String infoGroup() {
        return infoGroup;
    }

    public String defaultFirmware() {
        return firmware;
    }

    /** ECU-R and ECU-B report {@code Etc/GMT-8} whatever their location. */
    public String claimedZone(String realZone) {
        return claimsGmtMinus8 ? "Etc/GMT-8" : realZone;
    }

    /** Raw temperature of an offline inverter: 100 (0 °C) on ECU-R/B, 0 (-100 °C) on ECU-C/R-Pro. */
    public int offlineTemperatureRaw() {
        return offlineTemperatureRaw;
    }

    /** Data time stamps fall on 5-minute marks on ECU-R-Pro/ECU-C; ECU-R/B poll at their own phase. */
    public boolean onFiveMinuteMarks() {
        return !claimsGmtMinus8;
    }

    public static EcuKind parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (EcuKind k : values()) {
            if (k.name().equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown ECU model '" + name + "' (ECU-R, ECU-B, ECU-R-Pro, ECU-C)");
    }
}
