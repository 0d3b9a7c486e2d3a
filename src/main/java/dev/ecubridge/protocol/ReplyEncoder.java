package dev.ecubridge.protocol;

import dev.ecubridge.protocol.InverterLayout.Field;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.HexFormat;


/**
 * Writes replies exactly as an ECU does: the inverse of {@link ReplyDecoder}, driven by the same layout table.
 * Used by the simulator, and by tests to build frames the captures do not cover.
 */
public final class ReplyEncoder {

    private ReplyEncoder() {
    }

    /** Info reply in group "11" (ECU-R, ECU-B) or "12" (ECU-R-Pro, ECU-C: real EMA time and 12 extra bytes). */
    public static byte[] info(InfoReply r) {
        Body b = new Body(r.group(), EcuCommand.INFO);
        b.ascii(r.ecuId()).ascii(r.variant()).u32(r.lifetimeEnergyRaw()).u32(r.currentPowerW()).u32(r.todayEnergyRaw());
        if ("02".equals(r.variant())) {
            b.u16(r.invertersRegistered()).u16(r.invertersOnline()).ascii("000").ascii(r.zigbeeChannel()).u8(0)
                    .ascii(String.format("%03d", r.firmware().length())).ascii(r.firmware());
            return b.end();
        }
        b.bcdDateTime(r.lastEmaContact()).u16(r.invertersRegistered()).u16(r.invertersOnline()).ascii(r.zigbeeChannel())
                .ascii(String.format("%03d", r.firmware().length())).ascii(r.firmware())
                .ascii(String.format("%03d", r.timezone().length())).ascii(r.timezone())
                .hex(r.mac1()).hex(r.mac2());
        if ("12".equals(r.group())) {
            b.ascii("00").zeros(10);
        }
        return b.end();
    }

    public static byte[] realtime(RealtimeReply r) {
        Body b = new Body("11", EcuCommand.REALTIME);
        b.ascii("00").ascii("01").u16(r.inverters().size()).bcdDateTime(r.timestamp());
        for (InverterReading inv : r.inverters()) {
            inverter(b, inv);
        }
        return b.end();
    }

    public static byte[] signal(SignalReply r) {
        Body b = new Body("11", EcuCommand.SIGNAL);
        b.ascii("00");
        for (SignalReply.Entry e : r.inverters()) {
            b.hex(e.uid()).u8(e.signal());
        }
        return b.end();
    }

    public static byte[] powerOfDay(PowerOfDayReply r) {
        Body b = new Body("11", EcuCommand.POWER_OF_DAY);
        b.ascii("00");
        for (PowerOfDayReply.Sample s : r.samples()) {
            b.bcdTime(s.time()).u16(s.powerW());
        }
        return b.end();
    }

    public static byte[] energyHistory(EnergyHistoryReply r) {
        Body b = new Body(r.group(), EcuCommand.ENERGY_HISTORY);
        b.ascii("00").ascii(r.period().code());
        for (EnergyHistoryReply.Day d : r.days()) {
            b.bcdDate(d.date());
            if ("12".equals(r.group())) {
                b.u32(d.energyRaw());
            } else {
                b.u16((int) d.energyRaw());
            }
        }
        return b.end();
    }

    /** The 16-byte status-only form without END, as ECUs send for status 01/02. */
    public static byte[] statusOnly(EcuCommand command, String status) {
        return ("APS110015" + command.code() + status + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] encode(EcuReply reply) {
        if (reply instanceof InfoReply) {
            return info((InfoReply) reply);
        } else if (reply instanceof RealtimeReply) {
            return realtime((RealtimeReply) reply);
        } else if (reply instanceof SignalReply) {
            return signal((SignalReply) reply);
        } else if (reply instanceof PowerOfDayReply) {
            return powerOfDay((PowerOfDayReply) reply);
        } else if (reply instanceof EnergyHistoryReply) {
            return energyHistory((EnergyHistoryReply) reply);
        }
        StatusReply s = (StatusReply) reply;
        return statusOnly(s.command(), s.status());
    }

    private static void inverter(Body b, InverterReading inv) {
        InverterLayout layout = layoutFor(inv);
        byte[] record = new byte[layout.recordSize()];
        System.arraycopy(HexFormat.of().parseHex(inv.uid()), 0, record, InverterLayout.UID, InverterLayout.UID_SIZE);
        record[InverterLayout.ONLINE] = (byte) (inv.online() ? 1 : 0);
        record[InverterLayout.TYPE] = (byte) layout.typeCode().charAt(0);
        record[InverterLayout.TYPE + 1] = (byte) layout.typeCode().charAt(1);
        for (Field f : layout.fields()) {
            long value;
            switch (f.quantity()) {
                case FREQUENCY_HZ: value = Math.round(inv.frequencyHz() * f.divisor()); break;
                case TEMPERATURE_C: value = (long) inv.temperatureC() * f.divisor(); break;
                case POWER_W: value = (long) inv.powerW().get(f.index() - 1) * f.divisor(); break;
                case VOLTAGE_V: value = (long) inv.voltageV().get(f.index() - 1) * f.divisor(); break;
                default: throw new IllegalStateException("unhandled quantity " + f.quantity());
            }
            long raw = value - f.bias();
            for (int i = 0; i < f.size(); i++) {
                record[f.offset() + i] = (byte) (raw >>> (8 * (f.size() - 1 - i)));
            }
        }
        b.bytes(record);
    }

    /** The layout of the reading's type code whose channel and phase counts match the reading. */
    private static InverterLayout layoutFor(InverterReading inv) {
        for (InverterLayout layout : InverterLayouts.forType(inv.typeCode())) {
            if (layout.channels() == inv.powerW().size() && layout.phases() == inv.voltageV().size()) {
                return layout;
            }
        }
        throw new IllegalArgumentException("no layout of type '" + inv.typeCode() + "' has " + inv.powerW().size()
                + " channels and " + inv.voltageV().size() + " voltages");
    }

    /** Accumulates a reply and closes it with END and the length field. */
    private static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

        Body(String group, EcuCommand command) {
            ascii("APS" + group + "0000" + command.code());
        }

        Body ascii(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Body bytes(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        Body hex(String hex) {
            return bytes(HexFormat.of().parseHex(hex));
        }

        Body zeros(int n) {
            return bytes(new byte[n]);
        }

        Body u8(int v) {
            out.write(v);
            return this;
        }

        Body u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Body u32(long v) {
            return u16((int) (v >>> 16) & 0xffff).u16((int) v & 0xffff);
        }

        Body bcdDateTime(LocalDateTime t) {
            if (t == null) {
                return bytes(new byte[] {(byte) 0xd0, (byte) 0xd0, (byte) 0xd0, (byte) 0xd0, (byte) 0xd0, (byte) 0xd0, (byte) 0xd0});
            }
            return hex(String.format("%04d%02d%02d%02d%02d%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                    t.getHour(), t.getMinute(), t.getSecond()));
        }

        Body bcdDate(LocalDate d) {
            return hex(String.format("%04d%02d%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth()));
        }

        Body bcdTime(LocalTime t) {
            return hex(String.format("%02d%02d", t.getHour(), t.getMinute()));
        }

        byte[] end() {
            ascii("END\n");
            byte[] frame = out.toByteArray();
            byte[] length = String.format("%04d", frame.length - 1).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(length, 0, frame, 5, 4);
            return frame;
        }
    }

}
