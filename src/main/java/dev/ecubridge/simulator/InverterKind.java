package dev.ecubridge.simulator;

import java.util.Locale;

/**
 * Simulated inverter models: uid prefix, realtime type code, channels and their rating, AC connection.
 * Ratings are per channel (one PV panel each).
 */
public enum InverterKind {
    YC600("408", "01", 2, 300, 1, false),
    YC1000("502", "02", 4, 250, 3, false),
    DS3("703", "01", 2, 440, 1, false),
    DS3_S("702", "01", 2, 320, 1, false),
    DS3_D("707", "04", 2, 440, 1, false),
    DS3_H("705", "05", 2, 480, 1, false),
    QS1("802", "03", 4, 300, 1, false),
    QT2("901", "02", 4, 500, 3, true),
    /** QT2 reporting with the disputed type code 05 (27-byte records). */
    QT2_05("902", "05", 4, 500, 3, true),
    /** Registered but never reported: a 9-byte type 00 record. */
    UNREPORTED("704", "00", 0, 0, 0, false);

    private final String uidPrefix;
    private final String typeCode;
    private final int channels;
    private final int wattsPerChannel;
    private final int phases;
    private final boolean lineToLine;

    InverterKind(String uidPrefix, String typeCode, int channels, int wattsPerChannel, int phases, boolean lineToLine) {
        this.uidPrefix = uidPrefix;
        this.typeCode = typeCode;
        this.channels = channels;
        this.wattsPerChannel = wattsPerChannel;
        this.phases = phases;
        this.lineToLine = lineToLine;
    }

    public String uidPrefix() {
        return uidPrefix;
    }

    public String typeCode() {
        return typeCode;
    }

    public int channels() {
        return channels;
    }

    public int wattsPerChannel() {
        return wattsPerChannel;
    }

    /** AC voltages in the record: 2 (same value twice) for 2-channel single phase, 1 for QS1, 3 for three-phase. */
    public int voltages() {
        if (phases == 3) {
            return 3;
        }
        return channels == 2 ? 2 : channels == 0 ? 0 : 1;
    }

    /** QT2 reports line-to-line voltages (≈400 V); YC1000 phase-to-neutral (≈230 V). */
    public boolean lineToLine() {
        return lineToLine;
    }

    public boolean reports() {
        return channels > 0;
    }

    public static InverterKind parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace('/', '_');
        for (InverterKind k : values()) {
            if (k.name().equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown inverter model '" + name + "' (one of " + names() + ")");
    }

    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (InverterKind k : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(k.name().replace('_', '-'));
        }
        return sb.toString();
    }
}
