package dev.ecubridge.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.snapshot.InverterSnapshot;
import dev.ecubridge.snapshot.Snapshot;
import dev.ecubridge.meter.MeterReading;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON form of snapshots and meter points, shared by the file sink and the MQTT states: identity fields, then every quantity of
 * {@link Quantities} by its key (a channel's as {@code ch<N>_<key>}), null where there is no data.
 */
public final class SnapshotJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private SnapshotJson() {
    }

    public static ObjectNode ecu(Snapshot s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("ecu_id", s.ecuId());
        o.put("ecu_model", s.ecuModel());
        o.put("firmware", s.firmware());
        o.put("time", s.time().toString());
        o.put("local_time", s.localTime().toString());
        put(o, "", Quantities.ECU, s);
        return o;
    }

    public static ObjectNode inverter(InverterSnapshot i) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("ecu_id", i.ecuId());
        o.put("inverter_uid", i.uid());
        o.put("model", i.model());
        o.put("type_code", i.typeCode());
        o.put("time", i.time().toString());
        put(o, "", Quantities.INVERTER, i);
        for (InverterSnapshot.Channel c : i.channels()) {
            put(o, "ch" + c.channel() + "_", Quantities.CHANNEL, c);
        }
        return o;
    }

    /** One line of the daily snapshot file: the ECU and all its inverters. */
    public static String line(Snapshot s) {
        ObjectNode o = ecu(s);
        ArrayNode inverters = o.putArray("inverter_data");
        for (InverterSnapshot i : s.inverters()) {
            ObjectNode inv = inverter(i);
            inv.remove("ecu_id");
            inv.remove("time");
            inverters.add(inv);
        }
        return o.toString() + "\n";
    }

    /**
     * The snapshot of a {@link #line} (the readings topic's record value): everything the sinks publish, so that its
     * line, points and states are those of the polled snapshot. Not in the line: the raw replies and the ECU's info
     * reply (without it, MQTT keeps the discovery of inverters gone from the ECU).
     */
    public static Snapshot snapshot(String line) {
        JsonNode o;
        try {
            o = MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a snapshot line: " + e.getMessage(), e);
        }
        String ecuId = o.path("ecu_id").asText();
        Instant time = Instant.parse(o.path("time").asText());
        List<InverterSnapshot> inverters = new ArrayList<>();
        for (JsonNode i : o.path("inverter_data")) {
            TreeMap<Integer, InverterSnapshot.Channel> channels = new TreeMap<>();
            i.fieldNames().forEachRemaining(field -> {
                Matcher m = CHANNEL_KEY.matcher(field);
                if (m.matches()) {
                    int n = Integer.parseInt(m.group(1));
                    String prefix = "ch" + n + "_";
                    channels.computeIfAbsent(n, c -> new InverterSnapshot.Channel(c, integer(i, prefix + "power_w"),
                            integer(i, prefix + "voltage_v"), i.has(prefix + "voltage_v"), decimal(i, prefix + "today_kwh"),
                            decimal(i, prefix + "lifetime_kwh")));
                }
            });
            inverters.add(new InverterSnapshot(ecuId, time, i.path("inverter_uid").asText(), i.path("model").asText(),
                    i.path("type_code").asText(), i.path("online").asBoolean(), decimal(i, "frequency_hz"),
                    integer(i, "temperature_c"), integer(i, "signal"), List.copyOf(channels.values())));
        }
        return new Snapshot(ecuId, o.path("ecu_model").asText(), o.path("firmware").asText(), time,
                LocalDateTime.parse(o.path("local_time").asText()), integer(o, "power_w"), decimal(o, "today_kwh"),
                decimal(o, "lifetime_kwh"), o.path("inverters").asInt(), o.path("inverters_online").asInt(), inverters, null,
                List.of());
    }

    private static final Pattern CHANNEL_KEY = Pattern.compile("ch(\\d+)_.*");

    private static Integer integer(JsonNode o, String key) {
        JsonNode v = o.get(key);
        return v == null || v.isNull() ? null : v.asInt();
    }

    private static Double decimal(JsonNode o, String key) {
        JsonNode v = o.get(key);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    /** A meter point: its meter, ECU, time, then {@link Quantities#METER}. */
    public static ObjectNode meter(MeterReading r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("meter", r.meter());
        o.put("ecu_id", r.ecuId());
        o.put("time", r.time().toString());
        o.put("local_time", r.localTime().toLocalDateTime().toString());
        put(o, "", Quantities.METER, r);
        return o;
    }

    /** The lines of the daily meter file, one per point. */
    public static String meterLines(List<MeterReading> readings) {
        StringBuilder lines = new StringBuilder();
        readings.forEach(r -> lines.append(meter(r)).append('\n'));
        return lines.toString();
    }

    private static <S> void put(ObjectNode o, String prefix, List<Quantity<S>> quantities, S source) {
        for (Quantity<S> q : quantities) {
            if (q.existsFor(source)) {
                o.set(prefix + q.key(), node(q.valueOf(source)));
            }
        }
    }

    /** The node of a plain value made directly: valueToTree serializes and parses it again (once per quantity). */
    private static JsonNode node(Object v) {
        JsonNodeFactory f = MAPPER.getNodeFactory();
        if (v == null) {
            return f.nullNode();
        } else if (v instanceof Integer i) {
            return f.numberNode(i.intValue());
        } else if (v instanceof Long l) {
            return f.numberNode(l.longValue());
        } else if (v instanceof Double d) {
            return f.numberNode(d.doubleValue());
        } else if (v instanceof Boolean b) {
            return f.booleanNode(b);
        } else if (v instanceof String t) {
            return f.textNode(t);
        }
        return MAPPER.valueToTree(v);
    }
}
