package dev.ecubridge.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.conversion.InverterSnapshot;
import dev.ecubridge.conversion.Snapshot;

/** The JSON form of snapshots, shared by the file sink and the MQTT states; field names as in the InfluxDB schema. */
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
        o.put("power_w", s.powerW());
        o.put("today_kwh", s.todayKwh());
        o.put("lifetime_kwh", s.lifetimeKwh());
        o.put("inverters", s.inverterCount());
        o.put("inverters_online", s.invertersOnline());
        return o;
    }

    public static ObjectNode inverter(InverterSnapshot i) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("ecu_id", i.ecuId());
        o.put("inverter_uid", i.uid());
        o.put("model", i.model());
        o.put("type_code", i.typeCode());
        o.put("time", i.time().toString());
        o.put("online", i.online());
        o.put("power_w", i.powerW());
        o.put("frequency_hz", i.frequencyHz());
        o.put("temperature_c", i.temperatureC());
        o.put("signal", i.signal());
        o.put("signal_percent", i.signalPercent());
        for (InverterSnapshot.Channel c : i.channels()) {
            o.put("ch" + c.channel() + "_power_w", c.powerW());
            o.put("ch" + c.channel() + "_voltage_v", c.voltageV());
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
}
