package dev.ecubridge.simulator;

import dev.ecubridge.protocol.EcuCommand;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.ReplyEncoder;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The faults that keep a reply well-formed but make its data wrong, as ECUs in the field do. */
final class ImplausibleData {

    /** 13 MWh in the info reply's unit of 0.1 kWh. */
    private static final long SPIKE_TENTHS_KWH = 130_000;
    private static final int NO_VALUE = 0xffff;

    private ImplausibleData() {
    }

    static byte[] realtime(Faults faults, EcuCommand command, RealtimeReply r, byte[] reply) {
        LocalDateTime time = r.timestamp();
        List<InverterReading> inverters = new ArrayList<>(r.inverters());
        boolean changed = false;
        if (time == null || faults.isActive(Fault.BAD_TIME, command)) {
            time = null;
        } else if (faults.isActive(Fault.TIME_FUTURE, command)) {
            time = time.withYear(2099);
        } else if (faults.isActive(Fault.TIME_PAST, command)) {
            time = time.withYear(2001);
        } else if (faults.isActive(Fault.FROZEN_TIME, command)) {
            time = faults.frozen(time);
        } else if (faults.isActive(Fault.TIME_BACKWARDS, command) && refresh(time) % 2 == 1) {
            time = time.minusHours(1);
        }
        changed |= time != r.timestamp();
        if (faults.isActive(Fault.FFFF_FIELDS, command)) {
            for (int i = 0; i < inverters.size(); i++) {
                InverterReading v = inverters.get(i);
                if (v.online()) {
                    inverters.set(i, new InverterReading(v.uid(), true, v.typeCode(), NO_VALUE / 10.0, NO_VALUE - 100,
                            Collections.nCopies(v.powerW().size(), NO_VALUE), Collections.nCopies(v.voltageV().size(), NO_VALUE)));
                    changed = true;
                    break;
                }
            }
        }
        if (faults.isActive(Fault.DUPLICATE_UID, command) && !inverters.isEmpty()) {
            inverters.add(inverters.get(0));
            changed = true;
        }
        if (faults.isActive(Fault.BAD_UID, command) && !inverters.isEmpty()) {
            inverters.set(0, withUid(inverters.get(0), inverters.get(0).uid().substring(0, 11) + "a"));
            changed = true;
        }
        if (faults.isActive(Fault.UID_CHURN, command)) {
            for (int i = 0; i < inverters.size(); i++) {
                inverters.set(i, withUid(inverters.get(i), String.format("99%04d%06d", i, r.timestamp() == null ? 0 : refresh(r.timestamp()) % 1_000_000)));
            }
            changed = true;
        }
        return changed ? ReplyEncoder.realtime(new RealtimeReply(time, inverters)) : reply;
    }

    static byte[] info(Faults faults, EcuCommand command, InfoReply i, byte[] reply) {
        boolean lifetimeZero = faults.isActive(Fault.LIFETIME_ZERO, command);
        boolean todayZero = faults.isActive(Fault.TODAY_ZERO, command);
        boolean spike = faults.isActive(Fault.LIFETIME_SPIKE, command);
        boolean todayAbove = faults.isActive(Fault.TODAY_ABOVE_LIFETIME, command);
        if (!lifetimeZero && !todayZero && !spike && !todayAbove) {
            return reply;
        }
        long lifetime = lifetimeZero ? 0 : i.lifetimeEnergyRaw() + (spike ? SPIKE_TENTHS_KWH : 0);
        // today is in 0.01 kWh, lifetime in 0.1 kWh: 100 kWh above lifetime
        long today = todayZero ? 0 : todayAbove ? lifetime * 10 + 10_000 : i.todayEnergyRaw();
        return ReplyEncoder.info(new InfoReply(i.group(), i.ecuId(), i.variant(), lifetime, i.currentPowerW(), today,
                i.lastEmaContact(), i.invertersRegistered(), i.invertersOnline(), i.zigbeeChannel(), i.firmware(),
                i.timezone(), i.mac1(), i.mac2()));
    }

    /** The number of the ECU refresh (5 minutes) a data time belongs to. */
    private static long refresh(LocalDateTime time) {
        return Math.floorDiv(time.toEpochSecond(ZoneOffset.UTC), 300);
    }

    private static InverterReading withUid(InverterReading r, String uid) {
        return new InverterReading(uid, r.online(), r.typeCode(), r.frequencyHz(), r.temperatureC(), r.powerW(), r.voltageV());
    }
}
