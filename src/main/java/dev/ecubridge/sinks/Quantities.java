package dev.ecubridge.sinks;

import static dev.ecubridge.sinks.Quantity.Kind.COUNTER;
import static dev.ecubridge.sinks.Quantity.Kind.LIVE;
import static dev.ecubridge.sinks.Quantity.Kind.STATE;
import static dev.ecubridge.sinks.Quantity.Type.BOOLEAN;
import static dev.ecubridge.sinks.Quantity.Type.DECIMAL;
import static dev.ecubridge.sinks.Quantity.Type.INTEGER;

import dev.ecubridge.snapshot.InverterSnapshot;
import dev.ecubridge.snapshot.InverterSnapshot.Channel;
import dev.ecubridge.snapshot.Snapshot;
import dev.ecubridge.meter.MeterReading;
import dev.ecubridge.meter.Phases;
import dev.ecubridge.sinks.Quantity.Ha;
import dev.ecubridge.sinks.Quantity.Level;
import dev.ecubridge.sinks.Quantity.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every published quantity, once: the JSON lines and states, the InfluxDB fields, the MQTT topics and the Home
 * Assistant entities are all read from these tables (as {@code protocol/InverterLayouts} is for record layouts). A new
 * quantity is one entry here and its accessor on {@link Snapshot}, {@link InverterSnapshot}, {@link Channel} or
 * {@link MeterReading}.
 * <p>
 * Prometheus names (the gauges of {@code metrics/SolarMetrics}, exactly as scraped) follow Prometheus' conventions as
 * {@code promtool check metrics} checks them, with the unit last; energy is in {@code _kwh}, like every other sink and
 * solar exporter ({@code _kilowatt_hours} is refused: promtool wants seconds for "hours", and joules would be base
 * units nobody reads for solar energy).
 */
public final class Quantities {

    public static final List<Quantity<Snapshot>> ECU = List.of(
            live(Level.ECU, "power_w", "Power", "W", INTEGER, Snapshot::powerW, "power", "power")
                    .metric("ecubridge_ecu_power_watts", "Current power of the ECU's online inverters, as the ECU reports it."),
            counter(Level.ECU, "today_kwh", "Energy today", Snapshot::todayKwh, "today")
                    .metric("ecubridge_ecu_energy_today_kwh", "Energy since local midnight, as the ECU reports it."),
            counter(Level.ECU, "lifetime_kwh", "Lifetime energy", Snapshot::lifetimeKwh, "lifetime")
                    .metric("ecubridge_ecu_energy_lifetime_kwh", "Lifetime energy, as the ECU reports it."),
            state(Level.ECU, "inverters", "Inverters", INTEGER, Snapshot::inverterCount)
                    .metric("ecubridge_ecu_inverters", "Inverters in the ECU's last realtime reply."),
            state(Level.ECU, "inverters_online", "Inverters online", INTEGER, Snapshot::invertersOnline)
                    .withHa(new Ha("inverters_online", "sensor", null, "measurement", "diagnostic", null, false))
                    .metric("ecubridge_ecu_inverters_online", "Inverters that reported in the ECU's last refresh."));

    public static final List<Quantity<InverterSnapshot>> INVERTER = List.of(
            state(Level.INVERTER, "online", "Online", BOOLEAN, InverterSnapshot::online)
                    .withHa(new Ha("online", "binary_sensor", "connectivity", null, "diagnostic",
                            "{{ 'ON' if value_json.online else 'OFF' }}", false))
                    .metric("ecubridge_inverter_online", "1 while the inverter reports to its ECU, else 0."),
            live(Level.INVERTER, "power_w", "Power", "W", INTEGER, InverterSnapshot::powerW, "power", "power")
                    .zeroAtNight().notInInflux()
                    .metric("ecubridge_inverter_power_watts", "Power of the inverter, the sum of its channels."),
            live(Level.INVERTER, "frequency_hz", "Grid frequency", "Hz", DECIMAL, InverterSnapshot::frequencyHz, "frequency", "frequency")
                    .diagnostic()
                    .metric("ecubridge_inverter_grid_frequency_hertz", "Grid frequency the inverter measures."),
            live(Level.INVERTER, "temperature_c", "Temperature", "°C", INTEGER, InverterSnapshot::temperatureC, "temperature", "temperature")
                    .diagnostic()
                    .metric("ecubridge_inverter_temperature_celsius", "Temperature of the inverter."),
            live(Level.INVERTER, "signal", "ZigBee signal level", null, INTEGER, InverterSnapshot::signal, null, null)
                    .metric("ecubridge_inverter_signal", "ZigBee signal level between the ECU and the inverter, 0-255."),
            live(Level.INVERTER, "signal_percent", "ZigBee signal", "%", INTEGER, InverterSnapshot::signalPercent, "signal", null)
                    .diagnostic().noTopic().notInInflux(),
            counter(Level.INVERTER, "today_kwh", "Energy today", InverterSnapshot::todayKwh, "today")
                    .metric("ecubridge_inverter_energy_today_kwh", "Energy of the inverter since local midnight, integrated by the bridge."),
            counter(Level.INVERTER, "lifetime_kwh", "Lifetime energy", InverterSnapshot::lifetimeKwh, "lifetime")
                    .metric("ecubridge_inverter_energy_lifetime_kwh", "Energy of the inverter since the bridge first saw it."));

    public static final List<Quantity<Channel>> CHANNEL = List.of(
            live(Level.CHANNEL, "power_w", "Power", "W", INTEGER, Channel::powerW, "power", "power")
                    .zeroAtNight()
                    .metric("ecubridge_channel_power_watts", "DC input power of one channel (panel) of an inverter."),
            live(Level.CHANNEL, "voltage_v", "AC voltage", "V", INTEGER, Channel::voltageV, "voltage", "voltage")
                    .diagnostic().onlyWhere(Channel::pairsVoltage)
                    .metric("ecubridge_channel_ac_voltage_volts", "AC voltage the inverter's record pairs with the channel (a phase on three-phase inverters)."),
            counter(Level.CHANNEL, "today_kwh", "Energy today", Channel::todayKwh, "today")
                    .metric("ecubridge_channel_energy_today_kwh", "Energy of one channel since local midnight, integrated by the bridge."),
            counter(Level.CHANNEL, "lifetime_kwh", "Lifetime energy", Channel::lifetimeKwh, "lifetime")
                    .metric("ecubridge_channel_energy_lifetime_kwh", "Energy of one channel since the bridge first saw it."));

    /**
     * An ECU-C's grid meter (CT clamps), per point of its 5-minute series: power in total and per phase, and the
     * energies the bridge integrates from it; grid import and export are Home Assistant's Energy-dashboard grid sensors.
     */
    public static final List<Quantity<MeterReading>> METER = meter();

    private Quantities() {
    }

    private static List<Quantity<MeterReading>> meter() {
        List<Quantity<MeterReading>> q = new ArrayList<>();
        phases(q, "production", "Production", MeterReading::production);
        phases(q, "grid", "Grid power", MeterReading::grid);
        phases(q, "consumption", "Consumption", MeterReading::consumption);
        q.add(counter(Level.METER, "grid_import_today_kwh", "Grid import today", r -> r.energies().gridImportTodayKwh(), "grid_import_today"));
        q.add(counter(Level.METER, "grid_import_lifetime_kwh", "Grid import", r -> r.energies().gridImportLifetimeKwh(), "grid_import"));
        q.add(counter(Level.METER, "grid_export_today_kwh", "Grid export today", r -> r.energies().gridExportTodayKwh(), "grid_export_today"));
        q.add(counter(Level.METER, "grid_export_lifetime_kwh", "Grid export", r -> r.energies().gridExportLifetimeKwh(), "grid_export"));
        q.add(counter(Level.METER, "consumption_today_kwh", "Consumption today", r -> r.energies().consumptionTodayKwh(), "consumption_today"));
        q.add(counter(Level.METER, "consumption_lifetime_kwh", "Consumption energy", r -> r.energies().consumptionLifetimeKwh(), "consumption_energy"));
        q.add(counter(Level.METER, "production_today_kwh", "Production today", r -> r.energies().productionTodayKwh(), "production_today"));
        q.add(counter(Level.METER, "production_lifetime_kwh", "Production energy", r -> r.energies().productionLifetimeKwh(), "production_energy"));
        return List.copyOf(q);
    }

    /** {@code <what>_w} in total and {@code <what>_a_w}, {@code _b_w}, {@code _c_w} per phase. */
    private static void phases(List<Quantity<MeterReading>> q, String what, String name, Function<MeterReading, Phases> of) {
        q.add(live(Level.METER, what + "_w", name, "W", INTEGER, r -> of.apply(r).sum(), what, "power"));
        q.add(live(Level.METER, what + "_a_w", name + " phase A", "W", INTEGER, r -> of.apply(r).a(), what + "_a", "power"));
        q.add(live(Level.METER, what + "_b_w", name + " phase B", "W", INTEGER, r -> of.apply(r).b(), what + "_b", "power"));
        q.add(live(Level.METER, what + "_c_w", name + " phase C", "W", INTEGER, r -> of.apply(r).c(), what + "_c", "power"));
    }

    /** Every quantity of every level, in table order (for documentation and metrics). */
    public static List<Quantity<?>> all() {
        List<Quantity<?>> all = new ArrayList<>(ECU);
        all.addAll(INVERTER);
        all.addAll(CHANNEL);
        all.addAll(METER);
        return all;
    }

    /** A measurement of now; {@code haId} null: not announced to Home Assistant. */
    private static <S> Quantity<S> live(Level level, String key, String name, String unit, Type type, Function<S, ?> value,
                                        String haId, String deviceClass) {
        Ha ha = haId == null ? null : new Ha(haId, "sensor", deviceClass, "measurement", null, null, false);
        return new Quantity<>(key, level, name, unit, type, LIVE, value, s -> true, ha, true, true, null, null);
    }

    /** An energy counter in kWh, for Home Assistant's Energy dashboard. */
    private static <S> Quantity<S> counter(Level level, String key, String name, Function<S, ?> value, String haId) {
        return new Quantity<>(key, level, name, "kWh", DECIMAL, COUNTER, value, s -> true,
                new Ha(haId, "sensor", "energy", "total_increasing", null, null, false), true, true, null, null);
    }

    private static <S> Quantity<S> state(Level level, String key, String name, Type type, Function<S, ?> value) {
        return new Quantity<>(key, level, name, null, type, STATE, value, s -> true, null, true, true, null, null);
    }
}
