package dev.ecubridge.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Frames as users keep them: raw bytes as captured, hex text (whitespace ignored, as pasted into an issue), or the
 * JSON-lines capture files of the file sink.
 */
public final class FrameFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /**
     * Every frame in a file's content: the {@code frame} field (hex) of each line of a JSON-lines capture file, else
     * the content as one frame (see {@link #parse}).
     */
    public static List<byte[]> parseAll(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1).strip();
        if (!text.startsWith("{")) {
            return List.of(parse(content));
        }
        List<byte[]> frames = new ArrayList<>();
        int line = 0;
        for (String json : text.split("\n")) {
            line++;
            if (json.isBlank()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(json);
                if (node.hasNonNull("frame")) {
                    frames.add(parse(node.get("frame").asText().getBytes(StandardCharsets.US_ASCII)));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("line " + line + " is not JSON: " + e.getOriginalMessage());
            }
        }
        return frames;
    }

    public static String toHex(byte[] frame) {
        return HexFormat.of().formatHex(frame);
    }
}
