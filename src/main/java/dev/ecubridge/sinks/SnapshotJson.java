package dev.ecubridge.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.snapshot.InverterSnapshot;
import dev.ecubridge.snapshot.Snapshot;
import dev.ecubridge.meter.MeterReading;
import java.util.List;

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
