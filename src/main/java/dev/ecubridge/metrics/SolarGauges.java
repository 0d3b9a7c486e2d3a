package dev.ecubridge.metrics;

import dev.ecubridge.conversion.InverterSnapshot;
import dev.ecubridge.conversion.Snapshot;
import java.util.List;
import java.util.function.Function;

/**
 * The solar data in Prometheus: one row per gauge, with its HELP text, its unit (which Micrometer appends to the
 * name: {@code ecubridge.ecu.power} + watts = {@code ecubridge_ecu_power_watts}), its level (the record a value is
 * read from, which also fixes its labels) and how the value is read. A null value is "no data": the series is absent.
 * <p>
 * Per-inverter and per-channel energy (today, lifetime) belong here once {@link InverterSnapshot} carries them; this
 * table is meant to be read from the shared description of published quantities when there is one.
 */
public final class SolarGauges {

    /** One gauge; {@code level} is Snapshot, InverterSnapshot or InverterSnapshot.Channel. */
    public record Row<T>(String name, String help, String unit, Class<T> level, Function<T, Number> value) {
    }

    public static final List<Row<?>> ROWS = List.of(
            ecu("ecubridge.ecu.power", "watts", "Current AC power of all inverters of the ECU", Snapshot::powerW),
            ecu("ecubridge.ecu.energy.today", "kwh", "Energy produced today (local day of ecubridge.zone)",
                    Snapshot::todayKwh),
            ecu("ecubridge.ecu.energy.lifetime", "kwh", "Energy produced since the ECU was installed",
                    Snapshot::lifetimeKwh),
            ecu("ecubridge.ecu.last.data.time", "seconds",
                    "The ECU's data time stamp of the last published snapshot, in unix seconds; alert on time() minus this",
                    s -> s.time().getEpochSecond()),
            ecu("ecubridge.ecu.inverters", null, "Inverters the ECU reports", Snapshot::inverterCount),
            ecu("ecubridge.ecu.inverters.online", null, "Inverters the ECU reports online", Snapshot::invertersOnline),
            inverter("ecubridge.inverter.online", null, "1 while the inverter reports to the ECU, else 0",
                    i -> i.online() ? 1 : 0),
            inverter("ecubridge.inverter.power", "watts", "AC power of the inverter (sum of its channels)",
                    InverterSnapshot::powerW),
            inverter("ecubridge.inverter.grid.frequency", "hertz", "Grid frequency the inverter measures",
                    InverterSnapshot::frequencyHz),
            inverter("ecubridge.inverter.temperature", "celsius", "Temperature of the inverter",
                    InverterSnapshot::temperatureC),
            inverter("ecubridge.inverter.signal", null, "ZigBee signal level between ECU and inverter, 0 to 255",
                    InverterSnapshot::signal),
            channel("ecubridge.channel.power", "watts", "Power of one channel (panel input) of an inverter",
                    InverterSnapshot.Channel::powerW),
            channel("ecubridge.channel.ac.voltage", "volts",
                    "AC voltage the inverter pairs with this channel (line to line on three-phase QT2)",
                    InverterSnapshot.Channel::voltageV));

    private SolarGauges() {
    }

    /** The rows read from records of this level. */
    @SuppressWarnings("unchecked")
    public static <T> List<Row<T>> of(Class<T> level) {
        return ROWS.stream().filter(r -> r.level() == level).map(r -> (Row<T>) r).toList();
    }

    private static Row<Snapshot> ecu(String name, String unit, String help, Function<Snapshot, Number> value) {
        return new Row<>(name, help, unit, Snapshot.class, value);
    }

    private static Row<InverterSnapshot> inverter(String name, String unit, String help,
                                                  Function<InverterSnapshot, Number> value) {
        return new Row<>(name, help, unit, InverterSnapshot.class, value);
    }

    private static Row<InverterSnapshot.Channel> channel(String name, String unit, String help,
                                                         Function<InverterSnapshot.Channel, Number> value) {
        return new Row<>(name, help, unit, InverterSnapshot.Channel.class, value);
    }
}
