package dev.ecubridge.protocol;

import dev.ecubridge.protocol.FrameError.Kind;
import dev.ecubridge.protocol.InverterLayout.Field;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes one complete reply frame (as cut by {@link EcuFrameDecoder}) into a typed {@link EcuReply}, or explains
 * why it cannot: every check of spec §9 is made, every read is bounds-checked, and no other exception escapes.
 * Stateless and thread-safe.
 */
public final class ReplyDecoder {

    public static final int HEADER_SIZE = 13;
    /** The 16-byte status-only reply: {@code APS11 0015 0002 02 \n}. */
    public static final int STATUS_ONLY_SIZE = 16;
    static final byte[] TRAILER = {'E', 'N', 'D', '\n'};

    private static final int REALTIME_RECORDS = 26;
    private static final int SIGNAL_ENTRY_SIZE = 7;

    private ReplyDecoder() {
    }

    /** Decodes a reply to any of the read-only queries. */
    public static DecodeResult decode(byte[] frame) {
        return decode(frame, null);
    }

    /** Decodes a reply that must answer {@code expected} (null accepts any known command). */
    public static DecodeResult decode(byte[] frame, EcuCommand expected) {
        try {
            return decodeOrThrow(frame, expected);
        } catch (FrameException e) {
            return e.error();
        }
    }

    private static EcuReply decodeOrThrow(byte[] frame, EcuCommand expected) throws FrameException {
        if (frame == null) {
            throw new FrameException(new FrameError("frame", Kind.NOT_A_FRAME, -1, "no bytes"));
        }
        FrameError problem = FrameHeader.problem(frame, frame.length);
        if (problem != null) {
            throw new FrameException(problem);
        }
        int length = FrameHeader.length(frame, frame.length);
        if (length < 0) {
            throw new FrameException(new FrameError("frame", Kind.TRUNCATED, frame.length,
                    "only " + frame.length + " bytes; a reply has at least " + FrameHeader.MIN_FRAME));
        }
        if (frame.length != length) {
            boolean truncated = frame.length < length;
            throw new FrameException(new FrameError(replyName(frame), truncated ? Kind.TRUNCATED : Kind.TRAILING_BYTES,
                    Math.min(frame.length, length), "frame is " + frame.length + " bytes, but the length field at offset 5 ("
                    + FrameHeader.printable(frame, 5, 4) + ") makes it " + length + (truncated ? ": truncated" : ": extra bytes after it")));
        }
        EcuCommand command = EcuCommand.at(frame, 9);
        if (command == null) {
            throw new FrameException(new FrameError("frame", Kind.UNKNOWN_COMMAND, 9, "command number '"
                    + FrameHeader.printable(frame, 9, 4) + "' at offset 9 is not a query this collector sends"));
        }
        if (expected != null && command != expected) {
            throw new FrameException(new FrameError(expected.label(), Kind.UNEXPECTED_COMMAND, 9,
                    "reply at offset 9 is for command " + command.code() + " (" + command.label() + "), expected " + expected.code()));
        }
        String group = frame[4] == '2' ? "12" : "11";

        if (command != EcuCommand.INFO && frame.length == STATUS_ONLY_SIZE && frame[15] == '\n') {
            return statusOnly(new FrameReader(frame, command.label(), 15), command);
        }
        if (!endsWithTrailer(frame)) {
            throw new FrameException(new FrameError(command.label(), Kind.MISSING_TRAILER, frame.length - 4,
                    "no END\\n at offset " + (frame.length - 4) + " where the " + frame.length + "-byte frame should end"));
        }
        FrameReader body = new FrameReader(frame, command.label(), frame.length - TRAILER.length);
        if (command == EcuCommand.INFO) {
            return info(body, group);
        }
        String status = status(body);
        if (!"00".equals(status)) {
            return new StatusReply(command, status);
        }
        switch (command) {
            case REALTIME: return realtime(body);
            case SIGNAL: return signal(body);
            case POWER_OF_DAY: return powerOfDay(body);
            case ENERGY_HISTORY: return energyHistory(body, group);
            default: throw new IllegalStateException("unhandled command " + command);
        }
    }

    /** Statuses are "0x" (00 ok, 01 id mismatch, 02 no data); anything else is not a reply, e.g. our own request echoed. */
    private static String status(FrameReader r) throws FrameException {
        r.require(13, 2, "status");
        byte second = r.at(14);
        if (r.at(13) != '0' || second < '0' || second > '9') {
            throw r.error(Kind.BAD_FIELD, 13, "status at offset 13 is '" + r.printable(13, 2) + "', not a status (00, 01, 02)");
        }
        return STATUSES[second - '0'];
    }

    private static final String[] STATUSES = {"00", "01", "02", "03", "04", "05", "06", "07", "08", "09"};

    private static StatusReply statusOnly(FrameReader r, EcuCommand command) throws FrameException {
        String status = status(r);
        if ("00".equals(status)) {
            throw r.error(Kind.BAD_FIELD, 13, "a 16-byte status-only reply has status 00 (ok) but no data");
        }
        return new StatusReply(command, status);
    }

    private static InfoReply info(FrameReader r, String group) throws FrameException {
        String ecuId = decimalString(r, 13, 12, "ECU id");
        String variant = r.ascii(25, 2, "ECU variant");
        long lifetime = r.u32(27, "lifetime energy");
        long power = r.u32(31, "current power");
        long today = r.u32(35, "today's energy");
        if ("01".equals(variant)) {
            LocalDateTime ema = r.bcdDateTime(39, "last EMA contact");
            int registered = r.u16(46, "inverter count");
            int online = r.u16(48, "online inverter count");
            String channel = r.ascii(50, 2, "ZigBee channel");
            int fwLength = r.digits(52, 3, "firmware length");
            String firmware = r.ascii(55, fwLength, "firmware");
            int tzAt = 55 + fwLength;
            int tzLength = r.digits(tzAt, 3, "timezone length");
            String timezone = r.ascii(tzAt + 3, tzLength, "timezone");
            int macAt = tzAt + 3 + tzLength;
            String mac1 = r.hex(macAt, 6, "MAC 1");
            String mac2 = r.hex(macAt + 6, 6, "MAC 2");
            return new InfoReply(group, ecuId, variant, lifetime, power, today, ema, registered, online,
                    channel, firmware, timezone, mac1, mac2);
        }
        if ("02".equals(variant)) {
            // ECU-R-RS: no timestamp, counts at 39/41, signal level 43, channel 46, RSD type 48, firmware at 49
            int registered = r.u16(39, "inverter count");
            int online = r.u16(41, "online inverter count");
            String channel = r.ascii(46, 2, "ZigBee channel");
            int fwLength = r.digits(49, 3, "firmware length");
            String firmware = r.ascii(52, fwLength, "firmware");
            return new InfoReply(group, ecuId, variant, lifetime, power, today, null, registered, online,
                    channel, firmware, null, null, null);
        }
        throw r.error(Kind.UNSUPPORTED, 25, "ECU variant '" + variant + "' at offset 25 is unknown (01 and 02 are)");
    }

    private static RealtimeReply realtime(FrameReader r) throws FrameException {
        r.require(15, 2, "record family");
        if (r.at(15) != '0' || r.at(16) != '1') {
            throw r.error(Kind.UNSUPPORTED, 15, "record family '" + r.printable(15, 2)
                    + "' at offset 15 is not decoded (01 = micro-inverters; 02 = RSD optimisers)");
        }
        int count = r.u16(17, "inverter count");
        LocalDateTime timestamp = r.bcdDateTime(19, "timestamp");
        InverterReading[] readings = new InverterReading[count];
        int p = REALTIME_RECORDS;
        for (int i = 0; i < count; i++) {
            List<InverterLayout> candidates;
            try {
                candidates = RecordLayoutResolver.candidates(r, i, p);
            } catch (FrameException e) {
                if (e.error().kind() != Kind.UNKNOWN_RECORD_TYPE) {
                    throw e;
                }
                // the records after an unknown type cannot be located, those before it are good
                throw new FrameException(e.error().withPartial(new RealtimeReply(timestamp, Arrays.asList(readings).subList(0, i))));
            }
            if (candidates.size() > 1) {
                return decodeAmbiguous(r, timestamp, readings, i, p);
            }
            InverterLayout layout = candidates.get(0);
            if (p + layout.recordSize() > r.end()) {
                throw RecordLayoutResolver.overrun(r, i, p, layout);
            }
            readings[i] = inverter(r, p, layout);
            p += layout.recordSize();
        }
        if (p != r.end()) {
            throw RecordLayoutResolver.countMismatch(r, count, p);
        }
        return new RealtimeReply(timestamp, List.of(readings));
    }

    /** From record {@code first} on, a type code has several layouts: find the one combination that fills the frame. */
    private static RealtimeReply decodeAmbiguous(FrameReader r, LocalDateTime timestamp, InverterReading[] readings,
                                                 int first, int p) throws FrameException {
        List<InverterLayout> layouts = RecordLayoutResolver.resolve(r, readings.length, first, p);
        for (int i = first; i < readings.length; i++) {
            InverterLayout layout = layouts.get(i - first);
            readings[i] = inverter(r, p, layout);
            p += layout.recordSize();
        }
        return new RealtimeReply(timestamp, List.of(readings));
    }

    private static InverterReading inverter(FrameReader r, int p, InverterLayout layout) throws FrameException {
        r.require(p, layout.recordSize(), "record");
        // from here on reads are unchecked: the record lies inside the frame, the table keeps fields inside the record
        String uid = r.uid(p + InverterLayout.UID, "inverter uid");
        boolean online = r.at(p + InverterLayout.ONLINE) == 1;
        Field frequency = layout.frequency();
        Field temperature = layout.temperature();
        return new InverterReading(uid, online, layout.typeCode(),
                frequency == null ? null : decihertz(raw(r, p, frequency), frequency.divisor()),
                temperature == null ? null : value(r, p, temperature),
                values(r, p, layout.power()), values(r, p, layout.voltage()));
    }

    private static long raw(FrameReader r, int p, Field f) {
        return r.unsignedUnchecked(p + f.offset(), f.size()) + f.bias();
    }

    /** Watts, volts and degrees are whole numbers in this protocol. */
    private static Integer value(FrameReader r, int p, Field f) {
        long raw = raw(r, p, f);
        return boxed(f.divisor() == 1 ? raw : raw / f.divisor()); // most fields are unscaled; a division costs ~25 cycles
    }

    /** The fields' values as an immutable list, built without an intermediate array for the usual 1 to 4 values. */
    private static List<Integer> values(FrameReader r, int p, List<Field> fields) {
        switch (fields.size()) {
            case 0: return List.of();
            case 1: return List.of(value(r, p, fields.get(0)));
            case 2: return List.of(value(r, p, fields.get(0)), value(r, p, fields.get(1)));
            case 3: return List.of(value(r, p, fields.get(0)), value(r, p, fields.get(1)),
                    value(r, p, fields.get(2)));
            case 4: return List.of(value(r, p, fields.get(0)), value(r, p, fields.get(1)),
                    value(r, p, fields.get(2)), value(r, p, fields.get(3)));
            default:
                Integer[] values = new Integer[fields.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = value(r, p, fields.get(i));
                }
                return List.of(values);
        }
    }

    /*
     * Realtime values are few and small: frequencies are 0, 49.9, 50.0, 60.0 ...; watts, volts and degrees stay below
     * 2048. Their boxed forms are made once (as Integer.valueOf does up to 127), which halves what a decode allocates.
     */
    private static final Double[] DECIHERTZ = new Double[1024];
    private static final Integer[] SMALL = new Integer[2048];

    static {
        for (int i = 0; i < DECIHERTZ.length; i++) {
            DECIHERTZ[i] = i / 10.0;
        }
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = i;
        }
    }

    private static Double decihertz(long value, int divisor) {
        return divisor == 10 && value >= 0 && value < DECIHERTZ.length ? DECIHERTZ[(int) value] : (double) value / divisor;
    }

    private static Integer boxed(long value) {
        return value >= 0 && value < SMALL.length ? SMALL[(int) value] : Integer.valueOf((int) value);
    }

    private static SignalReply signal(FrameReader r) throws FrameException {
        int records = wholeRecords(r, 15, SIGNAL_ENTRY_SIZE, "signal entries");
        List<SignalReply.Entry> entries = new ArrayList<>(records);
        for (int i = 0, p = 15; i < records; i++, p += SIGNAL_ENTRY_SIZE) {
            entries.add(new SignalReply.Entry(r.uid(p, "inverter uid"), r.u8(p + 6, "signal level")));
        }
        return new SignalReply(entries);
    }

    private static PowerOfDayReply powerOfDay(FrameReader r) throws FrameException {
        int records = wholeRecords(r, 15, 4, "power samples");
        List<PowerOfDayReply.Sample> samples = new ArrayList<>(records);
        for (int i = 0, p = 15; i < records; i++, p += 4) {
            samples.add(new PowerOfDayReply.Sample(r.bcdTime(p, "sample time"), r.u16(p + 2, "power")));
        }
        return new PowerOfDayReply(samples);
    }

    private static EnergyHistoryReply energyHistory(FrameReader r, String group) throws FrameException {
        String code = r.ascii(15, 2, "period");
        EnergyPeriod period = EnergyPeriod.fromCode(code).orElseThrow(() -> r.error(Kind.BAD_FIELD, 15,
                "period '" + code + "' at offset 15 is none of 00 (week), 01 (month), 02 (year)"));
        int valueSize = "12".equals(group) ? 4 : 2;
        int recordSize = 4 + valueSize;
        int records = wholeRecords(r, 17, recordSize, "daily energy records");
        List<EnergyHistoryReply.Day> days = new ArrayList<>(records);
        for (int i = 0, p = 17; i < records; i++, p += recordSize) {
            days.add(new EnergyHistoryReply.Day(r.bcdDate(p, "date"), r.unsigned(p + 4, valueSize, "energy")));
        }
        return new EnergyHistoryReply(group, period, days);
    }

    /** Number of fixed-size records from {@code start} to the trailer, which must be a whole number. */
    private static int wholeRecords(FrameReader r, int start, int size, String what) throws FrameException {
        int bytes = r.end() - start;
        if (bytes < 0 || bytes % size != 0) {
            throw r.error(Kind.LAYOUT_MISMATCH, start, "the " + Math.max(bytes, 0) + " bytes of " + what
                    + " from offset " + start + " are not a whole number of " + size + "-byte records");
        }
        return bytes / size;
    }

    private static String decimalString(FrameReader r, int offset, int length, String what) throws FrameException {
        String s = r.ascii(offset, length, what);
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                throw r.error(Kind.BAD_FIELD, offset + i, what + " at offset " + offset + " is not " + length + " digits: '" + s + "'");
            }
        }
        return s;
    }

    private static boolean endsWithTrailer(byte[] frame) {
        int at = frame.length - TRAILER.length;
        if (at < HEADER_SIZE) {
            return false;
        }
        for (int i = 0; i < TRAILER.length; i++) {
            if (frame[at + i] != TRAILER[i]) {
                return false;
            }
        }
        return true;
    }

    /** "realtime" etc. when the command number is readable, else "frame": for errors found before the command is checked. */
    private static String replyName(byte[] frame) {
        if (frame.length >= HEADER_SIZE) {
            String code = new String(frame, 9, 4, StandardCharsets.US_ASCII);
            return EcuCommand.fromCode(code).map(EcuCommand::label).orElse("frame");
        }
        return "frame";
    }
}
