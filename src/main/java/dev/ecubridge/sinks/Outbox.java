package dev.ecubridge.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.conversion.Causes;
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
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, ordered store of deliveries a sink could not take, replayed when it is back. An append-only journal of
 * JSON lines ({@code queue.jsonl}, each written and forced to disk before {@link #add} returns) and the position of
 * the next undelivered line ({@code cursor}, replaced atomically). A hard kill loses nothing that was added; a line
 * torn by a kill mid-write is cut off at start. Bounded in entries and age: what it drops is counted and logged.
 * Deliveries are at least once: one whose delivery was interrupted by a kill is sent again.
 */
public final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String sink;
    private final Path journal;
    private final Path cursorFile;
    private final int maxEntries;
    private final Duration maxAge;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Function<Object, JsonNode> encode;
    private final Function<JsonNode, Object> decode;
    private long cursor;
    private int entries;
    /** The oldest entry as read from disk, until it is delivered or dropped. */
    private Entry head;

    /** One stored delivery: its payload, when it was stored, and where the next one starts. */
    public record Entry(Object payload, Instant stored, long next) {
    }

    public Outbox(Path directory, String sink, int maxEntries, Duration maxAge, Clock clock, MeterRegistry meters,
                  Function<Object, JsonNode> encode, Function<JsonNode, Object> decode) {
        this.sink = sink;
        this.maxEntries = maxEntries;
        this.maxAge = maxAge;
        this.clock = clock;
        this.meters = meters;
        this.encode = encode;
        this.decode = decode;
        try {
            Path dir = directory.resolve(sink);
            Files.createDirectories(dir);
            this.journal = dir.resolve("queue.jsonl");
            this.cursorFile = dir.resolve("cursor");
            recover();
        } catch (IOException e) {
            throw new UncheckedIOException("outbox " + sink + ": " + e.getMessage(), e);
        }
        Gauge.builder("ecubridge.outbox.depth", this, Outbox::size).tag("sink", sink).register(meters);
        if (entries > 0) {
            LOG.info("Outbox {}: {} deliveries waiting from before the restart; replaying them when the sink is back", sink, entries);
        }
    }

    public synchronized boolean isEmpty() {
        return entries == 0;
    }

    public synchronized int size() {
        return entries;
    }

    /** Stores a delivery durably, after the ones already waiting. */
    public synchronized void add(Object payload) {
        if (entries >= maxEntries) {
            Entry oldest = peek();
            if (oldest != null) {
                drop(oldest, "full");
            }
        }
        ObjectNode line = JSON.createObjectNode();
        line.put("stored", clock.instant().toString());
        line.set("payload", encode.apply(payload));
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(bytes));
            ch.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("outbox " + sink + ": cannot store a delivery: " + e.getMessage(), e);
        }
        if (entries++ == 0) {
            LOG.warn("Outbox {}: the sink is not taking deliveries; keeping them on disk in {}", sink, journal.getParent());
        }
        meters.counter("ecubridge.outbox.stored", "sink", sink).increment();
    }

    /**
     * A delivery the sink refused (the exchange's body; the cause in its caught exception): stored, with one log line
     * for each outage rather than one per delivery.
     */
    public synchronized void store(Exchange exchange) {
        boolean first = entries == 0;
        add(exchange.getMessage().getBody());
        if (first) {
            Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            LOG.warn("Outbox {}: cause: {}", sink, Causes.root(cause));
        }
    }

    /**
     * The sink refused a delivery for good (InfluxDB: 400, 413, 422 — the data itself is wrong): kept, it would block
     * every delivery behind it. Dropped with its content in the log and counted, whether it came straight from the
     * pipeline ({@code queued} false) or was the oldest waiting one.
     */
    public synchronized void refused(Exchange exchange, boolean queued) {
        Object payload = exchange.getMessage().getBody();
        if (queued) {
            Entry e = peek();
            if (e == null) {
                return;
            }
            payload = e.payload();
            advance(e.next());
        }
        meters.counter("ecubridge.outbox.dropped", "sink", sink, "reason", "rejected").increment();
        LOG.warn("Outbox {}: the sink rejected a delivery for good ({}); dropped: {}", sink,
                Causes.root(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)), encode.apply(payload));
    }

    public void refusedNew(Exchange exchange) {
        refused(exchange, false);
    }

    public void refusedQueued(Exchange exchange) {
        refused(exchange, true);
    }

    /** The oldest waiting delivery, or null; entries older than the age limit are dropped on the way. */
    public synchronized Entry peek() {
        while (entries > 0) {
            Entry e = head != null ? head : read(cursor);
            if (e == null) {
                entries = 0;
                return null;
            }
            if (Duration.between(e.stored(), clock.instant()).compareTo(maxAge) > 0) {
                drop(e, "age");
                continue;
            }
            head = e;
            return e;
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

    /** The oldest delivery has been taken by the sink: forget it. */
    public synchronized void delivered() {
        Entry e = peek();
        if (e != null) {
            advance(e.next());
            meters.counter("ecubridge.outbox.replayed", "sink", sink).increment();
            if (entries == 0) {
                LOG.info("Outbox {}: all waiting deliveries replayed", sink);
            }
        }
    }

    private void drop(Entry e, String reason) {
        advance(e.next());
        meters.counter("ecubridge.outbox.dropped", "sink", sink, "reason", reason).increment();
        LOG.warn("Outbox {}: dropped a delivery stored at {} ({}: limit {} entries, {} days)", sink, e.stored(),
                reason.equals("full") ? "outbox full" : "too old", maxEntries, maxAge.toDays());
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
        } catch (IOException e) {
            throw new UncheckedIOException("outbox " + sink + ": " + e.getMessage(), e);
        }
    }

    private Entry read(long at) {
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "r")) {
            if (at >= f.length()) {
                return null;
            }
            f.seek(at);
            String line = new String(f.readLine().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            JsonNode node = JSON.readTree(line);
            return new Entry(decode.apply(node.get("payload")), Instant.parse(node.get("stored").asText()), f.getFilePointer());
        } catch (IOException e) {
            throw new UncheckedIOException("outbox " + sink + ": " + e.getMessage(), e);
        }
    }

    /** Cuts a line torn by a kill mid-write, and counts what waits after the cursor, without loading the journal. */
    private void recover() throws IOException {
        if (!Files.exists(journal)) {
            Files.write(journal, new byte[0]);
        }
        cursor = Files.exists(cursorFile) ? Long.parseLong(Files.readString(cursorFile).trim()) : 0;
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
}
