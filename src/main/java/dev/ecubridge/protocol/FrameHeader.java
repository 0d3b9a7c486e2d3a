package dev.ecubridge.protocol;

import dev.ecubridge.protocol.FrameError.Kind;

/**
 * The start of every reply: {@code APS}, a 2-digit group, and the 4-digit ASCII length L; the whole reply is L+1
 * bytes (spec §1.2). Shared by the stream framer and the frame decoder so both judge the first bytes alike.
 */
final class FrameHeader {

    /** Bytes needed to know the frame length. */
    static final int PREFIX_SIZE = 9;
    /** The shortest reply is the 16-byte status-only form. */
    static final int MIN_FRAME = ReplyDecoder.STATUS_ONLY_SIZE;
    /** Four decimal digits cannot announce more. */
    static final int MAX_FRAME = 10_000;

    private FrameHeader() {
    }

    /**
     * Why the first {@code available} bytes of {@code bytes} cannot start a reply (the first byte that cannot belong
     * to one, and where), or null while they can.
     */
    static FrameError problem(byte[] bytes, int available) {
        int n = Math.min(available, PREFIX_SIZE);
        for (int i = 0; i < Math.min(n, 3); i++) {
            if (bytes[i] != "APS".charAt(i)) {
                return fail(Kind.NOT_A_FRAME, i, "does not start with 'APS' (byte at offset " + i + " is 0x"
                        + FrameReader.hexByte(bytes[i] & 0xff) + ")");
            }
        }
        if (n >= 5 && !(bytes[3] == '1' && (bytes[4] == '1' || bytes[4] == '2'))) {
            return fail(Kind.UNKNOWN_GROUP, 3, "group at offset 3 is '" + printable(bytes, 3, 2) + "', expected 11 or 12");
        }
        for (int i = 5; i < n; i++) {
            if (bytes[i] < '0' || bytes[i] > '9') {
                return fail(Kind.BAD_LENGTH_FIELD, 5, "length field at offset 5 is not 4 decimal digits: '"
                        + printable(bytes, 5, n - 5) + "'");
            }
        }
        if (n == PREFIX_SIZE && length(bytes, n) < MIN_FRAME) {
            return fail(Kind.BAD_LENGTH_FIELD, 5, "length field at offset 5 says " + (length(bytes, n) - 1)
                    + ", shorter than the shortest reply (" + (MIN_FRAME - 1) + ")");
        }
        return null;
    }

    /** The total frame length once the length field is complete, else -1; only for bytes without a {@link #problem}. */
    static int length(byte[] bytes, int available) {
        if (available < PREFIX_SIZE) {
            return -1;
        }
        int length = 0;
        for (int i = 5; i < PREFIX_SIZE; i++) {
            length = length * 10 + (bytes[i] - '0');
        }
        return length + 1;
    }

    private static FrameError fail(Kind kind, int offset, String detail) {
        return new FrameError("frame", kind, offset, detail);
    }

    static String printable(byte[] bytes, int offset, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = offset; i < Math.min(offset + length, bytes.length); i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b <= 0x7e && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append("\\x").append(FrameReader.hexByte(b));
            }
        }
        return sb.toString();
    }
}
