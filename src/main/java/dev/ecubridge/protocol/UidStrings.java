package dev.ecubridge.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The hex text of 6-byte inverter uids, remembered: an ECU reports the same inverters in every reply, so a collector
 * (or a fleet of them in one process) would otherwise build the same strings again every cycle. A small direct-mapped
 * table; a collision simply replaces the entry. Entries are immutable, so racing threads are harmless.
 */
final class UidStrings {

    private static final int SIZE = 4096;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Entry[] TABLE = new Entry[SIZE];

    private record Entry(long uid, String text) {
    }

    private UidStrings() {
    }

    static String of(byte[] frame, int offset) {
        long uid = 0;
        for (int i = 0; i < 6; i++) {
            uid = uid << 8 | (frame[offset + i] & 0xff);
        }
        int slot = (int) (uid ^ uid >>> 17 ^ uid >>> 31) & (SIZE - 1);
        Entry e = TABLE[slot];
        if (e != null && e.uid == uid) {
            return e.text;
        }
        byte[] text = new byte[12];
        for (int i = 0; i < 6; i++) {
            int b = frame[offset + i] & 0xff;
            text[2 * i] = HEX[b >>> 4];
            text[2 * i + 1] = HEX[b & 0xf];
        }
        String s = new String(text, StandardCharsets.ISO_8859_1);
        TABLE[slot] = new Entry(uid, s);
        return s;
    }
}
