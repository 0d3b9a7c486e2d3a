package dev.ecubridge.readings;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dedup key of a sink that reads the readings topic: (ECU id, ECU data time). Kafka delivers at least once (what
 * was written but not yet committed comes again after a failure or restart), so a sink skips a key it already wrote.
 * Kept per ECU for its last {@link #KEEP} data times (what comes again is what came after the last commit), in a
 * journal file that survives restarts: one line {@code ECU-ID TIME} per key, compacted when it is opened and
 * when it has grown to several times what it keeps.
 */
public final class WrittenKeys implements AutoCloseable {

    static final int KEEP = 64;

    private final Path file;
    private final Map<String, Deque<Instant>> written = new HashMap<>();
    private BufferedWriter journal;
    private long keys;
    private long appended;

    public WrittenKeys(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = line.split(" ");
                    if (parts.length == 2) {
                        try {
                            remember(parts[0], Instant.parse(parts[1]));
                        } catch (RuntimeException torn) {
                            // a line torn by a crash: its key was not confirmed written
                        }
                    }
                }
            }
            compact();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the written keys in " + file, e);
        }
    }

    public synchronized boolean contains(String ecuId, Instant time) {
        Deque<Instant> times = written.get(ecuId);
        return times != null && times.contains(time);
    }

    /** The sink wrote this key: noted before the offset is committed. */
    public synchronized void add(String ecuId, Instant time) {
        remember(ecuId, time);
        try {
            journal.write(ecuId + " " + time + "\n");
            journal.flush();
            if (++appended > 4 * keys + 10_000) {
                journal.close();
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot note a written key in " + file, e);
        }
    }

    private void remember(String ecuId, Instant time) {
        Deque<Instant> times = written.computeIfAbsent(ecuId, k -> new ArrayDeque<>());
        times.addLast(time);
        keys++;
        while (times.size() > KEEP) {
            times.removeFirst();
            keys--;
        }
    }

    private void compact() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, Deque<Instant>> e : written.entrySet()) {
                for (Instant t : List.copyOf(e.getValue())) {
                    w.write(e.getKey() + " " + t + "\n");
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        appended = 0;
        journal = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void close() throws IOException {
        journal.close();
    }
}
