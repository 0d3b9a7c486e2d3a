package dev.ecubridge.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    @TempDir
    Path dir;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final dev.ecubridge.simulator.MutableClock clock =
            new dev.ecubridge.simulator.MutableClock(Instant.parse("2026-06-21T10:00:00Z"), ZoneOffset.UTC);

    private Outbox outbox(int maxEntries, Duration maxAge) {
        return new Outbox(dir, "test", maxEntries, maxAge, clock, meters, p -> new TextNode((String) p), n -> n.asText());
    }

    /** A disk that, while {@code full} is set, writes half of a line and then fails as a full disk does. */
    private final AtomicBoolean full = new AtomicBoolean();
    private final Outbox.Appender disk = (channel, line) -> {
        if (full.get()) {
            line.limit(line.position() + line.remaining() / 2);
            channel.write(line);
            throw new IOException("No space left on device");
        }
        Outbox.FORCED.append(channel, line);
    };

    private Outbox onDisk(int maxEntries) {
        return new Outbox(dir, "test", maxEntries, Duration.ofDays(30), clock, meters, p -> new TextNode((String) p),
                n -> n.asText(), disk);
    }

    private Path journal() {
        return dir.resolve("test/queue.jsonl");
    }

    private static String entry(String payload) {
        return "{\"stored\":\"2026-06-21T10:00:00Z\",\"payload\":\"" + payload + "\"}\n";
    }

    private double dropped(String reason) {
        return meters.counter("ecubridge.outbox.dropped", "sink", "test", "reason", reason).count();
    }

    private static List<Object> drain(Outbox o) {
        List<Object> out = new ArrayList<>();
        while (o.hasNext()) {
            out.add(o.next());
            o.acknowledge();
        }
        return out;
    }

    @Test
    void keepsOrderAndForgetsWhatWasDelivered() {
        Outbox o = outbox(100, Duration.ofDays(30));
        assertThat(o.isEmpty()).isTrue();
        o.offer("a");
        o.offer("b");
        o.offer("c");
        assertThat(o.next()).isEqualTo("a");
        o.acknowledge();
        assertThat(o.size()).isEqualTo(2);
        assertThat(drain(o)).containsExactly("b", "c");
        assertThat(o.isEmpty()).isTrue();
    }

    @Test
    void whatWaitsSurvivesARestart() {
        Outbox o = outbox(100, Duration.ofDays(30));
        o.offer("a");
        o.offer("b");
        o.next();
        o.acknowledge();
        o.offer("c");
        assertThat(drain(outbox(100, Duration.ofDays(30)))).containsExactly("b", "c");
    }

    @Test
    void aLineTornByAKillIsCutAndTheRestKept() throws Exception {
        Outbox o = outbox(100, Duration.ofDays(30));
        o.offer("a");
        o.offer("b");
        Files.writeString(dir.resolve("test/queue.jsonl"), "{\"stored\":\"2026-06-21T10:0", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        assertThat(drain(outbox(100, Duration.ofDays(30)))).containsExactly("a", "b");
    }

    @Test
    void whenFullTheOldestIsDroppedAndCounted() {
        Outbox o = outbox(3, Duration.ofDays(30));
        for (String s : List.of("a", "b", "c", "d", "e")) {
            o.offer(s);
        }
        assertThat(o.size()).isEqualTo(3);
        assertThat(drain(o)).containsExactly("c", "d", "e");
        assertThat(meters.counter("ecubridge.outbox.dropped", "sink", "test", "reason", "full").count()).isEqualTo(2);
    }

    @Test
    void whatIsTooOldIsDroppedAndCounted() {
        Outbox o = outbox(100, Duration.ofDays(2));
        o.offer("old");
        clock.advance(Duration.ofDays(3));
        o.offer("new");
        assertThat(drain(o)).containsExactly("new");
        assertThat(meters.counter("ecubridge.outbox.dropped", "sink", "test", "reason", "age").count()).isEqualTo(1);
    }

    @Test
    void aCorruptEntryInTheMiddleIsSkippedOnceAndCountedAlsoAfterARestart() throws Exception {
        Files.createDirectories(journal().getParent());
        Files.writeString(journal(), entry("a") + "{\"stored\":\"2026-06-21T10:0\n" + entry("b") + "not json at all\n" + entry("c"));
        try (LogLines log = LogLines.of(Outbox.class)) {
            Outbox o = outbox(100, Duration.ofDays(30));
            assertThat(o.size()).isEqualTo(5);
            assertThat(drain(o)).containsExactly("a", "b", "c");
            assertThat(dropped("corrupt")).isEqualTo(2);
            assertThat(log.containing("skipped a corrupt entry")).hasSize(2);
        }
        assertThat(outbox(100, Duration.ofDays(30)).isEmpty()).as("nothing replayed again after a restart").isTrue();
    }

    @Test
    void aRestartAfterCorruptionReplaysOnlyTheGoodEntries() throws Exception {
        Files.createDirectories(journal().getParent());
        Files.writeString(journal(), entry("a") + "\u0000\u0000garbage\n" + entry("b"));
        assertThat(drain(outbox(100, Duration.ofDays(30)))).containsExactly("a", "b");
        assertThat(dropped("corrupt")).isEqualTo(1);
    }

    @Test
    void aTornLineThatRunsIntoACompleteEntryKeepsThatEntry() throws Exception {
        Files.createDirectories(journal().getParent());
        Files.writeString(journal(), entry("a") + "{\"stored\":\"2026-06-21T10:00:00Z\",\"pay" + entry("b") + entry("c"));
        assertThat(drain(outbox(100, Duration.ofDays(30)))).containsExactly("a", "b", "c");
        assertThat(dropped("corrupt")).isEqualTo(1);
    }

    @Test
    void aCursorFileThatIsNoNumberReplaysTheJournal() throws Exception {
        Outbox o = outbox(100, Duration.ofDays(30));
        o.offer("a");
        Files.writeString(dir.resolve("test/cursor"), "garbage");
        assertThat(drain(outbox(100, Duration.ofDays(30)))).containsExactly("a");
    }

    @Test
    void aFullDiskKeepsDeliveriesInMemoryLogsOnceEachWayAndLeavesNoTornLine() throws Exception {
        try (LogLines log = LogLines.of(Outbox.class)) {
            Outbox o = onDisk(100);
            o.offer("a");
            full.set(true);
            for (int i = 0; i < 50; i++) {
                o.offer("m" + i);
            }
            assertThat(o.size()).isEqualTo(51);
            assertThat(o.problem()).contains("cannot write to disk").contains("No space left on device");
            assertThat(Files.readAllLines(journal())).as("the half-written lines were cut off again").hasSize(1);
            assertThat(log.containing("cannot write to disk")).hasSize(1);

            full.set(false);
            o.offer("b");
            assertThat(log.containing("writing to disk again")).hasSize(1);
            assertThat(o.problem()).doesNotContain("cannot write to disk");
            assertThat(Files.readAllLines(journal())).hasSize(52);
            List<Object> expected = new ArrayList<>(List.of("a"));
            for (int i = 0; i < 50; i++) {
                expected.add("m" + i);
            }
            expected.add("b");
            assertThat(drain(outbox(100, Duration.ofDays(30)))).as("all of it on disk, in order").containsExactlyElementsOf(expected);
            assertThat(dropped("corrupt")).isZero();
        }
    }

    @Test
    void whileTheDiskIsFullWhatWaitsInMemoryIsStillReplayedInOrder() {
        Outbox o = onDisk(100);
        o.offer("a");
        full.set(true);
        o.offer("b");
        o.offer("c");
        assertThat(drain(o)).containsExactly("a", "b", "c");
        assertThat(o.isEmpty()).isTrue();
    }

    @Test
    void reportsItsDepth() {
        Outbox o = outbox(100, Duration.ofDays(30));
        o.offer("a");
        o.offer("b");
        assertThat(meters.get("ecubridge.outbox.depth").tag("sink", "test").gauge().value()).isEqualTo(2);
    }
}
