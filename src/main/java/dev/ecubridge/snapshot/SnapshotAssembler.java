package dev.ecubridge.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ecubridge.conversion.BadDataTimeException;

import dev.ecubridge.gate.DataTimeRules;
import dev.ecubridge.gate.EnergyRules;
import dev.ecubridge.gate.LogLimiter;
import dev.ecubridge.gate.Plausibility;
import dev.ecubridge.gate.Reference;
import dev.ecubridge.gate.Rule;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.SignalReply;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one cycle's replies into a {@link Snapshot} and guards what the sinks receive, per ECU (a quality gate that a
 * bad reading cannot poison: a rejected value never becomes the reference for the next one):
 * <ul>
 * <li>the data time must be valid BCD (else the cycle fails, kind {@code bad-time}), lie within
 *     {@link Plausibility#maxClockSkew()} of this machine's clock, and advance; a repeat of it is the same ECU
 *     refresh and publishes nothing;</li>
 * <li>lifetime energy of 0, below the last good value, or rising faster than the installed inverters can produce, is
 *     rejected; so is today's energy that drops within the day, rises too fast, or exceeds lifetime;</li>
 * <li>today's energy starts at 0 at local midnight of the configured zone, even when the ECU resets at another hour;</li>
 * <li>a reference the ECU contradicts with {@link Plausibility#rebaseAfter()} consistent readings in a row is re-based;</li>
 * <li>inverters: see {@link InverterGate}; the ECU's total power is bounded by the installed rating too;</li>
 * <li>per-inverter and per-channel energy is integrated from the channel power ({@link EnergyMeter});</li>
 * <li>an ECU whose data time stops advancing is stale ({@link #staleSince}), logged once.</li>
 * </ul>
 */
public final class SnapshotAssembler implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotAssembler.class);

    private final ZoneId configuredZone;
    private final Clock clock;
    private final MeterRegistry meters;
    /** Null: memory only. */
    private final StateJournal journal;
    private final Plausibility limits;
    private final LogLimiter logLimiter;
    private final InverterGate inverterGate;
    private final Map<String, EcuHistory> history = new ConcurrentHashMap<>();

    public SnapshotAssembler(ZoneId zone, Clock clock, MeterRegistry meters, Path stateDirectory) {
        this(zone, clock, meters, stateDirectory, Plausibility.DEFAULTS);
    }

    /**
     * @param zone           the zone of the ECUs' time stamps; null: the zone an ECU-R-Pro/C reports, else the clock's zone
     * @param clock          this machine's clock, which ECU data times must stay near
     * @param stateDirectory where the gate keeps, per ECU, what it must remember across restarts ({@link StateJournal});
     *                       null: memory only
     */
    public SnapshotAssembler(ZoneId zone, Clock clock, MeterRegistry meters, Path stateDirectory, Plausibility limits) {
        this(zone, clock, meters, stateDirectory, limits, Night.UNAVAILABLE);
    }

    /** @param night what offline inverters publish: no measurements, or 0 W per channel */
    public SnapshotAssembler(ZoneId zone, Clock clock, MeterRegistry meters, Path stateDirectory, Plausibility limits,
                             Night night) {
        this.configuredZone = zone;
        this.clock = clock;
        this.meters = meters;
        this.journal = stateDirectory == null ? null : new StateJournal(stateDirectory);
        this.limits = limits;
        this.logLimiter = new LogLimiter(clock, Duration.ofHours(1));
        this.inverterGate = new InverterGate(meters, logLimiter, limits.energyMargin(), night);
    }

    /** The snapshot to publish, or null when it repeats the last one or its data time is rejected. */
    public Snapshot assemble(InfoReply info, RealtimeReply realtime, SignalReply signal, List<byte[]> frames)
            throws BadDataTimeException {
        return assemble(info, realtime, signal, frames, null);
    }

    /**
     * The snapshot to publish, or null when it repeats the last one or its data time is rejected.
     *
     * @param ecuZone the zone of this ECU's time stamps when it has its own; null: the configured one
     */
    public Snapshot assemble(InfoReply info, RealtimeReply realtime, SignalReply signal, List<byte[]> frames,
                             ZoneId ecuZone) throws BadDataTimeException {
        String ecuId = info.ecuId();
        EcuHistory h = history(ecuId);
        synchronized (h) {
            LocalDateTime stamp = realtime.timestamp();
            if (stamp == null) {
                noNewData(h, ecuId);
                throw new BadDataTimeException("realtime: the data time is not a valid BCD date and time; nothing published");
            }
            if (stamp.equals(h.lastSeen) || stamp.equals(h.time.value())) {
                count("ecubridge.snapshots.duplicate", ecuId);
                LOG.debug("ECU {}: data of {} already seen", ecuId, stamp);
                noNewData(h, ecuId);
                return null;
            }
            h.lastSeen = stamp;
            ZoneId zone = ecuZone != null ? ecuZone : zoneOf(info, h);
            Instant time = stamp.atZone(zone).toInstant();
            if (!timeAccepted(h, ecuId, stamp, time, zone)) {
                noNewData(h, ecuId);
                return null;
            }
            if (h.freshness.advanced(clock.instant())) {
                LOG.info("ECU {}: data time advances again ({})", ecuId, stamp);
            }
            List<InverterReading> readings = inverterGate.accepted(h, ecuId, realtime.inverters());
            double capacityW = InverterGate.capacityW(readings, info.invertersRegistered());
            Double lifetime = lifetime(h, info, stamp, capacityW);
            Double today = today(h, info, stamp, capacityW);
            Map<String, Integer> signals = InverterGate.signals(signal);
            List<InverterSnapshot> inverters = new ArrayList<>(readings.size());
            for (InverterReading r : readings) {
                inverters.add(inverterGate.snapshot(h, ecuId, stamp.atZone(zone), r, signals.get(r.uid())));
            }
            int online = (int) inverters.stream().filter(InverterSnapshot::online).count();
            count("ecubridge.snapshots.published", ecuId);
            save(ecuId, h);
            return new Snapshot(ecuId, info.ecuModel(), info.firmware(), time, stamp, ecuPower(ecuId, info, capacityW),
                    today, lifetime, inverters.size(), online, inverters, info, frames);
        }
    }

    /** The data time of the last snapshot published of the ECU, also before a restart; null: none. */
    public LocalDateTime lastPublished(String ecuId) {
        EcuHistory h = history(ecuId);
        synchronized (h) {
            return h.time.value();
        }
    }

    /** Since when the ECU's data time has not advanced, when that is longer than allowed; else null. */
    public Instant staleSince(String ecuId) {
        EcuHistory h = history.get(ecuId);
        if (h == null) {
            return null;
        }
        synchronized (h) {
            return h.freshness.staleSince();
        }
    }

    /**
     * What the gate remembers of an ECU, as it saves it (JSON); null when it has seen nothing of it. Cluster
     * mode writes it to the state topic, so the ECU's next owner goes on from it ({@link #restore}).
     */
    public byte[] state(String ecuId) {
        EcuHistory h = history.get(ecuId);
        if (h == null) {
            return null;
        }
        synchronized (h) {
            return h.json();
        }
    }

    /** Goes on from {@code state} ({@link #state}) for this ECU, whatever it remembered or saved before. */
    public void restore(String ecuId, JsonNode state) {
        EcuHistory h = EcuHistory.from(state, limits.staleAfter());
        history.put(ecuId, h);
        synchronized (h) {
            save(ecuId, h); // so that a later start in single-instance mode goes on from it too
        }
    }

    /** Closes the state journal: nothing is saved after this. */
    @Override
    public void close() throws IOException {
        if (journal != null) {
            journal.close();
        }
    }

    /** How many inverters the gate remembers for an ECU (bounded, whatever uids the ECU sends). */
    int rememberedInverters(String ecuId) {
        EcuHistory h = history.get(ecuId);
        return h == null ? 0 : h.reported.size();
    }

    private void noNewData(EcuHistory h, String ecuId) {
        if (h.freshness.unchanged(clock.instant())) {
            LOG.warn("ECU {}: stale: its data time has not advanced for {} min (last new data {}); it answers, but nothing "
                    + "new is published", ecuId, limits.staleAfter().toMinutes(), h.time.value());
        }
    }

    private boolean timeAccepted(EcuHistory h, String ecuId, LocalDateTime stamp, Instant time, ZoneId zone) {
        String outside = DataTimeRules.outsideWindow(time, clock.instant(), limits.maxClockSkew());
        if (outside != null) {
            rejected("ecubridge.time.rejected", ecuId, outside, "data time " + stamp + " (" + zone.getId() + ") lies more than "
                    + limits.maxClockSkew().toMinutes() + " min in the " + outside + " of this machine's clock "
                    + clock.instant() + "; nothing published. If the zone is wrong, set ecubridge.zone");
            return false;
        }
        Reference.Verdict verdict = h.time.offer(stamp, stamp, DataTimeRules.advancing(), limits.rebaseAfter());
        if (verdict == Reference.Verdict.REJECTED) {
            rejected("ecubridge.time.rejected", ecuId, "backwards", "data time " + stamp + " is " + h.time.reason()
                    + "; nothing published");
            return false;
        }
        if (verdict == Reference.Verdict.REBASED) {
            rebased(ecuId, "data time", h.time.reason().replace("not after the last data time ", ""), stamp);
        }
        return true;
    }

    private Double lifetime(EcuHistory h, InfoReply info, LocalDateTime stamp, double capacityW) {
        double kwh = info.lifetimeEnergyKwh();
        if (kwh <= 0) {
            energyRejected(info.ecuId(), "lifetime", kwh, "zero");
            return null;
        }
        return offered(h.lifetime, info.ecuId(), "lifetime", kwh, stamp,
                EnergyRules.counter(capacityW, limits.energyMargin(), "the last good value"));
    }

    private Double today(EcuHistory h, InfoReply info, LocalDateTime stamp, double capacityW) {
        double kwh = info.todayEnergyKwh();
        LocalDate day = stamp.toLocalDate();
        if (!day.equals(h.day)) {
            // a new local day: whatever the ECU still shows from yesterday is carried until it resets
            Double last = h.today.value();
            h.todayCarry = h.day != null && last != null && last > 0 && kwh >= last ? last : 0;
            h.day = day;
            h.today.set(0.0, day.atStartOfDay());
        }
        if (h.todayCarry > 0 && kwh < h.todayCarry) {
            h.todayCarry = 0; // the ECU has reset its own counter
        }
        double lifetime = info.lifetimeEnergyKwh();
        if (lifetime > 0 && kwh > lifetime + 0.1) {
            energyRejected(info.ecuId(), "today", kwh, "above the lifetime energy " + lifetime + " kWh of the same reading");
            return null;
        }
        double value = Math.max(0, round2(kwh - h.todayCarry));
        return offered(h.today, info.ecuId(), "today", value, stamp,
                EnergyRules.counter(capacityW, limits.energyMargin(), "earlier today"));
    }

    private Double offered(Reference<Double> reference, String ecuId, String counter, double kwh, LocalDateTime stamp,
                           Rule<Double> rule) {
        Double before = reference.value();
        switch (reference.offer(kwh, stamp, rule, limits.rebaseAfter())) {
            case ACCEPTED:
                return kwh;
            case REBASED:
                rebased(ecuId, counter + " energy", before + " kWh", kwh + " kWh");
                return kwh;
            default:
                energyRejected(ecuId, counter, kwh, reference.reason());
                return null;
        }
    }

    /** The ECU's current power, unless it exceeds what its inverters can deliver. */
    private Integer ecuPower(String ecuId, InfoReply info, double capacityW) {
        long watts = info.currentPowerW();
        if (watts <= capacityW * limits.energyMargin()) {
            return (int) watts;
        }
        meters.counter("ecubridge.values.rejected", "ecu_id", ecuId, "quantity", "ecu-power").increment();
        if (logLimiter.allow(ecuId + " ecu-power")) {
            LOG.warn("ECU {}: current power {} W is more than its inverters' {} W; published as no data", ecuId, watts, (long) capacityW);
        }
        return null;
    }

    private void energyRejected(String ecuId, String counter, double kwh, String why) {
        rejected("ecubridge.energy.rejected", ecuId, counter, (counter.equals("today") ? "today's energy " : "lifetime energy ")
                + kwh + " kWh rejected (" + why + "); not published");
    }

    /** Counted every time, logged at most once an hour per ECU and kind. */
    private void rejected(String metric, String ecuId, String kind, String message) {
        meters.counter(metric, "ecu_id", ecuId, metric.contains("energy") ? "counter" : "reason", kind).increment();
        if (logLimiter.allow(ecuId + " " + metric + " " + kind)) {
            LOG.warn("ECU {}: {} (further ones this hour are only counted: {})", ecuId, message, metric);
        }
    }

    private void rebased(String ecuId, String what, Object from, Object to) {
        count("ecubridge.gate.rebased", ecuId);
        LOG.warn("ECU {}: {} re-based from {} to {}: {} readings in a row contradicted the last good value and agreed with "
                + "each other", ecuId, what, from, to, limits.rebaseAfter());
    }

    private EcuHistory history(String ecuId) {
        return history.computeIfAbsent(ecuId,
                id -> EcuHistory.load(id, journal == null ? null : journal.gate(id), limits.staleAfter()));
    }

    private void save(String ecuId, EcuHistory h) {
        if (journal != null) {
            journal.save(ecuId, h.json());
        }
    }

    private ZoneId zoneOf(InfoReply info, EcuHistory h) {
        if (configuredZone != null) {
            return configuredZone;
        }
        if (info.timezone() != null && !"Etc/GMT-8".equals(info.timezone())) {
            try {
                return ZoneId.of(info.timezone());
            } catch (RuntimeException e) {
                LOG.debug("ECU {} reports an unknown zone '{}'", info.ecuId(), info.timezone());
            }
        }
        if (!h.zoneExplained) {
            h.zoneExplained = true;
            LOG.info("ECU {} ({}) does not tell its real time zone; reading its time stamps in this machine's zone {}. "
                    + "Set ecubridge.zone if that is not where the ECU is.", info.ecuId(), info.ecuModel(), clock.getZone());
        }
        return clock.getZone();
    }

    private void count(String name, String ecuId) {
        meters.counter(name, "ecu_id", ecuId).increment();
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
