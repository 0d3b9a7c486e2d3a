package dev.ecubridge.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ecubridge.poll.Causes;
import dev.ecubridge.protocol.EcuRequest;
import dev.ecubridge.protocol.EnergyHistoryReply;
import dev.ecubridge.protocol.EnergyPeriod;
import dev.ecubridge.protocol.FrameError;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.PowerOfDayReply;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.StatusReply;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The {@code backfill} command's work: what one ECU keeps of a period, one query at a time with a pause between them,
 * handed to the sinks as {@link HistoryDay}s. Each date imported (or that the ECU has nothing for) is recorded in
 * {@code <state>/<ecu id>.backfill.json} after its query, so an interrupted run resumes and a second run writes
 * nothing twice.
 */
public final class Backfill {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final int BAR = 30;

    /** Sends one query to the ECU; the reply, or the exception that failed it. */
    public interface Ecu {
        Object query(EcuRequest request);
    }

    /** What was imported, per kind, in the state file. */
    public record Done(TreeSet<LocalDate> curves, TreeSet<LocalDate> energy) {
    }

    /** What a run did. */
    public record Summary(int queries, int points, int energyDays, int skipped, List<String> missing, List<String> failed,
                          boolean interrupted) {
    }

    private final Ecu ecu;
    private final Consumer<HistoryDay> sinks;
    private final long pauseMillis;
    private final ZoneId zone;
    private final Path stateDirectory;
    private final PrintWriter progress;
    private final BooleanSupplier stopping;
    private int queries;

    /** @param stopping true once the run should stop after its current query (Ctrl-C) */
    public Backfill(Ecu ecu, Consumer<HistoryDay> sinks, long pauseMillis, ZoneId zone, Path stateDirectory, PrintWriter progress,
                    BooleanSupplier stopping) {
        this.stopping = stopping;
        this.ecu = ecu;
        this.sinks = sinks;
        this.pauseMillis = pauseMillis;
        this.zone = zone;
        this.stateDirectory = stateDirectory;
        this.progress = progress;
    }

    /**
     * Imports {@code from} to {@code to} (at most the ECU's yesterday: today is not over, and live polling has it):
     * the daily energy, then each day's power curve.
     */
    public Summary run(LocalDate from, LocalDate to) throws Exception {
        InfoReply info = expect(ask(EcuRequest.info()), InfoReply.class);
        RealtimeReply now = expect(ask(EcuRequest.realtime(info.ecuId())), RealtimeReply.class);
        LocalDate today = now.timestamp().toLocalDate(); // the ECU's own date
        LocalDate yesterday = today.minusDays(1);
        LocalDate last = to == null || to.isAfter(yesterday) ? yesterday : to;
        Path file = stateDirectory.resolve(info.ecuId() + ".backfill.json");
        Done done = Files.exists(file) ? JSON.readValue(file.toFile(), Done.class) : new Done(new TreeSet<>(), new TreeSet<>());

        List<Runnable> work = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int[] counts = new int[3]; // points, energy days, skipped
        List<LocalDate> week = new ArrayList<>();
        List<LocalDate> month = new ArrayList<>();
        List<LocalDate> old = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(last); d = d.plusDays(1)) {
            if (done.energy().contains(d)) {
                counts[2]++;
            } else if (!d.isBefore(today.minusDays(6))) {
                week.add(d);
            } else if (!d.isBefore(today.withDayOfMonth(1))) {
                month.add(d);
            } else {
                old.add(d);
            }
        }
        if (!old.isEmpty()) {
            missing.add("daily energy of " + Gap.span(old) + " (the ECU keeps monthly totals only)");
        }
        for (List<LocalDate> days : List.of(week, month)) {
            if (days.isEmpty()) {
                continue;
            }
            EnergyPeriod period = days == week ? EnergyPeriod.WEEK : EnergyPeriod.MONTH;
            work.add(() -> energy(info, period, days, done, file, counts, missing, failed));
        }
        for (LocalDate d = from; !d.isAfter(last); d = d.plusDays(1)) {
            LocalDate date = d;
            if (done.curves().contains(d)) {
                counts[2]++;
            } else {
                work.add(() -> curve(info, date, done, file, counts, missing, failed));
            }
        }
        int i = 0;
        for (; i < work.size() && !stopping.getAsBoolean(); i++) {
            bar(i, work.size());
            work.get(i).run();
        }
        bar(i, work.size());
        progress.println();
        progress.flush();
        return new Summary(queries, counts[0], counts[1], counts[2], missing, failed, i < work.size());
    }

    private void curve(InfoReply info, LocalDate date, Done done, Path file, int[] counts,
                       List<String> missing, List<String> failed) {
        Object reply = ask(EcuRequest.powerOfDay(info.ecuId(), date));
        if (reply instanceof PowerOfDayReply p) {
            HistoryDay day = HistoryReplies.curve(info.ecuId(), info.ecuModel(), zone, date, p, t -> true);
            if (day.power().isEmpty()) {
                missing.add("power of " + date + " (no records)");
            } else {
                sinks.accept(day);
                counts[0] += day.power().size();
            }
        } else if (reply instanceof StatusReply s) {
            missing.add("power of " + date + " (status " + s.status() + ": " + s.meaning() + ")");
        } else {
            failed.add("power of " + date + ": " + problem(reply));
            return;
        }
        done.curves().add(date);
        save(file, done);
    }

    private void energy(InfoReply info, EnergyPeriod period, List<LocalDate> days, Done done, Path file, int[] counts,
                        List<String> missing, List<String> failed) {
        Object reply = ask(EcuRequest.energyHistory(info.ecuId(), period));
        if (reply instanceof EnergyHistoryReply h) {
            List<HistoryDay> got = HistoryReplies.energy(info.ecuId(), info.ecuModel(), zone, h, days);
            got.forEach(sinks);
            counts[1] += got.size();
            if (got.size() < days.size()) {
                missing.add("daily energy of " + (days.size() - got.size()) + " of " + days.size() + " days of the " + period.name().toLowerCase()
                        + " (not in the reply)");
            }
        } else if (reply instanceof StatusReply s) {
            missing.add("daily energy of the " + period.name().toLowerCase() + " (status " + s.status() + ": " + s.meaning() + ")");
        } else {
            failed.add("daily energy of the " + period.name().toLowerCase() + ": " + problem(reply));
            return;
        }
        done.energy().addAll(days);
        save(file, done);
    }

    /** One query, after the pause that follows the one before: the ECU answers one request at a time. */
    private Object ask(EcuRequest request) {
        if (queries++ > 0) {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return ecu.query(request);
    }

    private static <T> T expect(Object reply, Class<T> type) {
        if (type.isInstance(reply)) {
            return type.cast(reply);
        }
        throw new IllegalStateException("the ECU did not answer the " + type.getSimpleName().replace("Reply", "").toLowerCase()
                + " query: " + problem(reply));
    }

    private static String problem(Object reply) {
        if (reply instanceof FrameError f) {
            return f.message();
        }
        if (reply instanceof StatusReply s) {
            return "status " + s.status() + ": " + s.meaning();
        }
        if (reply instanceof Throwable t) {
            return Causes.root(t);
        }
        return "unexpected reply " + reply;
    }

    private void bar(int done, int total) {
        int filled = total == 0 ? BAR : done * BAR / total;
        progress.print("\r[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + done + "/" + total + " queries");
        progress.flush();
    }

    private static void save(Path file, Done done) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, JSON.writeValueAsString(done));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot save the backfill's progress in " + file + ": " + e.getMessage(), e);
        }
    }
}
