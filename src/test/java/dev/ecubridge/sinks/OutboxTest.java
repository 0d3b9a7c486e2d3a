package dev.ecubridge.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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

    private static List<Object> drain(Outbox o) {
        List<Object> out = new ArrayList<>();
        while (o.hasNext()) {
            out.add(o.next());
            o.delivered();
        }
        return out;
    }

    @Test
    void keepsOrderAndForgetsWhatWasDelivered() {
        Outbox o = outbox(100, Duration.ofDays(30));
        assertThat(o.isEmpty()).isTrue();
        o.add("a");
        o.add("b");
        o.add("c");
        assertThat(o.next()).isEqualTo("a");
        o.delivered();
        assertThat(o.size()).isEqualTo(2);
        assertThat(drain(o)).containsExactly("b", "c");
        assertThat(o.isEmpty()).isTrue();
        assertThat(meters.counter("ecubridge.outbox.replayed", "sink", "test").count()).isEqualTo(3);
    }

    @Test
    void whatWaitsSurvivesARestart() {
        Outbox o = outbox(100, Duration.ofDays(30));
        o.add("a");
        o.add("b");
        o.next();
        o.delivered();
        o.add("c");
        assertThat(drain(outbox(100, Duration.ofDays(30)))).containsExactly("b", "c");
    }

    @Test
    void aLineTornByAKillIsCutAndTheRestKept() throws Exception {
        Outbox o = outbox(100, Duration.ofDays(30));
        o.add("a");
        o.add("b");
        Files.writeString(dir.resolve("test/queue.jsonl"), "{\"stored\":\"2026-06-21T10:0", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        assertThat(drain(outbox(100, Duration.ofDays(30)))).containsExactly("a", "b");
    }

    @Test
    void whenFullTheOldestIsDroppedAndCounted() {
        Outbox o = outbox(3, Duration.ofDays(30));
        for (String s : List.of("a", "b", "c", "d", "e")) {
            o.add(s);
        }
        assertThat(o.size()).isEqualTo(3);
        assertThat(drain(o)).containsExactly("c", "d", "e");
        assertThat(meters.counter("ecubridge.outbox.dropped", "sink", "test", "reason", "full").count()).isEqualTo(2);
    }

    @Test
    void whatIsTooOldIsDroppedAndCounted() {
        Outbox o = outbox(100, Duration.ofDays(2));
        o.add("old");
        clock.advance(Duration.ofDays(3));
        o.add("new");
        assertThat(drain(o)).containsExactly("new");
        assertThat(meters.counter("ecubridge.outbox.dropped", "sink", "test", "reason", "age").count()).isEqualTo(1);
    }

    @Test
    void reportsItsDepth() {
        Outbox o = outbox(100, Duration.ofDays(30));
        o.add("a");
        o.add("b");
        assertThat(meters.get("ecubridge.outbox.depth").tag("sink", "test").gauge().value()).isEqualTo(2);
    }
}
