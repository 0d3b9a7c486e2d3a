package dev.ecubridge.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.ecubridge.conversion.ReplyJson;
import dev.ecubridge.protocol.DecodeResult;
import dev.ecubridge.protocol.EcuReply;
import dev.ecubridge.protocol.FrameError;
import dev.ecubridge.protocol.FrameFiles;
import dev.ecubridge.protocol.ReplyDecoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "decode",
        mixinStandardHelpOptions = true,
        description = {"Decode ECU reply frames and print them as JSON.",
                "Each FILE holds one frame, as hex text (whitespace ignored) or raw bytes, or is a capture file of the file sink",
                "(JSON lines with a 'frame' field); '-' reads standard input.",
                "A frame that is invalid or incomplete prints one line on stderr naming the file and the reason;",
                "with an unknown inverter type, the inverters before it are printed.",
                "Exit code: 0 all decoded, 1 any frame invalid, 2 usage or read error."})
final class DecodeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "frame files, or '-' for standard input")
    List<String> files;

    @Option(names = "--compact", description = "one line of JSON per frame instead of indented JSON")
    boolean compact;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectWriter writer = compact ? ReplyJson.mapper().writer() : ReplyJson.mapper().writerWithDefaultPrettyPrinter();
        int exit = 0;
        for (String file : files) {
            List<byte[]> frames;
            try {
                frames = FrameFiles.parseAll("-".equals(file) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file)));
            } catch (IOException e) {
                err.println(file + ": cannot read: " + e.getMessage());
                exit = 2;
                continue;
            } catch (IllegalArgumentException e) {
                err.println(file + ": " + e.getMessage());
                exit = Math.max(exit, 1);
                continue;
            }
            for (int i = 0; i < frames.size(); i++) {
                exit = Math.max(exit, print(frames.size() == 1 ? file : file + " frame " + (i + 1), frames.get(i), writer, out, err));
            }
        }
        out.flush();
        return exit;
    }

    /** Prints one frame's JSON (or what was decoded of it); 1 when it is not a valid reply. */
    private static int print(String name, byte[] frame, ObjectWriter writer, PrintWriter out, PrintWriter err) {
        DecodeResult result = ReplyDecoder.decode(frame);
        EcuReply reply = result instanceof EcuReply ? (EcuReply) result : ((FrameError) result).partial();
        if (reply != null) {
            try {
                out.println(writer.writeValueAsString(ReplyJson.toJson(reply)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        if (result instanceof FrameError) {
            FrameError error = (FrameError) result;
            err.println(name + ": " + error.message() + (error.partial() != null ? " (printed: what was decoded before it)" : ""));
            return 1;
        }
        return 0;
    }
}
