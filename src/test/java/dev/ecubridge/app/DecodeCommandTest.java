package dev.ecubridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DecodeCommandTest {

    private static final Path VECTORS = Path.of("src/test/resources/protocol/vectors");

    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new EcuBridgeCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void printsTheDecodedJsonOfHexFiles() throws Exception {
        int exit = run("decode", "--compact", VECTORS.resolve("ds3_realtime_day_ecu-b_01.hex").toString());
        assertThat(exit).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("timestamp").asText()).isEqualTo("2024-09-14T15:29:49");
        assertThat(json.at("/inverters/0/powerW").toString()).isEqualTo("[341,390]");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void readsRawBytesAndHexWithWhitespace() throws Exception {
        String hex = Files.readString(VECTORS.resolve("ecu-b_info_fw1.2.33.hex")).trim();
        Path raw = tmp.resolve("raw.bin");
        Files.write(raw, java.util.HexFormat.of().parseHex(hex));
        Path spaced = tmp.resolve("spaced.txt");
        Files.writeString(spaced, hex.replaceAll("(..)", "$1 ").replaceAll("(.{48})", "$1\n"));
        assertThat(run("decode", "--compact", raw.toString(), spaced.toString())).isZero();
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo(lines[1]).contains("\"ecuId\":\"216300007004\"");
    }

    @Test
    void anInvalidFrameIsOneLineOnStderrAndANonZeroExit() {
        String truncated = VECTORS.resolve("signal_yc1000_ecu-r-pro_TRUNCATED.hex").toString();
        String good = VECTORS.resolve("signal_qt2_ecu-r_01.hex").toString();
        int exit = run("decode", truncated, good);
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).isEqualTo(truncated
                + ": signal: frame is 85 bytes, but the length field at offset 5 (0095) makes it 96: truncated\n");
        assertThat(out.toString()).contains("\"signal\" : 171");
    }

    @Test
    void readsTheCaptureFilesOfTheFileSink() throws Exception {
        String info = Files.readString(VECTORS.resolve("ecu-b_info_fw1.2.33.hex")).trim();
        String truncated = Files.readString(VECTORS.resolve("signal_yc1000_ecu-r-pro_TRUNCATED.hex")).trim();
        Path capture = tmp.resolve("2026-06-21.jsonl");
        Files.writeString(capture, "{\"command\":\"0001\",\"frame\":\"" + info + "\"}\n{\"command\":\"0030\",\"frame\":\"" + truncated + "\"}\n");
        assertThat(run("decode", "--compact", capture.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("\"ecuId\":\"216300007004\"");
        assertThat(err.toString()).startsWith(capture + " frame 2: signal: frame is 85 bytes");
    }

    @Test
    void textThatIsNotHexIsExplained() throws Exception {
        Path notes = tmp.resolve("notes.txt");
        Files.writeString(notes, "hello");
        assertThat(run("decode", notes.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith(notes + ": neither a raw frame");
        assertThat(run("decode", tmp.resolve("missing.hex").toString())).isEqualTo(2);
    }
}
