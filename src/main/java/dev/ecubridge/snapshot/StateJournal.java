package dev.ecubridge.snapshot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate's state of all ECUs in one append-only file, {@code <state>/gate.jsonl}: one line
 * {@code {"ecu_id":"…","gate":{…}}} per save, where {@code gate} is {@link EcuHistory#json}; an ECU's last line wins.
 * One write per save, where a state file per ECU cost a write, a close and a rename into a directory of 20,000 entries
 * (31 % of the cycle workers' CPU at 10,000 ECUs). Not forced to disk, as the state files were not: a kill loses at
 * most the line being written, and that ECU's line before it stays.
 * <p>
 * The latest line of each ECU is kept in memory; when the file has grown past twice their size plus 1 MiB, and at
 * every start, it is rewritten with only those lines ({@code gate.jsonl.tmp}, renamed over it). An ECU without a line
 * goes on from its {@code <ecu id>.json} of an earlier version, which is deleted at the next rewrite that holds its
 * state.
 */
final class StateJournal implements Closeable {

    static final String FILE = "gate.jsonl";
    private static final Logger LOG = LoggerFactory.getLogger(StateJournal.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectReader LINE = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final long SLACK = 1 << 20;

    private final Path directory;
    private final Path file;
    private final Map<String, byte[]> latest = new HashMap<>();
    /** ECUs whose state file of an earlier version may still exist while their state is in the journal. */
    private final Set<String> legacyFiles = new HashSet<>();
    private long latestBytes;
    private long size;
    /** The size at which a rewrite failed (a full disk): not tried again before the file has grown by 1 MiB more. */
    private long failedRewriteAt;
    private FileChannel channel;

    StateJournal(Path directory) {
        this.directory = directory;
        this.file = directory.resolve(FILE);
        try {
            Files.createDirectories(directory);
            if (Files.exists(file)) {
                read();
            }
            legacyFiles.addAll(latest.keySet());
            rewrite();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the gate's state in " + file, e);
        }
    }

    /** What the gate saved last of this ECU (its {@link EcuHistory#json}); null when nothing. */
    JsonNode gate(String ecuId) {
        byte[] line;
        synchronized (this) {
            line = latest.get(ecuId);
        }
        if (line != null) {
            try {
                return JSON.readTree(line).get("gate");
            } catch (IOException e) {
                throw new UncheckedIOException(e); // cannot happen: parsed at start, or made from EcuHistory#json
            }
        }
        return legacy(ecuId);
    }

    /** Appends the ECU's state as one line; a write that fails half-way is cut off again, so no torn line stays. */
    void save(String ecuId, byte[] gate) {
        byte[] line = line(ecuId, gate);
        synchronized (this) {
            byte[] before = latest.put(ecuId, line);
            latestBytes += line.length - (before == null ? 0 : before.length);
            try {
                ByteBuffer bytes = ByteBuffer.wrap(line);
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                size += line.length;
            } catch (IOException e) {
                LOG.warn("ECU {}: cannot save the gate's state to {}: {}", ecuId, file, e.toString());
                cut();
                return;
            }
            if (size > Math.max(2 * latestBytes, failedRewriteAt) + SLACK) {
                try {
                    rewrite();
                } catch (IOException e) {
                    failedRewriteAt = size;
                    LOG.warn("Cannot rewrite {} with the latest state of each ECU: {}", file, e.toString());
                }
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    /** Reads the latest line of each ECU; a line that is no whole state (torn by a kill mid-write) is skipped. */
    private void read() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            ByteArrayOutputStream line = new ByteArrayOutputStream(2048);
            int number = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        line.write(buffer, start, i + 1 - start);
                        remember(line.toByteArray(), ++number);
                        line.reset();
                        start = i + 1;
                    }
                }
                line.write(buffer, start, n - start);
            }
            if (line.size() > 0) {
                line.write('\n');
                remember(line.toByteArray(), ++number);
            }
        }
        LOG.info("Gate: the state of {} ECUs read from {}", latest.size(), file);
    }

    private void remember(byte[] line, int number) {
        try {
            JsonNode node = LINE.readTree(line);
            if (node.path("ecu_id").isTextual() && node.path("gate").isObject()) {
                byte[] before = latest.put(node.get("ecu_id").asText(), line);
                latestBytes += line.length - (before == null ? 0 : before.length);
                return;
            }
        } catch (IOException e) {
            // not JSON: reported below
        }
        LOG.warn("Gate: skipped line {} of {}, not a whole ECU state (torn by a kill mid-write?): {} bytes", number, file,
                line.length - 1);
    }

    /** Replaces the file by the latest line of each ECU, then deletes the state files these lines supersede. */
    private void rewrite() throws IOException {
        Path tmp = directory.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        FileChannel rewritten = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(rewritten), 1 << 16);
            for (byte[] line : latest.values()) {
                out.write(line);
            }
            out.flush(); // not closed: that would close the channel, which goes on appending
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            rewritten.close();
            throw e;
        }
        FileChannel replaced = channel;
        channel = rewritten;
        size = latestBytes;
        failedRewriteAt = 0;
        if (replaced != null) {
            replaced.close();
        }
        deleteLegacyFiles();
    }

    private void deleteLegacyFiles() {
        for (Iterator<String> ids = legacyFiles.iterator(); ids.hasNext(); ) {
            String ecuId = ids.next();
            if (latest.containsKey(ecuId)) {
                try {
                    Files.deleteIfExists(legacyFile(ecuId));
                    ids.remove();
                } catch (IOException e) {
                    LOG.warn("ECU {}: cannot delete {}, which the gate no longer reads: {}", ecuId, legacyFile(ecuId), e.toString());
                }
            }
        }
    }

    /** The state file of an earlier version, read when the journal has nothing of the ECU (an upgrade). */
    private JsonNode legacy(String ecuId) {
        Path legacy = legacyFile(ecuId);
        if (!Files.exists(legacy)) {
            return null;
        }
        try {
            JsonNode gate = JSON.readTree(legacy.toFile());
            synchronized (this) {
                legacyFiles.add(ecuId);
            }
            return gate;
        } catch (IOException e) {
            LOG.warn("ECU {}: cannot read {} ({}); starting without history", ecuId, legacy, e.getMessage());
            return null;
        }
    }

    /** After a failed write: cuts what it left, so that the next line does not run into a torn one. */
    private void cut() {
        try {
            channel.truncate(size);
        } catch (IOException e) {
            LOG.warn("Cannot cut a line torn by a failed write from {} ({}); it is skipped at the next start", file, e.toString());
        }
    }

    private Path legacyFile(String ecuId) {
        return directory.resolve(ecuId + ".json");
    }

    private static byte[] line(String ecuId, byte[] gate) {
        byte[] id;
        try {
            id = JSON.writeValueAsBytes(ecuId);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a string to memory: cannot happen
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream(gate.length + id.length + 24);
        line.writeBytes("{\"ecu_id\":".getBytes(StandardCharsets.UTF_8));
        line.writeBytes(id);
        line.writeBytes(",\"gate\":".getBytes(StandardCharsets.UTF_8));
        line.writeBytes(gate);
        line.writeBytes("}\n".getBytes(StandardCharsets.UTF_8));
        return line.toByteArray();
    }
}
