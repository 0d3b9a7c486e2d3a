package dev.ecubridge.protocol;

import java.util.List;

/**
 * The byte layout of one inverter record type in a realtime reply. The common head (uid, online flag, type code)
 * is the same for every type; {@code fields} are what follows it.
 *
 * @param typeCode   the 2-character ASCII type at record offset 7
 * @param recordSize bytes the record occupies
 * @param models     which inverters send it, for documentation and messages
 */
public record InverterLayout(String typeCode, int recordSize, String models, List<Field> fields) {

    /** Record offsets of the common head. */
    public static final int UID = 0;
    public static final int UID_SIZE = 6;
    public static final int ONLINE = 6;
    public static final int TYPE = 7;
    public static final int HEAD_SIZE = 9;

    public InverterLayout {
        fields = List.copyOf(fields);
        for (Field f : fields) {
            if (f.offset() < HEAD_SIZE || f.offset() + f.size() > recordSize) {
                throw new IllegalArgumentException("type " + typeCode + ": " + f + " lies outside the " + recordSize + "-byte record");
            }
        }
    }

    public enum Quantity { FREQUENCY_HZ, TEMPERATURE_C, POWER_W, VOLTAGE_V }

    /**
     * One value in a record: {@code value = (raw + bias) / divisor}.
     *
     * @param index channel (power) or phase (voltage) number, 1-based; 0 for per-inverter values
     */
    public record Field(Quantity quantity, int index, int offset, int size, int divisor, int bias) {
    }

    public long countOf(Quantity quantity) {
        return fields.stream().filter(f -> f.quantity() == quantity).count();
    }
}
