package dev.ecubridge.snapshot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.gate.RecentKeys;
import dev.ecubridge.gate.Reference;
import dev.ecubridge.gate.StaleData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gate remembers of one ECU. The references (last good data time, lifetime, today and its carry) and the
 * inverters' integrated energy are saved
 * to the {@link StateJournal} after every snapshot, so a restart neither repeats a snapshot nor lets a lower
 * counter through (in cluster mode the same JSON travels with the ECU in the state topic); the rest lives in memory
 * and is bounded.
 */
final class EcuHistory {

    private static final Logger LOG = LoggerFactory.getLogger(EcuHistory.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** More than any ECU has inverters (an ECU-C takes 200), so churning uids cannot grow the heap. */
    static final int REMEMBERED_UIDS = 512;

    /** The last data time seen, accepted or not: a repeat of it is the same ECU refresh. */
    LocalDateTime lastSeen;
    final Reference<LocalDateTime> time = new Reference<>(null, null);
    final Reference<Double> lifetime = new Reference<>(null, null);
    LocalDate day;
    final Reference<Double> today = new Reference<>(null, null);
    /** The ECU's today value carried over midnight until the ECU itself resets. */
    double todayCarry;
    /** Inverters already reported (unknown model, dropped uid), so each is logged once. */
    final RecentKeys reported = new RecentKeys(REMEMBERED_UIDS);
    final StaleData freshness;
    /** Per-inverter and per-channel energy, integrated by the bridge. */
    final EnergyMeter energy = new EnergyMeter(REMEMBERED_UIDS);
    boolean zoneExplained;

    private EcuHistory(Duration staleAfter) {
        this.freshness = new StaleData(staleAfter);
    }

    /** The history {@code saved} holds ({@link #json}; null: none). */
    static EcuHistory load(String ecuId, JsonNode saved, Duration staleAfter) {
        if (saved != null) {
            try {
                return from(saved, staleAfter);
            } catch (RuntimeException e) {
                LOG.warn("ECU {}: cannot read its saved state ({}); starting without history", ecuId, e.getMessage());
            }
        }
        return new EcuHistory(staleAfter);
    }

    /** The history {@link #json} wrote (a line of the {@link StateJournal}, or the gate part of a cluster's state record). */
    static EcuHistory from(JsonNode json, Duration staleAfter) {
        EcuHistory h = new EcuHistory(staleAfter);
        LocalDateTime stamp = time(json, "last_stamp");
        h.time.set(stamp, stamp);
        h.lastSeen = stamp;
        h.lifetime.set(kwh(json, "last_lifetime_kwh"), orElse(time(json, "last_lifetime_at"), stamp));
        h.day = json.hasNonNull("day") ? LocalDate.parse(json.get("day").asText()) : null;
        h.today.set(kwh(json, "last_today_kwh"), orElse(time(json, "last_today_at"), stamp));
        h.todayCarry = json.path("today_carry_kwh").asDouble(0);
        h.energy.load(json.get("inverter_energy"));
        return h;
    }

    /** What is saved of the ECU: the references and the integrated energy, as JSON. */
    byte[] json() {
        // streamed, not built as a tree first: this runs after every snapshot of every ECU
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.getFactory().createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("last_stamp", text(time.value()));
            number(g, "last_lifetime_kwh", lifetime.value());
            g.writeStringField("last_lifetime_at", text(lifetime.at()));
            g.writeStringField("day", day == null ? null : day.toString());
            number(g, "last_today_kwh", today.value());
            g.writeStringField("last_today_at", text(today.at()));
            g.writeNumberField("today_carry_kwh", todayCarry);
            g.writeFieldName("inverter_energy");
            energy.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e); // to memory: cannot happen
        }
        return bytes.toByteArray();
    }

    private static void number(JsonGenerator g, String field, Double value) throws IOException {
        g.writeFieldName(field);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeNumber(value.doubleValue());
        }
    }

    private static LocalDateTime time(JsonNode json, String field) {
        return json.hasNonNull(field) ? LocalDateTime.parse(json.get(field).asText()) : null;
    }

    /** Older versions wrote -1 for "none". */
    private static Double kwh(JsonNode json, String field) {
        double v = json.path(field).asDouble(-1);
        return v < 0 ? null : v;
    }

    private static LocalDateTime orElse(LocalDateTime value, LocalDateTime fallback) {
        return value != null ? value : fallback;
    }

    private static String text(LocalDateTime t) {
        return t == null ? null : t.toString();
    }
}
