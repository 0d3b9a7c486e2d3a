package dev.ecubridge.snapshot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.gate.Plausibility;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-channel energy of an ECU's inverters, integrated from the channel power between consecutive ECU data times
 * (left rectangle: a reading's power holds until the next data time). That way each reading is booked exactly once:
 * an offline inverter books 0 W, a value the gate rejected books nothing, and over a day the rectangle's lag on the
 * morning rise and the evening fall cancel out. A gap longer than two ECU refreshes (a bridge or ECU that was down) is
 * not integrated across. Today restarts at local midnight of the data time's zone; both counters only grow.
 * Saved with the ECU's history ({@link EcuHistory}), so they survive restarts. The ECU-C's grid meter books its
 * import, export, consumption and production the same way, one "channel" each ({@code meter/MeterState}).
 */
public final class EnergyMeter {

    static final Duration MAX_GAP = Plausibility.ECU_REFRESH.multipliedBy(2);

    /** Today's and lifetime energy per channel, in kWh (Wh resolution). */
    public record Totals(double[] todayKwh, double[] lifetimeKwh) {
    }

    private static final class Channels {
        Instant at;
        LocalDate day;
        double[] todayWh = new double[0];
        double[] lifetimeWh = new double[0];
        /** The power booked until the next reading; null where there was no data. */
        Integer[] heldW = new Integer[0];
    }

    private final Map<String, Channels> byUid;

    public EnergyMeter(int maxInverters) {
        byUid = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Channels> eldest) {
                return size() > maxInverters;
            }
        };
    }

    /**
     * Books the power held since the inverter's previous reading up to {@code time}, then holds {@code watts}.
     *
     * @param watts per channel: the power from now on (0 for an offline inverter), null where there is no data
     */
    public Totals add(String uid, ZonedDateTime time, List<Integer> watts) {
        Channels c = byUid.computeIfAbsent(uid, u -> new Channels());
        int n = watts.size();
        c.todayWh = Arrays.copyOf(c.todayWh, Math.max(n, c.todayWh.length));
        c.lifetimeWh = Arrays.copyOf(c.lifetimeWh, Math.max(n, c.lifetimeWh.length));
        Instant now = time.toInstant();
        LocalDate day = time.toLocalDate();
        Instant midnight = day.atStartOfDay(time.getZone()).toInstant();
        if (!day.equals(c.day)) {
            Arrays.fill(c.todayWh, 0);
            c.day = day;
        }
        if (c.at != null && now.isAfter(c.at) && Duration.between(c.at, now).compareTo(MAX_GAP) <= 0) {
            double hours = Duration.between(c.at, now).toMillis() / 3_600_000.0;
            double hoursToday = c.at.isBefore(midnight) ? Duration.between(midnight, now).toMillis() / 3_600_000.0 : hours;
            for (int i = 0; i < Math.min(c.heldW.length, n); i++) {
                if (c.heldW[i] != null) {
                    c.lifetimeWh[i] += c.heldW[i] * hours;
                    c.todayWh[i] += c.heldW[i] * hoursToday;
                }
            }
        }
        c.at = now;
        c.heldW = watts.toArray(new Integer[0]);
        double[] today = new double[n];
        double[] lifetime = new double[n];
        for (int i = 0; i < n; i++) {
            today[i] = kwh(c.todayWh[i]);
            lifetime[i] = kwh(c.lifetimeWh[i]);
        }
        return new Totals(today, lifetime);
    }

    private static double kwh(double wh) {
        return Math.round(wh) / 1000.0;
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        byUid.forEach((uid, c) -> {
            ObjectNode o = json.putObject(uid);
            o.put("at", c.at == null ? null : c.at.toString());
            o.put("day", c.day == null ? null : c.day.toString());
            ArrayNode today = o.putArray("today_wh");
            Arrays.stream(c.todayWh).forEach(today::add);
            ArrayNode lifetime = o.putArray("lifetime_wh");
            Arrays.stream(c.lifetimeWh).forEach(lifetime::add);
            ArrayNode held = o.putArray("held_w");
            Arrays.stream(c.heldW).forEach(w -> held.add(w == null ? null : w.intValue()));
        });
        return json;
    }

    /** The same as {@link #toJson}, streamed. */
    void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Channels> e : byUid.entrySet()) {
            Channels c = e.getValue();
            g.writeObjectFieldStart(e.getKey());
            g.writeStringField("at", c.at == null ? null : c.at.toString());
            g.writeStringField("day", c.day == null ? null : c.day.toString());
            g.writeArrayFieldStart("today_wh");
            for (double wh : c.todayWh) {
                g.writeNumber(wh);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("lifetime_wh");
            for (double wh : c.lifetimeWh) {
                g.writeNumber(wh);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("held_w");
            for (Integer w : c.heldW) {
                if (w == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(w.intValue());
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    public void load(JsonNode json) {
        if (json == null || !json.isObject()) {
            return;
        }
        json.fields().forEachRemaining(e -> {
            JsonNode o = e.getValue();
            Channels c = new Channels();
            c.at = o.hasNonNull("at") ? Instant.parse(o.get("at").asText()) : null;
            c.day = o.hasNonNull("day") ? LocalDate.parse(o.get("day").asText()) : null;
            c.todayWh = doubles(o.path("today_wh"));
            c.lifetimeWh = doubles(o.path("lifetime_wh"));
            JsonNode held = o.path("held_w");
            c.heldW = new Integer[held.size()];
            for (int i = 0; i < held.size(); i++) {
                c.heldW[i] = held.get(i).isNull() ? null : held.get(i).asInt();
            }
            byUid.put(e.getKey(), c);
        });
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0, array.get(i).asDouble());
        }
        return out;
    }
}
