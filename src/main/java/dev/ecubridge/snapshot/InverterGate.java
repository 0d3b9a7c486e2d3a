package dev.ecubridge.snapshot;

import static dev.ecubridge.protocol.InverterLayout.Quantity.FREQUENCY_HZ;
import static dev.ecubridge.protocol.InverterLayout.Quantity.POWER_W;
import static dev.ecubridge.protocol.InverterLayout.Quantity.TEMPERATURE_C;
import static dev.ecubridge.protocol.InverterLayout.Quantity.VOLTAGE_V;

import dev.ecubridge.gate.LogLimiter;
import dev.ecubridge.gate.ValueRanges;
import dev.ecubridge.protocol.InverterLayout.Quantity;
import dev.ecubridge.protocol.InverterRatings;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.Models;
import dev.ecubridge.protocol.SignalReply;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inverters of one reply as they may be published: uids that are not 12 decimal digits, or that the reply
 * repeats, are dropped; offline inverters carry no numbers (the ECU repeats their stale ones); a value outside its
 * physical range ({@link ValueRanges}) is "no data" and counted ({@code ecubridge.values.rejected{quantity}}). The
 * channels' energy is integrated here ({@link EnergyMeter}) from the power that passed.
 */
final class InverterGate {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotAssembler.class);

    private final MeterRegistry meters;
    private final LogLimiter logLimiter;
    private final double margin;
    private final Night night;

    InverterGate(MeterRegistry meters, LogLimiter logLimiter, double margin, Night night) {
        this.meters = meters;
        this.logLimiter = logLimiter;
        this.margin = margin;
        this.night = night;
    }

    /** The readings to publish: each uid once, 12 decimal digits. */
    List<InverterReading> accepted(EcuHistory h, String ecuId, List<InverterReading> readings) {
        List<InverterReading> out = new ArrayList<>(readings.size());
        Set<String> seen = new HashSet<>();
        for (InverterReading r : readings) {
            if (!isDecimalUid(r.uid())) {
                drop(h, ecuId, r.uid(), "bad-uid", "is not 12 decimal digits");
            } else if (!seen.add(r.uid())) {
                drop(h, ecuId, r.uid(), "duplicate-uid", "appears twice in one reply");
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** The inverter as published, with its channels' energy booked up to {@code time}. */
    InverterSnapshot snapshot(EcuHistory h, String ecuId, ZonedDateTime time, InverterReading r, Integer signal) {
        if (Models.UNKNOWN.equals(r.model()) && h.reported.firstTime("model " + r.uid()) && logLimiter.allow(ecuId + " unknown-model")) {
            LOG.warn("ECU {}: inverter {} has an unknown model (type code {}); its data is published as decoded. "
                    + "Please report it with the raw frame saved in the captures folder.", ecuId, r.uid(), r.typeCode());
        }
        boolean on = r.online();
        InverterRatings.Rating rating = InverterRatings.of(r.model());
        List<Integer> volts = new ArrayList<>(r.voltageV().size());
        for (Integer v : r.voltageV()) {
            volts.add(on ? checked(ecuId, r, VOLTAGE_V, v, rating) : null);
        }
        Integer offlinePower = night == Night.ZERO ? 0 : null;
        List<Integer> watts = new ArrayList<>(r.powerW().size());
        List<Integer> booked = new ArrayList<>(r.powerW().size());
        for (Integer p : r.powerW()) {
            Integer w = on ? checked(ecuId, r, POWER_W, p, rating) : offlinePower;
            watts.add(w);
            booked.add(on ? w : Integer.valueOf(0)); // offline produces nothing; a rejected value books nothing
        }
        EnergyMeter.Totals energy = h.energy.add(r.uid(), time, booked);
        List<InverterSnapshot.Channel> channels = new ArrayList<>(watts.size());
        for (int c = 0; c < watts.size(); c++) {
            channels.add(new InverterSnapshot.Channel(c + 1, watts.get(c), on ? channelVoltage(volts, c) : null,
                    channelVoltage(r.voltageV(), c) != null, energy.todayKwh()[c], energy.lifetimeKwh()[c]));
        }
        Double frequency = on ? checked(ecuId, r, FREQUENCY_HZ, r.frequencyHz(), rating) : null;
        Integer temperature = on ? checked(ecuId, r, TEMPERATURE_C, r.temperatureC(), rating) : null;
        return new InverterSnapshot(ecuId, time.toInstant(), r.uid(), r.model(), r.typeCode(), on, frequency, temperature,
                on ? signal : null, channels);
    }

    /** What the inverters can deliver, in W: their channels at their rating; ECUs that report none count as registered. */
    static double capacityW(List<InverterReading> readings, int registered) {
        double watts = 0;
        for (InverterReading r : readings) {
            watts += (double) InverterRatings.of(r.model()).channelWatts() * r.powerW().size();
        }
        int unreported = registered - readings.size();
        if (unreported > 0) {
            watts += unreported * 4.0 * InverterRatings.UNKNOWN.channelWatts();
        }
        return watts;
    }

    private <T extends Number> T checked(String ecuId, InverterReading r, Quantity quantity, T value, InverterRatings.Rating rating) {
        if (value == null) {
            return null;
        }
        ValueRanges.Range range = ValueRanges.of(quantity, rating, margin);
        if (range.contains(value.doubleValue())) {
            return value;
        }
        String label = ValueRanges.label(quantity);
        meters.counter("ecubridge.values.rejected", "ecu_id", ecuId, "quantity", label).increment();
        if (logLimiter.allow(ecuId + " value " + label)) {
            LOG.warn("ECU {}: inverter {} reports {} {}, outside {}..{}; published as no data (the frame is in the captures; "
                    + "further ones this hour are only counted)", ecuId, r.uid(), label, value, range.min(), range.max());
        }
        return null;
    }

    private void drop(EcuHistory h, String ecuId, String uid, String reason, String why) {
        meters.counter("ecubridge.inverters.dropped", "ecu_id", ecuId, "reason", reason).increment();
        if (h.reported.firstTime(reason + " " + uid) && logLimiter.allow(ecuId + " " + reason)) {
            LOG.warn("ECU {}: inverter uid {} {}; its record is dropped (further ones this hour are only counted)", ecuId, uid, why);
        }
    }

    /** Records pair voltages with channels (P1 V1 P2 V2 ...); a single AC voltage applies to every channel. */
    private static Integer channelVoltage(List<Integer> volts, int channel) {
        if (channel < volts.size()) {
            return volts.get(channel);
        }
        return volts.size() == 1 ? volts.get(0) : null;
    }

    static boolean isDecimalUid(String uid) {
        if (uid == null || uid.length() != 12) {
            return false;
        }
        for (int i = 0; i < uid.length(); i++) {
            if (uid.charAt(i) < '0' || uid.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Signal levels by uid. */
    static Map<String, Integer> signals(SignalReply signal) {
        Map<String, Integer> out = new HashMap<>();
        if (signal != null) {
            signal.inverters().forEach(e -> out.put(e.uid(), e.signal()));
        }
        return out;
    }
}
