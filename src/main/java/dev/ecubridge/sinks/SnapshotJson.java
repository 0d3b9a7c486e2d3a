package dev.ecubridge.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.snapshot.InverterSnapshot;
import dev.ecubridge.snapshot.Snapshot;
import dev.ecubridge.meter.MeterReading;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
        ecu(tree(o), s);
        return o;
    }

    public static ObjectNode inverter(InverterSnapshot i) {
        ObjectNode o = MAPPER.createObjectNode();
        inverter(tree(o), i, true);
        return o;
    }

    /**
     * One line of the daily snapshot file: the ECU and all its inverters. Written straight to text, not built as a
     * tree first: this runs for every snapshot of every ECU.
     */
    public static String line(Snapshot s) {
        StringWriter text = new StringWriter(4096);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(text)) {
            Fields fields = stream(g);
            g.writeStartObject();
            ecu(fields, s);
            g.writeArrayFieldStart("inverter_data");
            for (InverterSnapshot i : s.inverters()) {
                g.writeStartObject();
                inverter(fields, i, false);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // to memory: cannot happen
        }
        return text.append('\n').toString();
    }

    /** Where the fields of one JSON object go: a tree (MQTT states) or straight to text (the files' lines). */
    @FunctionalInterface
    private interface Fields {
        void put(String key, Object value);
    }

    private static void ecu(Fields o, Snapshot s) {
        o.put("ecu_id", s.ecuId());
        o.put("ecu_model", s.ecuModel());
        o.put("firmware", s.firmware());
        o.put("time", s.time().toString());
        o.put("local_time", s.localTime().toString());
        put(o, "", Quantities.ECU, s);
    }

    /** @param identity with the ECU id and data time, which an inverter inside its ECU's line leaves to the ECU */
    private static void inverter(Fields o, InverterSnapshot i, boolean identity) {
        if (identity) {
            o.put("ecu_id", i.ecuId());
        }
        o.put("inverter_uid", i.uid());
        o.put("model", i.model());
        o.put("type_code", i.typeCode());
        if (identity) {
            o.put("time", i.time().toString());
        }
        put(o, "", Quantities.INVERTER, i);
        for (InverterSnapshot.Channel c : i.channels()) {
            put(o, "ch" + c.channel() + "_", Quantities.CHANNEL, c);
        }
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
        put(tree(o), "", Quantities.METER, r);
        return o;
    }

    /** The lines of the daily meter file, one per point. */
    public static String meterLines(List<MeterReading> readings) {
        StringBuilder lines = new StringBuilder();
        readings.forEach(r -> lines.append(meter(r)).append('\n'));
        return lines.toString();
    }

    private static <S> void put(Fields o, String prefix, List<Quantity<S>> quantities, S source) {
        for (Quantity<S> q : quantities) {
            if (q.existsFor(source)) {
                o.put(prefix + q.key(), q.valueOf(source));
            }
        }
    }

    private static Fields tree(ObjectNode o) {
        return (key, value) -> o.set(key, node(value));
    }

    private static Fields stream(JsonGenerator g) {
        return (key, value) -> {
            try {
                write(g, key, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // to memory: cannot happen
            }
        };
    }

    private static void write(JsonGenerator g, String key, Object value) throws IOException {
        g.writeFieldName(key);
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Integer i) {
            g.writeNumber(i.intValue());
        } else if (value instanceof Long l) {
            g.writeNumber(l.longValue());
        } else if (value instanceof Double d) {
            g.writeNumber(d.doubleValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof String t) {
            g.writeString(t);
        } else {
            MAPPER.writeValue(g, value);
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
