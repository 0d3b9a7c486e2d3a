package dev.ecubridge.simulator;

import dev.ecubridge.protocol.EcuCommand;
import dev.ecubridge.protocol.EcuRequest;
import dev.ecubridge.protocol.FrameFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Serves recorded frames in order: for each request, the next recorded reply to that command, starting over at the
 * end. Reads {@code .hex} files (hex text or raw bytes, as the shared vectors) and {@code .jsonl} capture files of the
 * file sink (one JSON object per line with a {@code frame} field in hex), from files or folders, in name order.
 */
public final class Replay implements ReplySource {

    private final Map<EcuCommand, List<byte[]>> frames = new EnumMap<>(EcuCommand.class);
    private final Map<EcuCommand, Integer> next = new EnumMap<>(EcuCommand.class);

    public Replay(List<byte[]> recorded) {
        for (byte[] frame : recorded) {
            if (frame.length >= 13) {
                EcuCommand.fromCode(new String(frame, 9, 4, StandardCharsets.ISO_8859_1))
                        .ifPresent(c -> frames.computeIfAbsent(c, k -> new ArrayList<>()).add(frame));
            }
        }
    }

    public static Replay of(List<Path> paths) throws IOException {
        List<byte[]> recorded = new ArrayList<>();
        for (Path path : paths) {
            List<Path> files;
            if (Files.isDirectory(path)) {
                try (Stream<Path> s = Files.walk(path)) {
                    files = s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".hex") || p.toString().endsWith(".jsonl"))
                            .sorted().toList();
                }
            } else {
                files = List.of(path);
            }
            for (Path file : files) {
                recorded.addAll(FrameFiles.parseAll(Files.readAllBytes(file)));
            }
        }
        Replay replay = new Replay(recorded);
        if (replay.size() == 0) {
            throw new IOException("no recorded frames in " + paths);
        }
        return replay;
    }

    public int size() {
        return frames.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public synchronized byte[] reply(EcuRequest request) {
        List<byte[]> list = frames.get(request.command());
        if (list == null) {
            return null;
        }
        int i = next.getOrDefault(request.command(), 0);
        next.put(request.command(), (i + 1) % list.size());
        return list.get(i).clone();
    }
}
