package dev.ecubridge.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The byte layout of one inverter record type in a realtime reply: a table entry of {@link InverterLayouts}. The
 * common head (uid, online flag, type code) is the same for every type; {@link #fields()} are what follows it.
 * Immutable; the per-quantity views are derived once when the table is built.
 */
public final class InverterLayout {

    /** Record offsets of the common head. */
    public static final int UID = 0;
    public static final int UID_SIZE = 6;
    public static final int ONLINE = 6;
    public static final int TYPE = 7;
    public static final int HEAD_SIZE = 9;

    public enum Quantity { FREQUENCY_HZ, TEMPERATURE_C, POWER_W, VOLTAGE_V }

    /**
     * One value in a record: {@code value = (raw + bias) / divisor}.
     *
     * @param index channel (power) or phase (voltage) number, 1-based; 0 for per-inverter values
     */
    public record Field(Quantity quantity, int index, int offset, int size, int divisor, int bias) {
    }

    private final String typeCode;
    private final int recordSize;
    private final String models;
    private final List<Field> fields;
    private final Field frequency;
    private final Field temperature;
    private final List<Field> power;
    private final List<Field> voltage;

    /**
     * @param typeCode   the 2-character ASCII type at record offset 7
     * @param recordSize bytes the record occupies
     * @param models     which inverters send it, for documentation and messages
     */
    public InverterLayout(String typeCode, int recordSize, String models, List<Field> fields) {
        this.typeCode = typeCode;
        this.recordSize = recordSize;
        this.models = models;
        this.fields = List.copyOf(fields);
        for (Field f : this.fields) {
            if (f.offset() < HEAD_SIZE || f.offset() + f.size() > recordSize || f.size() < 1 || f.size() > 4) {
                throw new IllegalArgumentException("type " + typeCode + ": " + f + " lies outside the " + recordSize + "-byte record");
            }
        }
        this.frequency = single(Quantity.FREQUENCY_HZ);
        this.temperature = single(Quantity.TEMPERATURE_C);
        this.power = numbered(Quantity.POWER_W);
        this.voltage = numbered(Quantity.VOLTAGE_V);
    }

    public String typeCode() {
        return typeCode;
    }

    public int recordSize() {
        return recordSize;
    }

    public String models() {
        return models;
    }

    public List<Field> fields() {
        return fields;
    }

    /** Number of power channels. */
    public int channels() {
        return power.size();
    }

    /** Number of AC voltages (phases). */
    public int phases() {
        return voltage.size();
    }

    /** The frequency field, null for layouts without telemetry (type 00). */
    Field frequency() {
        return frequency;
    }

    Field temperature() {
        return temperature;
    }

    /** Power fields by channel: element 0 is channel 1. */
    List<Field> power() {
        return power;
    }

    /** Voltage fields by phase. */
    List<Field> voltage() {
        return voltage;
    }

    private Field single(Quantity quantity) {
        List<Field> found = of(quantity);
        if (found.size() > 1) {
            throw new IllegalArgumentException("type " + typeCode + " has " + found.size() + " " + quantity + " fields");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private List<Field> numbered(Quantity quantity) {
        List<Field> found = new ArrayList<>(of(quantity));
        found.sort(Comparator.comparingInt(Field::index));
        for (int i = 0; i < found.size(); i++) {
            if (found.get(i).index() != i + 1) {
                throw new IllegalArgumentException("type " + typeCode + ": " + quantity + " fields are not numbered 1.." + found.size());
            }
        }
        return List.copyOf(found);
    }

    private List<Field> of(Quantity quantity) {
        List<Field> found = new ArrayList<>();
        for (Field f : fields) {
            if (f.quantity() == quantity) {
                found.add(f);
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return "type " + typeCode + " (" + recordSize + " bytes, " + models + ")";
    }
}
