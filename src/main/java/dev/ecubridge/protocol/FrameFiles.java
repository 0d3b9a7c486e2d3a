package dev.ecubridge.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Frames as users keep them: raw bytes as captured, or hex text (whitespace ignored, as pasted into an issue). */
public final class FrameFiles {

    private FrameFiles() {
    }

    public static byte[] read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    /**
     * Raw frames start with {@code APS}, which is not hex; anything else must be hex text.
     *
     * @throws IllegalArgumentException when the content is neither
     */
    public static byte[] parse(byte[] content) {
        if (content.length >= 3 && content[0] == 'A' && content[1] == 'P' && content[2] == 'S') {
            return content;
        }
        StringBuilder hex = new StringBuilder(content.length);
        for (int i = 0; i < content.length; i++) {
            char c = (char) (content[i] & 0xff);
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (Character.digit(c, 16) < 0) {
                throw new IllegalArgumentException("neither a raw frame (no 'APS' at the start) nor hex text (byte "
                        + i + " is '" + FrameHeader.printable(content, i, 1) + "')");
            }
            hex.append(c);
        }
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("hex text has an odd number of digits (" + hex.length() + ")");
        }
        return HexFormat.of().parseHex(hex);
    }

    public static String toHex(byte[] frame) {
        return HexFormat.of().formatHex(frame);
    }

    public static void writeHex(Path file, byte[] frame) throws IOException {
        Files.writeString(file, toHex(frame) + "\n", StandardCharsets.US_ASCII);
    }
}
