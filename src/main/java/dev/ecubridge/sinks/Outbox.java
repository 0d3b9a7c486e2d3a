package dev.ecubridge.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.poll.Causes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, ordered store of deliveries a sink could not take, replayed when it is back. An append-only journal of
 * JSON lines ({@code queue.jsonl}, each written and forced to disk before {@link #offer} returns) and the position of
 * the next undelivered line ({@code cursor}, replaced atomically). A hard kill loses nothing that was added; a line
 * torn by a kill mid-write is cut off at start; a corrupt entry anywhere is skipped with one log line and counted.
 * While the disk refuses writes (full, read-only) deliveries wait in memory, up to {@link #MEMORY_LIMIT}, and go to
 * disk as soon as it takes them again; the state change is logged once each way. Bounded in entries and age: what it
 * drops is counted and logged. Deliveries are at least once: one whose delivery was interrupted by a kill is sent again.
 */
public final class Outbox {

    /** Deliveries kept in memory while the disk refuses writes; beyond it the oldest of them are dropped and counted. */
    public static final int MEMORY_LIMIT = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENTRY_START = "{\"stored\":";

    /** Writes one journal line to the open channel and forces it to disk (a seam for tests of a failing disk). */
    @FunctionalInterface
    public interface Appender {
        void append(FileChannel channel, ByteBuffer line) throws IOException;
    }

    static final Appender FORCED = (channel, line) -> {
        while (line.hasRemaining()) {
            channel.write(line);
        }
        channel.force(false);
    };

    private final String sink;
    private final Path journal;
    private final Path cursorFile;
    private final int maxEntries;
    private final Duration maxAge;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Function<Object, JsonNode> encode;
    private final Function<JsonNode, Object> decode;
    private final Appender appender;
    private long cursor;
    /** Entries in the journal after the cursor. */
    private int entries;
    /** The oldest entry as read from disk, until it is delivered or dropped. */
    private Entry head;
    /** Deliveries the disk did not take, newer than every entry on disk. */
    private final Deque<Entry> memory = new ArrayDeque<>();
    /** Why the disk refuses writes, or null. */
    private String diskProblem;

    /**
     * One stored delivery: its payload, when it was stored, and where the next one starts in the journal (-1 while it
     * waits in memory).
     */
    public record Entry(Object payload, Instant stored, long next) {
        boolean inMemory() {
            return next < 0;
        }
    }

    public Outbox(Path directory, String sink, int maxEntries, Duration maxAge, Clock clock, MeterRegistry meters,
                  Function<Object, JsonNode> encode, Function<JsonNode, Object> decode) {
        this(directory, sink, maxEntries, maxAge, clock, meters, encode, decode, FORCED);
    }

    Outbox(Path directory, String sink, int maxEntries, Duration maxAge, Clock clock, MeterRegistry meters,
           Function<Object, JsonNode> encode, Function<JsonNode, Object> decode, Appender appender) {
        this.sink = sink;
        this.maxEntries = maxEntries;
        this.maxAge = maxAge;
        this.clock = clock;
        this.meters = meters;
        this.encode = encode;
        this.decode = decode;
        this.appender = appender;
        try {
            Path dir = directory.resolve(sink);
            Files.createDirectories(dir);
            this.journal = dir.resolve("queue.jsonl");
            this.cursorFile = dir.resolve("cursor");
            recover();
        } catch (IOException e) {
            throw new UncheckedIOException("outbox " + sink + " in " + directory + ": " + Causes.root(e), e);
        }
        Gauge.builder("ecubridge.outbox.depth", this, Outbox::size).tag("sink", sink).register(meters);
        if (entries > 0) {
            LOG.info("Outbox {}: {} deliveries waiting from before the restart; replaying them when the sink is back", sink, entries);
        }
    }

    public synchronized boolean isEmpty() {
        return size() == 0;
    }

    public synchronized int size() {
        return entries + memory.size();
    }

    /** What keeps the outbox from doing its work, or null: the disk refusing writes, or deliveries waiting. */
    public synchronized String problem() {
        if (diskProblem != null) {
            return "the outbox cannot write to disk (" + diskProblem + "); " + memory.size() + " deliveries wait in memory";
        }
        if (size() > 0) {
            return size() + " deliveries waiting in the outbox";
        }
        return null;
    }

    /** Stores a delivery, after the ones already waiting: on disk, or in memory while the disk refuses writes. */
    public synchronized void offer(Object payload) {
        if (size() >= maxEntries) {
            Entry oldest = peek();
            if (oldest != null) {
                drop(oldest, "full");
            }
        }
        Entry entry = new Entry(payload, clock.instant(), -1);
        if (flushMemory() && write(entry)) {
            entries++;
        } else {
            keepInMemory(entry);
        }
        meters.counter("ecubridge.outbox.stored", "sink", sink).increment();
    }

    /** The oldest waiting delivery, or null; corrupt entries and those older than the age limit are dropped on the way. */
    public synchronized Entry peek() {
        while (entries > 0) {
            Entry e = head != null ? head : read(cursor);
            if (e == null) {
                continue;
            }
            if (tooOld(e)) {
                drop(e, "age");
                continue;
            }
            head = e;
            return e;
        }
        if (!memory.isEmpty() && flushMemory()) {
            return peek();
        }
        while (!memory.isEmpty()) {
            Entry e = memory.peekFirst();
            if (!tooOld(e)) {
                return e;
            }
            drop(e, "age");
        }
        return null;
    }

    /** The payload of the oldest waiting delivery, or null. */
    public Object next() {
        Entry e = peek();
        return e == null ? null : e.payload();
    }

    public boolean hasNext() {
        return peek() != null;
    }

    /** The oldest delivery is done with (the sink took it, or refused it for good): forget it. */
    public synchronized void acknowledge() {
        Entry e = peek();
        if (e != null) {
            remove(e);
        }
    }

    /** Where the deliveries wait. */
    public Path directory() {
        return journal.getParent();
    }

    private boolean tooOld(Entry e) {
        return Duration.between(e.stored(), clock.instant()).compareTo(maxAge) > 0;
    }

    private void drop(Entry e, String reason) {
        remove(e);
        meters.counter("ecubridge.outbox.dropped", "sink", sink, "reason", reason).increment();
        LOG.warn("Outbox {}: dropped a delivery stored at {} ({}: limit {} entries, {} days)", sink, e.stored(),
                reason.equals("full") ? "outbox full" : "too old", maxEntries, maxAge.toDays());
    }

    private void remove(Entry e) {
        if (e.inMemory()) {
            memory.removeFirst();
        } else {
            advance(e.next());
        }
    }

    private void keepInMemory(Entry entry) {
        if (memory.size() >= MEMORY_LIMIT) {
            memory.removeFirst();
            meters.counter("ecubridge.outbox.dropped", "sink", sink, "reason", "disk").increment();
        }
        memory.addLast(entry);
    }

    /** Moves what waits in memory to disk, oldest first; false if the disk still refuses. */
    private boolean flushMemory() {
        while (!memory.isEmpty()) {
            if (!write(memory.peekFirst())) {
                return false;
            }
            memory.removeFirst();
            entries++;
        }
        return true;
    }

    /** Appends one entry; a write that fails half-way is cut off again, so no torn line stays in the journal. */
    private boolean write(Entry entry) {
        ObjectNode line = JSON.createObjectNode();
        line.put("stored", entry.stored().toString());
        line.set("payload", encode.apply(entry.payload()));
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long end = ch.size();
            try {
                appender.append(ch, ByteBuffer.wrap(bytes));
            } catch (IOException e) {
                ch.truncate(end);
                throw e;
            }
        } catch (IOException e) {
            diskFailed(e);
            return false;
        }
        diskWorks();
        return true;
    }

    private void diskFailed(IOException e) {
        if (diskProblem == null) {
            diskProblem = Causes.root(e);
            LOG.warn("Outbox {}: cannot write to disk ({}); keeping up to {} deliveries in memory until it can", sink,
                    diskProblem, MEMORY_LIMIT);
        }
    }

    private void diskWorks() {
        if (diskProblem != null) {
            diskProblem = null;
            LOG.info("Outbox {}: writing to disk again", sink);
        }
    }

    private void advance(long next) {
        head = null;
        entries--;
        try {
            if (entries == 0) {
                Files.write(journal, new byte[0]);
                cursor = 0;
            } else {
                cursor = next;
            }
            Path tmp = cursorFile.resolveSibling("cursor.tmp");
            Files.writeString(tmp, Long.toString(cursor));
            Files.move(tmp, cursorFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (memory.isEmpty()) {
                diskWorks();
            }
        } catch (IOException e) {
            cursor = entries == 0 ? 0 : next;
            diskFailed(e); // the cursor on disk lags: after a restart some deliveries are sent again, none is lost
        }
    }

    /**
     * The entry at {@code at}, or null after skipping a corrupt one (a line that is no entry: torn by a full disk or a
     * crash, or edited by hand). A torn line that runs into a complete entry keeps that entry.
     */
    private Entry read(long at) {
        String line;
        long next;
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "r")) {
            if (at >= f.length()) {
                entries = 0;
                return null;
            }
            f.seek(at);
            line = new String(f.readLine().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            next = f.getFilePointer();
        } catch (IOException e) {
            throw new UncheckedIOException("outbox " + sink + ": " + Causes.root(e), e);
        }
        try {
            return parse(line, next);
        } catch (RuntimeException | IOException e) {
            int complete = line.lastIndexOf(ENTRY_START);
            Entry rest = null;
            if (complete > 0) {
                try {
                    rest = parse(line.substring(complete), next);
                } catch (RuntimeException | IOException ignored) {
                    // no complete entry in this line either
                }
            }
            meters.counter("ecubridge.outbox.dropped", "sink", sink, "reason", "corrupt").increment();
            LOG.warn("Outbox {}: skipped a corrupt entry at byte {} of {} ({}){}", sink, at, journal,
                    Causes.root(e), rest == null ? "" : "; the entry after it on the same line is kept");
            if (rest != null) {
                return rest;
            }
            advance(next);
            return null;
        }
    }

    private Entry parse(String line, long next) throws IOException {
        JsonNode node = JSON.readTree(line);
        return new Entry(decode.apply(node.get("payload")), Instant.parse(node.get("stored").asText()), next);
    }

    /** Cuts a line torn by a kill mid-write, and counts what waits after the cursor, without loading the journal. */
    private void recover() throws IOException {
        if (!Files.exists(journal)) {
            Files.write(journal, new byte[0]);
        }
        cursor = readCursor();
        if (cursor > Files.size(journal)) {
            cursor = 0; // a journal replaced by hand: everything in it waits
        }
        entries = 0;
        long end = 0;
        long position = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(journal), 1 << 16)) {
            for (int b; (b = in.read()) >= 0; position++) {
                if (b == '\n') {
                    end = position + 1;
                    if (position >= cursor) {
                        entries++;
                    }
                }
            }
        }
        if (end != position) {
            LOG.warn("Outbox {}: cut {} bytes of a delivery torn by a crash", sink, position - end);
            try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
                ch.truncate(end);
                ch.force(true);
            }
        }
    }

    private long readCursor() throws IOException {
        if (!Files.exists(cursorFile)) {
            return 0;
        }
        String text = Files.readString(cursorFile).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            LOG.warn("Outbox {}: the cursor file holds '{}', no position; replaying the whole journal", sink, text);
            return 0;
        }
    }
}
