package dev.ecubridge.poll;

import dev.ecubridge.app.EcusFile;
import dev.ecubridge.app.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ECUs being polled: those of the settings at start and, with {@code ecubridge.ecus-file}, whatever that file
 * lists whenever it changes. Added ECUs start (their first polls spread), removed ones stop after their cycle in
 * flight, the others keep their state and rhythm. A bad line is reported with its number and the rest keep running.
 */
public final class Fleet {

    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);
    /** First polls of ECUs added together are spread over the interval, but never further apart than this. */
    private static final Duration MAX_SPREAD_STEP = Duration.ofSeconds(1);

    private final PollScheduler scheduler;
    private final EcuConnections connections;
    private final EcuHealth health;
    private final HealthCheckRegistry checks;
    private final Function<String, HealthCheck> checkOf;
    private final Consumer<String> onAdded;
    private final Duration interval;
    private final Map<String, Settings.Ecu> ecus = new LinkedHashMap<>();
    private final Map<String, HealthCheck> registered = new LinkedHashMap<>();
    private String fileVersion;
    private String seenVersion;

    /**
     * @param checks  where the health check of each ECU is registered (null when health checks are off)
     * @param checkOf the health check of one ECU
     * @param onAdded what else watches an ECU from the moment it is added (its metrics)
     */
    public Fleet(PollScheduler scheduler, EcuConnections connections, EcuHealth health, HealthCheckRegistry checks,
                 Function<String, HealthCheck> checkOf, Consumer<String> onAdded, Duration interval) {
        this.scheduler = scheduler;
        this.connections = connections;
        this.health = health;
        this.checks = checks;
        this.checkOf = checkOf;
        this.onAdded = onAdded;
        this.interval = interval;
    }

    /** Polls {@code first} from now on, the first cycle after {@code firstPoll}. */
    public synchronized void start(List<Settings.Ecu> first, Duration firstPoll) {
        apply(first, firstPoll, name -> null);
    }

    /**
     * Polls {@code next} from now on (cluster mode: the ECUs of the partitions this instance owns): added ECUs start
     * within {@code firstPoll} plus their spread, removed ones stop after their cycle in flight, the others go on.
     * Completes when the removed ones' cycles in flight have ended.
     */
    public synchronized CompletableFuture<Void> replace(List<Settings.Ecu> next, Duration firstPoll) {
        return replace(next, firstPoll, name -> null);
    }

    /**
     * As {@link #replace(List, Duration)}, but an added ECU for which {@code resume} gives a delay (one polled before,
     * by another instance) has its first cycle after that delay instead, keeping its rhythm.
     */
    public synchronized CompletableFuture<Void> replace(List<Settings.Ecu> next, Duration firstPoll,
                                                        Function<String, Duration> resume) {
        return apply(next, firstPoll, resume);
    }

    /** Re-reads {@code file} from now on whenever it has changed and then stayed unchanged for one {@code period}. */
    public void watch(Path file, Duration period) {
        fileVersion = version(file);
        seenVersion = fileVersion;
        scheduler.every(period, () -> reloadIfChanged(file));
    }

    synchronized void reloadIfChanged(Path file) {
        String version = version(file);
        boolean settled = Objects.equals(version, seenVersion);
        seenVersion = version;
        if (!settled || Objects.equals(version, fileVersion)) {
            return; // unchanged, or still being written
        }
        fileVersion = version;
        try {
            EcusFile read = EcusFile.read(file);
            read.problems().forEach(LOG::warn);
            apply(read.ecus(), Duration.ZERO, name -> null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ecubridge.ecus-file={}: cannot read it ({}); polling the ECUs read before", file, e.toString());
        }
    }

    private CompletableFuture<Void> apply(List<Settings.Ecu> next, Duration firstPoll, Function<String, Duration> resume) {
        Map<String, Settings.Ecu> wanted = new LinkedHashMap<>();
        next.forEach(e -> wanted.put(e.name(), e));
        List<String> gone = ecus.keySet().stream().filter(name -> !wanted.containsKey(name)).toList();
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (String name : gone) {
            ecus.remove(name);
            CompletableFuture<Void> done = new CompletableFuture<>();
            stopping.add(done);
            scheduler.remove(name, () -> stopped(name).whenComplete((closed, failed) -> done.complete(null)));
        }
        List<Settings.Ecu> added = new ArrayList<>();
        Map<String, Duration> resumed = new LinkedHashMap<>();
        for (Settings.Ecu ecu : wanted.values()) {
            Settings.Ecu before = ecus.put(ecu.name(), ecu);
            Duration delay = before == null ? resume.apply(ecu.name()) : null;
            if (delay != null) {
                resumed.put(ecu.name(), delay);
                start(ecu, delay);
            } else if (before == null) {
                added.add(ecu);
            } else if (!before.equals(ecu)) {
                open(ecu);
                scheduler.update(ecu);
                LOG.info("ECU {}: now {}:{}{}", ecu.name(), ecu.host(), ecu.port(), ecu.zone() == null ? "" : " in " + ecu.zone());
            }
        }
        Duration step = spreadStep(added.size());
        for (int i = 0; i < added.size(); i++) {
            start(added.get(i), firstPoll.plus(step.multipliedBy(i)));
        }
        if (!gone.isEmpty() || !added.isEmpty() || !resumed.isEmpty()) {
            LOG.info("Polling {} ECUs ({} added{}, {} removed)", ecus.size(), added.size() + resumed.size(),
                    resumed.isEmpty() ? "" : ", " + resumed.size() + " of them in the rhythm of their last poll", gone.size());
        }
        return CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new));
    }

    private void start(Settings.Ecu ecu, Duration firstPoll) {
        open(ecu);
        health.watch(ecu.name());
        onAdded.accept(ecu.name());
        if (checks != null) {
            HealthCheck check = checkOf.apply(ecu.name());
            checks.register(check);
            registered.put(ecu.name(), check);
        }
        scheduler.add(ecu, firstPoll);
    }

    /** So that ECUs added together never connect in the same second: spread over the interval, at most 1 s apart. */
    private Duration spreadStep(int added) {
        if (added <= 1) {
            return Duration.ZERO;
        }
        Duration even = interval.dividedBy(added);
        return even.compareTo(MAX_SPREAD_STEP) < 0 ? even : MAX_SPREAD_STEP;
    }

    private void open(Settings.Ecu ecu) {
        try {
            connections.open(ecu);
        } catch (Exception e) {
            LOG.warn("ECU {}: cannot make its connection to {}:{} ({})", ecu.name(), ecu.host(), ecu.port(), e.toString());
        }
    }

    /**
     * Its last cycle has ended: unless it came back meanwhile, it leaves health and its connection closes. Completes
     * once its last connection is closed.
     */
    private synchronized CompletableFuture<Void> stopped(String name) {
        if (ecus.containsKey(name)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> closed = connections.close(name);
        health.forget(name);
        HealthCheck check = registered.remove(name);
        if (check != null) {
            checks.unregister(check);
        }
        return closed;
    }

    private static String version(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime() + " " + a.size() + " " + a.fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
