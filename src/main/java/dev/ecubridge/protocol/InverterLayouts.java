package dev.ecubridge.protocol;

import static dev.ecubridge.protocol.InverterLayout.Quantity.FREQUENCY_HZ;
import static dev.ecubridge.protocol.InverterLayout.Quantity.POWER_W;
import static dev.ecubridge.protocol.InverterLayout.Quantity.TEMPERATURE_C;
import static dev.ecubridge.protocol.InverterLayout.Quantity.VOLTAGE_V;

import dev.ecubridge.protocol.InverterLayout.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record layouts of the realtime reply, one table entry per type code (spec §5.2). A new inverter type is a new
 * entry here. A type code may have several candidate layouts while the sources disagree (type 05); the decoder picks
 * the one that makes the records fill the frame exactly.
 */
public final class InverterLayouts {

    private static final Field FREQUENCY = new Field(FREQUENCY_HZ, 0, 9, 2, 10, 0);
    private static final Field TEMPERATURE = new Field(TEMPERATURE_C, 0, 11, 2, 1, -100);

    /** 2 channels, single phase: P1 V1 P2 V2 (both V the same AC voltage). */
    private static final List<Field> TWO_CHANNELS = List.of(FREQUENCY, TEMPERATURE,
            power(1, 13), voltage(1, 15), power(2, 17), voltage(2, 19));

    /** 4 channels, three phases: P1 V1 P2 V2 P3 V3 P4. */
    private static final List<Field> FOUR_CHANNELS_THREE_PHASE = List.of(FREQUENCY, TEMPERATURE,
            power(1, 13), voltage(1, 15), power(2, 17), voltage(2, 19), power(3, 21), voltage(3, 23), power(4, 25));

    /** 4 channels, single phase: P1 V P2 P3 P4. */
    private static final List<Field> FOUR_CHANNELS_ONE_PHASE = List.of(FREQUENCY, TEMPERATURE,
            power(1, 13), voltage(1, 15), power(2, 17), power(3, 19), power(4, 21));

    private static final List<InverterLayout> TABLE = List.of(
            new InverterLayout("00", 9, "registered, never reported", List.of()),
            new InverterLayout("01", 21, "YC600, DS3 family", TWO_CHANNELS),
            new InverterLayout("02", 27, "YC1000, QT2", FOUR_CHANNELS_THREE_PHASE),
            new InverterLayout("03", 23, "QS1, QS1A", FOUR_CHANNELS_ONE_PHASE),
            new InverterLayout("04", 21, "DS3-D, DS3D-L", TWO_CHANNELS),
            // Disputed: DS3-H with 21 bytes (ksheumaker 2023) or QT2 with 27 bytes (HAEdwin 2025).
            new InverterLayout("05", 21, "DS3-H", TWO_CHANNELS),
            new InverterLayout("05", 27, "QT2", FOUR_CHANNELS_THREE_PHASE));

    private static final Map<String, List<InverterLayout>> BY_TYPE = index(TABLE);
    /** The same index by the code's two ASCII digits as a number 0..99: the decoder's hot path, no String needed. */
    private static final List<?>[] BY_DIGITS = digitIndex(BY_TYPE);

    private InverterLayouts() {
    }

    /** The candidate layouts for a type code; empty when the code is unknown. */
    public static List<InverterLayout> forType(String typeCode) {
        return BY_TYPE.getOrDefault(typeCode, List.of());
    }

    /** The candidate layouts for the type code in bytes {@code hi lo}; empty when unknown or not two digits. */
    @SuppressWarnings("unchecked")
    static List<InverterLayout> forType(byte hi, byte lo) {
        if (hi < '0' || hi > '9' || lo < '0' || lo > '9') {
            return List.of();
        }
        List<?> layouts = BY_DIGITS[(hi - '0') * 10 + (lo - '0')];
        return layouts == null ? List.of() : (List<InverterLayout>) layouts;
    }

    public static List<InverterLayout> all() {
        return TABLE;
    }

    private static Field power(int channel, int offset) {
        return new Field(POWER_W, channel, offset, 2, 1, 0);
    }

    private static Field voltage(int phase, int offset) {
        return new Field(VOLTAGE_V, phase, offset, 2, 1, 0);
    }

    private static List<?>[] digitIndex(Map<String, List<InverterLayout>> byType) {
        List<?>[] index = new List<?>[100];
        byType.forEach((code, layouts) -> {
            if (code.chars().allMatch(Character::isDigit)) {
                index[Integer.parseInt(code)] = layouts;
            }
        });
        return index;
    }

    private static Map<String, List<InverterLayout>> index(List<InverterLayout> table) {
        Map<String, List<InverterLayout>> map = new LinkedHashMap<>();
        for (InverterLayout layout : table) {
            map.computeIfAbsent(layout.typeCode(), k -> new ArrayList<>()).add(layout);
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        return Map.copyOf(map);
    }
}
