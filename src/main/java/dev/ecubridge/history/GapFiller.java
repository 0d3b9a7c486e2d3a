package dev.ecubridge.history;

import dev.ecubridge.exchange.ExchangeProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ecubridge.poll.Causes;
import dev.ecubridge.poll.PollCycle;
import dev.ecubridge.snapshot.Snapshot;
import dev.ecubridge.snapshot.SnapshotAssembler;
import dev.ecubridge.protocol.EcuRequest;
import dev.ecubridge.protocol.EnergyHistoryReply;
import dev.ecubridge.protocol.FrameError;
import dev.ecubridge.protocol.PowerOfDayReply;
import dev.ecubridge.protocol.StatusReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the gaps in an ECU's published data from its own memory. A snapshot more than one ECU refresh after the last
 * one published opens a gap; while one is open, each cycle ends with one more query ({@code 0003} power of a day, or
 * {@code 0004} energy of whole missed days), the {@code history} step of the {@code ecu-step} route. What the ECU
 * gives goes to InfluxDB and the files marked as history, never to MQTT. What it does not have is said in one log
 * line when the gap is done, and not asked again. Open gaps are kept in {@code <state>/<ecu id>.gaps.json}, so a
 * restart resumes them.
 */
public final class GapFiller {

    private static final Logger LOG = LoggerFactory.getLogger(GapFiller.class);
    private static final String ECU_ID = "EcuHistoryId";
    /** A snapshot this long after the last one has missed at least one ECU refresh (300 s, with room for jitter). */
    static final Duration GAP = Duration.ofSeconds(450);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final boolean enabled;
    private final int maxDays;
    private final Path stateDirectory;
    private final SnapshotAssembler gate;
    private final Map<String, Optional<LocalDateTime>> lastPublished = new ConcurrentHashMap<>();
    private final Map<String, EcuGaps> open = new ConcurrentHashMap<>();

    /** What is open for one ECU, as kept on disk. */
    public record EcuGaps(String ecuModel, String zone, List<Gap> gaps) {
        public EcuGaps {
            gaps = List.copyOf(gaps);
        }
    }

    /**
     * @param stateDirectory where this keeps the open gaps
     * @param gate           what knows each ECU's last published data time, also from before a restart
     */
    public GapFiller(boolean enabled, int maxDays, Path stateDirectory, SnapshotAssembler gate) {
        this.enabled = enabled;
        this.maxDays = maxDays;
        this.stateDirectory = stateDirectory;
        this.gate = gate;
    }

    /** Before the signal query (the body is its request): the last data time published, read once after a start. */
    public void remember(Exchange exchange) {
        String ecuId = exchange.getMessage().getBody(EcuRequest.class).ecuId();
        exchange.setProperty(ECU_ID, ecuId);
        lastPublished.computeIfAbsent(ecuId, id -> Optional.ofNullable(gate.lastPublished(id)));
        open.computeIfAbsent(ecuId, this::load);
    }

    /** After the snapshot was made (the body, or null): opens a gap if refreshes were missed; marks a history step due. */
    public void published(Exchange exchange) {
        String ecuId = exchange.getProperty(ECU_ID, String.class);
        if (exchange.getMessage().getBody() instanceof Snapshot s) {
            Optional<LocalDateTime> before = lastPublished.put(ecuId, Optional.of(s.localTime()));
            if (enabled && before != null && before.isPresent()
                    && Duration.between(before.get(), s.localTime()).compareTo(GAP) > 0) {
                open(s, before.get(), zone(exchange, s));
            }
        }
        exchange.setProperty(ExchangeProperties.HISTORY_DUE, enabled && !open.getOrDefault(ecuId, empty()).gaps().isEmpty());
    }

    /** The history step's query: the first task of the oldest open gap. */
    public void request(Exchange exchange) {
        String ecuId = exchange.getProperty(ECU_ID, String.class);
        Gap.Task task = open.get(ecuId).gaps().get(0).tasks().get(0);
        PollCycle.request(exchange, task.isCurve() ? EcuRequest.powerOfDay(ecuId, task.date())
                : EcuRequest.energyHistory(ecuId, task.period()));
    }

    /** The reply: the body becomes the {@link HistoryDay}s to write (none when the ECU has nothing). */
    public void received(Exchange exchange) {
        String ecuId = exchange.getProperty(ECU_ID, String.class);
        EcuGaps ecu = open.get(ecuId);
        Gap gap = ecu.gaps().get(0);
        Gap.Task task = gap.tasks().get(0);
        ZoneId zone = ZoneId.of(ecu.zone());
        Object reply = exchange.getMessage().getBody();
        List<HistoryDay> days = new ArrayList<>();
        Gap next;
        if (reply instanceof PowerOfDayReply p && task.isCurve()) {
            HistoryDay day = HistoryReplies.curve(ecuId, ecu.ecuModel(), zone, task.date(), p, gap::contains);
            if (!day.power().isEmpty()) {
                days.add(day);
            }
            next = gap.done(day.power().size(), 0, p.samples().isEmpty() ? task.describe() + " (no records)" : null);
        } else if (reply instanceof EnergyHistoryReply h && !task.isCurve()) {
            days.addAll(HistoryReplies.energy(ecuId, ecu.ecuModel(), zone, h, task.days()));
            next = gap.done(0, days.size(), days.size() < task.days().size()
                    ? task.describe() + " (" + (task.days().size() - days.size()) + " of " + task.days().size() + " days not in the reply)" : null);
        } else if (reply instanceof StatusReply s) {
            next = gap.done(0, 0, task.describe() + " (status " + s.status() + ": " + s.meaning() + ")");
        } else {
            next = attempted(gap, reply instanceof FrameError f ? f.message() : "unexpected reply " + reply);
        }
        exchange.getMessage().setBody(days);
        update(ecuId, ecu, next);
    }

    /** The query failed (timeout, connection): tried again next cycle, given up after {@link Gap#ATTEMPTS}. */
    public void failed(Exchange exchange) {
        String ecuId = exchange.getProperty(ECU_ID, String.class);
        EcuGaps ecu = open.get(ecuId);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.getMessage().setBody(List.of());
        update(ecuId, ecu, attempted(ecu.gaps().get(0), Causes.root(cause)));
    }

    private static Gap attempted(Gap gap, String problem) {
        Gap.Task task = gap.tasks().get(0);
        return task.attempts() + 1 >= Gap.ATTEMPTS
                ? gap.done(0, 0, task.describe() + " (" + Gap.ATTEMPTS + " attempts failed: " + problem + ")")
                : gap.retry();
    }

    private void open(Snapshot s, LocalDateTime from, ZoneId zone) {
        Gap gap = Gap.of(from, s.localTime(), maxDays);
        LOG.info("ECU {}: no data between {} and {}; filling the gap from the ECU's memory, one query per cycle ({} queries)",
                s.ecuId(), from, s.localTime(), gap.tasks().size());
        List<Gap> gaps = new ArrayList<>(open.getOrDefault(s.ecuId(), empty()).gaps());
        gaps.add(gap);
        update(s.ecuId(), new EcuGaps(s.ecuModel(), zone.getId(), gaps), null);
    }

    /** Replaces the oldest gap by {@code next} (null: adds nothing), closing it with its one log line when done. */
    private void update(String ecuId, EcuGaps ecu, Gap next) {
        List<Gap> gaps = new ArrayList<>(ecu.gaps());
        if (next != null) {
            gaps.set(0, next);
            if (next.tasks().isEmpty()) {
                gaps.remove(0);
                LOG.info("ECU {}: gap {} to {} filled from the ECU's memory: {} power points, the energy of {} days{}", ecuId,
                        next.from(), next.to(), next.points(), next.days(),
                        next.missing().isEmpty() ? "" : "; the ECU did not have: " + String.join("; ", next.missing()));
            }
        }
        EcuGaps updated = new EcuGaps(ecu.ecuModel(), ecu.zone(), gaps);
        open.put(ecuId, updated);
        save(ecuId, updated);
    }

    /** The snapshot's zone: the ECU's configured one, else the offset its time was read in. */
    private static ZoneId zone(Exchange exchange, Snapshot s) {
        ZoneId configured = exchange.getProperty(ExchangeProperties.ZONE, ZoneId.class);
        return configured != null ? configured
                : ZoneOffset.ofTotalSeconds((int) Duration.between(s.time(), s.localTime().toInstant(ZoneOffset.UTC)).getSeconds());
    }

    private static EcuGaps empty() {
        return new EcuGaps(null, null, List.of());
    }

    private EcuGaps load(String ecuId) {
        Path file = gapsFile(ecuId);
        if (!Files.exists(file)) {
            return empty();
        }
        try {
            EcuGaps gaps = JSON.readValue(file.toFile(), EcuGaps.class);
            LOG.info("ECU {}: {} gaps still to fill from the ECU's memory", ecuId, gaps.gaps().size());
            return gaps;
        } catch (IOException e) {
            LOG.warn("ECU {}: cannot read {} ({}); its gaps are not filled", ecuId, file, e.getMessage());
            return empty();
        }
    }

    private void save(String ecuId, EcuGaps gaps) {
        Path file = gapsFile(ecuId);
        try {
            if (gaps.gaps().isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, JSON.writeValueAsString(gaps));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("ECU {}: cannot save {}: {}", ecuId, file, e.getMessage());
        }
    }

    private Path gapsFile(String ecuId) {
        return stateDirectory.resolve(ecuId + ".gaps.json");
    }
}
