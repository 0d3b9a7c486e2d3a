package dev.ecubridge.protocol;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * Bounds-checked, big-endian reads from one frame. Every read names what it reads, so that a frame that is too
 * short or holds an impossible value fails with a {@link FrameException} saying what and where, never with an
 * index or number-format exception.
 */
final class FrameReader {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final byte[] frame;
    private final String reply;
    /** Reads must stay before this offset (the start of {@code END\n}). */
    private final int end;

    FrameReader(byte[] frame, String reply, int end) {
        this.frame = frame;
        this.reply = reply;
        this.end = end;
    }

    byte at(int offset) {
        return frame[offset];
    }

    /** A 6-byte BCD inverter uid as 12 hex digits (non-decimal nibbles stay visible). */
    String uid(int offset, String what) throws FrameException {
        require(offset, 6, what);
        return UidStrings.of(frame, offset);
    }

    int end() {
        return end;
    }

    String reply() {
        return reply;
    }

    FrameException error(FrameError.Kind kind, int offset, String detail) {
        return new FrameException(new FrameError(reply, kind, offset, detail));
    }

    void require(int offset, int length, String what) throws FrameException {
        if (offset < 0 || length < 0 || offset + length > end) {
            throw error(FrameError.Kind.LAYOUT_MISMATCH, offset,
                    what + " at offset " + offset + " (" + length + " bytes) runs past the end of the data at offset " + end);
        }
    }

    int u8(int offset, String what) throws FrameException {
        require(offset, 1, what);
        return frame[offset] & 0xff;
    }

    int u16(int offset, String what) throws FrameException {
        require(offset, 2, what);
        return (frame[offset] & 0xff) << 8 | (frame[offset + 1] & 0xff);
    }

    long u32(int offset, String what) throws FrameException {
        require(offset, 4, what);
        return (long) (frame[offset] & 0xff) << 24 | (frame[offset + 1] & 0xff) << 16
                | (frame[offset + 2] & 0xff) << 8 | (frame[offset + 3] & 0xff);
    }

    /** Unsigned big-endian integer of {@code size} bytes whose bounds the caller has checked. */
    long unsignedUnchecked(int offset, int size) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            value = value << 8 | (frame[offset + i] & 0xff);
        }
        return value;
    }

    /** Unsigned big-endian integer of 1, 2 or 4 bytes. */
    long unsigned(int offset, int size, String what) throws FrameException {
        switch (size) {
            case 1: return u8(offset, what);
            case 2: return u16(offset, what);
            case 4: return u32(offset, what);
            default: throw new IllegalArgumentException("unsupported field size " + size);
        }
    }

    String ascii(int offset, int length, String what) throws FrameException {
        require(offset, length, what);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            int b = frame[offset + i] & 0xff;
            if (b < 0x20 || b > 0x7e) {
                throw error(FrameError.Kind.BAD_FIELD, offset + i,
                        what + " at offset " + offset + " holds the non-text byte 0x" + hexByte(b) + " at offset " + (offset + i));
            }
            chars[i] = (char) b;
        }
        return new String(chars);
    }

    /** A decimal number written as ASCII digits. */
    int digits(int offset, int length, String what) throws FrameException {
        require(offset, length, what);
        int value = 0;
        for (int i = 0; i < length; i++) {
            int b = frame[offset + i];
            if (b < '0' || b > '9') {
                throw error(FrameError.Kind.BAD_FIELD, offset,
                        what + " at offset " + offset + " is not " + length + " decimal digits: '" + printable(offset, length) + "'");
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    /** Raw bytes as lowercase hex; BCD ids read this way keep non-decimal nibbles visible instead of failing. */
    String hex(int offset, int length, String what) throws FrameException {
        require(offset, length, what);
        byte[] out = new byte[length * 2];
        for (int i = 0; i < length; i++) {
            int b = frame[offset + i] & 0xff;
            out[2 * i] = HEX[b >>> 4];
            out[2 * i + 1] = HEX[b & 0xf];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** 7-byte BCD YYYYMMDDhhmmss, or null where the bytes are not a valid date-time (ECU-R sends D0 D0 ...). */
    LocalDateTime bcdDateTime(int offset, String what) throws FrameException {
        require(offset, 7, what);
        LocalDate date = bcdDate(offset, what);
        int hour = bcd(offset + 4);
        int minute = bcd(offset + 5);
        int second = bcd(offset + 6);
        if (date == null || (hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        return date.atTime(hour, minute, second);
    }

    /** 4-byte BCD YYYYMMDD, or null where invalid. */
    LocalDate bcdDate(int offset, String what) throws FrameException {
        require(offset, 4, what);
        int century = bcd(offset);
        int year = bcd(offset + 1);
        int month = bcd(offset + 2);
        int day = bcd(offset + 3);
        if ((century | year | month | day) < 0) {
            return null;
        }
        try {
            return LocalDate.of(century * 100 + year, month, day);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** 2-byte BCD hhmm, or null where invalid. */
    LocalTime bcdTime(int offset, String what) throws FrameException {
        require(offset, 2, what);
        int hour = bcd(offset);
        int minute = bcd(offset + 1);
        if ((hour | minute) < 0 || hour > 23 || minute > 59) {
            return null;
        }
        return LocalTime.of(hour, minute);
    }

    /** One BCD byte as 0..99, or -1 when a nibble is above 9. */
    private int bcd(int offset) {
        int b = frame[offset] & 0xff;
        int hi = b >>> 4;
        int lo = b & 0xf;
        return hi > 9 || lo > 9 ? -1 : hi * 10 + lo;
    }

    /** The bytes as text for a message, non-printable ones as \xNN. */
    String printable(int offset, int length) {
        return FrameHeader.printable(frame, offset, length);
    }

    static String hexByte(int b) {
        return new String(new byte[] {HEX[(b >>> 4) & 0xf], HEX[b & 0xf]}, StandardCharsets.US_ASCII);
    }
}
