package dev.ecubridge.conversion;

import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.Models;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.SignalReply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one cycle's replies into a {@link Snapshot} and guards what the sinks receive, per ECU:
 * <ul>
 * <li>a snapshot with the same ECU time stamp as the last one is dropped (the ECU refreshes every 5 minutes);</li>
 * <li>lifetime energy of 0, or below the last good value, is rejected: energy dashboards book such a dip as a
 *     whole lifetime of production;</li>
 * <li>today's energy starts at 0 at local midnight of the configured zone, even when the ECU resets at another
 *     hour, and a drop within the day is rejected;</li>
 * <li>offline inverters get no measurements (null), never their stale numbers or fake zeros.</li>
 * </ul>
 * What it remembers per ECU is saved after every snapshot, so a restart neither repeats a snapshot nor forgets the
 * last good lifetime.
 */
public final class SnapshotAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotAssembler.class);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ZoneId configuredZone;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Path stateDirectory;
    private final Map<String, EcuHistory> history = new ConcurrentHashMap<>();

    /** What the gate remembers of one ECU. */
    private static final class EcuHistory {
        LocalDateTime lastStamp;
        double lastLifetime = -1;
        LocalDate day;
        double lastToday = -1;
        /** The ECU's today value carried over midnight until the ECU itself resets. */
        double todayCarry;
        final Map<String, Boolean> warnedTypes = new HashMap<>();
        boolean zoneExplained;
    }

    /**
     * @param zone           the zone of the ECUs' time stamps; null: the zone an ECU-R-Pro/C reports, else the system zone
     * @param stateDirectory where the gate keeps, per ECU, what it must remember across restarts (last time stamp,
     *                       last good lifetime, today's carry); null keeps it in memory only
     */
    public SnapshotAssembler(ZoneId zone, Clock clock, MeterRegistry meters, Path stateDirectory) {
        this.configuredZone = zone;
        this.clock = clock;
        this.meters = meters;
        this.stateDirectory = stateDirectory;
    }

    /** The snapshot to publish, or null when it repeats the last one. */
    public Snapshot assemble(InfoReply info, RealtimeReply realtime, SignalReply signal, List<byte[]> frames) {
        return assemble(info, realtime, signal, frames, null);
    }

    /** @param ecuZone the zone of this ECU's time stamps when it has its own; null: the configured one */
    public Snapshot assemble(InfoReply info, RealtimeReply realtime, SignalReply signal, List<byte[]> frames,
                             ZoneId ecuZone) {
        String ecuId = info.ecuId();
        EcuHistory h = history.computeIfAbsent(ecuId, this::load);
        synchronized (h) {
            ZoneId zone = ecuZone != null ? ecuZone : zoneOf(info, h);
            LocalDateTime stamp = realtime.timestamp() != null ? realtime.timestamp() : LocalDateTime.now(clock.withZone(zone));
            if (stamp.equals(h.lastStamp)) {
                count("ecubridge.snapshots.duplicate", ecuId);
                LOG.debug("ECU {}: data of {} already published", ecuId, stamp);
                return null;
            }
            h.lastStamp = stamp;
            Instant time = stamp.atZone(zone).toInstant();
            Double lifetime = lifetime(h, info);
            Double today = today(h, info, stamp.toLocalDate());
            List<InverterSnapshot> inverters = inverters(h, info, realtime, signal, time);
            int online = (int) inverters.stream().filter(InverterSnapshot::online).count();
            count("ecubridge.snapshots.published", ecuId);
            save(ecuId, h);
            return new Snapshot(ecuId, info.ecuModel(), info.firmware(), time, stamp, (int) info.currentPowerW(), today,
                    lifetime, inverters.size(), online, inverters, info, frames);
        }
    }

    private EcuHistory load(String ecuId) {
        EcuHistory h = new EcuHistory();
        Path file = stateFile(ecuId);
        if (file != null && Files.exists(file)) {
            try {
                JsonNode json = JSON.readTree(file.toFile());
                h.lastStamp = json.hasNonNull("last_stamp") ? LocalDateTime.parse(json.get("last_stamp").asText()) : null;
                h.lastLifetime = json.path("last_lifetime_kwh").asDouble(-1);
                h.day = json.hasNonNull("day") ? LocalDate.parse(json.get("day").asText()) : null;
                h.lastToday = json.path("last_today_kwh").asDouble(-1);
                h.todayCarry = json.path("today_carry_kwh").asDouble(0);
            } catch (IOException | RuntimeException e) {
                LOG.warn("ECU {}: cannot read {} ({}); starting without history", ecuId, file, e.getMessage());
            }
        }
        return h;
    }

    private void save(String ecuId, EcuHistory h) {
        Path file = stateFile(ecuId);
        if (file == null) {
            return;
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("last_stamp", h.lastStamp == null ? null : h.lastStamp.toString());
        json.put("last_lifetime_kwh", h.lastLifetime);
        json.put("day", h.day == null ? null : h.day.toString());
        json.put("last_today_kwh", h.lastToday);
        json.put("today_carry_kwh", h.todayCarry);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, json.toString());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("ECU {}: cannot save {}: {}", ecuId, file, e.getMessage());
        }
    }

    private Path stateFile(String ecuId) {
        return stateDirectory == null ? null : stateDirectory.resolve(ecuId + ".json");
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

    private Double lifetime(EcuHistory h, InfoReply info) {
        double kwh = info.lifetimeEnergyKwh();
        if (kwh <= 0 || kwh < h.lastLifetime) {
            count("ecubridge.energy.rejected", info.ecuId(), "counter", "lifetime");
            LOG.warn("ECU {}: lifetime energy {} kWh rejected ({}); not published", info.ecuId(), kwh,
                    kwh <= 0 ? "zero" : "below the last good value " + h.lastLifetime + " kWh");
            return null;
        }
        h.lastLifetime = kwh;
        return kwh;
    }

    private Double today(EcuHistory h, InfoReply info, LocalDate day) {
        double kwh = info.todayEnergyKwh();
        if (!day.equals(h.day)) {
            // a new local day: whatever the ECU still shows from yesterday is carried until it resets
            h.todayCarry = h.day != null && kwh >= h.lastToday && h.lastToday > 0 ? h.lastToday : 0;
            h.day = day;
            h.lastToday = 0;
        }
        if (h.todayCarry > 0 && kwh < h.todayCarry) {
            h.todayCarry = 0; // the ECU has reset its own counter
        }
        double value = Math.max(0, round2(kwh - h.todayCarry));
        if (value < h.lastToday) {
            count("ecubridge.energy.rejected", info.ecuId(), "counter", "today");
            LOG.warn("ECU {}: today's energy {} kWh rejected (below {} kWh earlier today); not published",
                    info.ecuId(), value, h.lastToday);
            return null;
        }
        h.lastToday = value;
        return value;
    }

    private List<InverterSnapshot> inverters(EcuHistory h, InfoReply info, RealtimeReply realtime, SignalReply signal,
                                             Instant time) {
        Map<String, Integer> signals = new HashMap<>();
        if (signal != null) {
            signal.inverters().forEach(e -> signals.put(e.uid(), e.signal()));
        }
        List<InverterSnapshot> out = new ArrayList<>();
        for (InverterReading r : realtime.inverters()) {
            if (Models.UNKNOWN.equals(r.model()) && h.warnedTypes.put(r.uid(), true) == null) {
                LOG.warn("ECU {}: inverter {} has an unknown model (type code {}); its data is published as decoded. "
                        + "Please report it with the raw frame saved in the captures folder.", info.ecuId(), r.uid(), r.typeCode());
            }
            List<InverterSnapshot.Channel> channels = new ArrayList<>();
            for (int c = 0; c < r.powerW().size(); c++) {
                channels.add(new InverterSnapshot.Channel(c + 1, r.online() ? r.powerW().get(c) : null,
                        r.online() ? channelVoltage(r, c) : null));
            }
            out.add(new InverterSnapshot(info.ecuId(), time, r.uid(), r.model(), r.typeCode(), r.online(),
                    r.online() ? r.frequencyHz() : null, r.online() ? r.temperatureC() : null,
                    signals.get(r.uid()), channels));
        }
        return out;
    }

    /** Records pair voltages with channels (P1 V1 P2 V2 ...); a single AC voltage applies to every channel. */
    private static Integer channelVoltage(InverterReading r, int channel) {
        List<Integer> v = r.voltageV();
        if (channel < v.size()) {
            return v.get(channel);
        }
        return v.size() == 1 ? v.get(0) : null;
    }

    private void count(String name, String ecuId, String... tags) {
        String[] all = new String[tags.length + 2];
        all[0] = "ecu";
        all[1] = ecuId;
        System.arraycopy(tags, 0, all, 2, tags.length);
        meters.counter(name, all).increment();
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
