package dev.ecubridge.conversion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.protocol.EcuReply;
import dev.ecubridge.protocol.EnergyHistoryReply;
import dev.ecubridge.protocol.InfoReply;
import dev.ecubridge.protocol.InverterReading;
import dev.ecubridge.protocol.PowerOfDayReply;
import dev.ecubridge.protocol.RealtimeReply;
import dev.ecubridge.protocol.SignalReply;
import dev.ecubridge.protocol.StatusReply;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The decoded form of a reply as JSON, in the shape of the protocol's DECODED.md: values as the frame holds them,
 * scaled, with a few extra fields (group, model names, MACs, signal percent) beside the documented ones.
 */
public final class ReplyJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Always with seconds, unlike LocalDateTime.toString() at a full minute. */
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private ReplyJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode toJson(EcuReply reply) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("command", reply.command().code());
        if (reply instanceof InfoReply) {
            info(json, (InfoReply) reply);
        } else if (reply instanceof StatusReply) {
            StatusReply s = (StatusReply) reply;
            json.put("status", s.status());
            json.put("statusMeaning", s.meaning());
        } else {
            json.put("status", "00");
            if (reply instanceof RealtimeReply) {
                realtime(json, (RealtimeReply) reply);
            } else if (reply instanceof SignalReply) {
                signal(json, (SignalReply) reply);
            } else if (reply instanceof PowerOfDayReply) {
                powerOfDay(json, (PowerOfDayReply) reply);
            } else if (reply instanceof EnergyHistoryReply) {
                energyHistory(json, (EnergyHistoryReply) reply);
            }
        }
        return json;
    }

    private static void info(ObjectNode json, InfoReply r) {
        json.put("ecuId", r.ecuId());
        json.put("ecuModel", r.ecuModel());
        json.put("lifetimeEnergyKwh", r.lifetimeEnergyKwh());
        json.put("currentPowerW", r.currentPowerW());
        json.put("todayEnergyKwh", r.todayEnergyKwh());
        json.put("lastEmaContact", text(r.lastEmaContact()));
        json.put("invertersRegistered", r.invertersRegistered());
        json.put("invertersOnline", r.invertersOnline());
        json.put("firmware", r.firmware());
        json.put("timezone", r.timezone());
        json.put("group", r.group());
        json.put("variant", r.variant());
        json.put("zigbeeChannel", r.zigbeeChannel());
        json.put("mac1", r.mac1());
        json.put("mac2", r.mac2());
    }

    private static void realtime(ObjectNode json, RealtimeReply r) {
        json.put("timestamp", text(r.timestamp()));
        ArrayNode inverters = json.putArray("inverters");
        for (InverterReading inv : r.inverters()) {
            ObjectNode o = inverters.addObject();
            o.put("uid", inv.uid());
            o.put("online", inv.online());
            o.put("typeCode", inv.typeCode());
            if (inv.hasTelemetry()) {
                o.put("frequencyHz", inv.frequencyHz());
                o.put("temperatureC", inv.temperatureC());
                ints(o.putArray("powerW"), inv.powerW());
                ints(o.putArray("voltageV"), inv.voltageV());
            }
            o.put("model", inv.model());
        }
    }

    private static void signal(ObjectNode json, SignalReply r) {
        ArrayNode inverters = json.putArray("inverters");
        for (SignalReply.Entry e : r.inverters()) {
            inverters.addObject().put("uid", e.uid()).put("signal", e.signal()).put("signalPercent", e.signalPercent());
        }
    }

    private static void powerOfDay(ObjectNode json, PowerOfDayReply r) {
        ArrayNode samples = json.putArray("samples");
        for (PowerOfDayReply.Sample s : r.samples()) {
            samples.addObject().put("time", text(s.time())).put("powerW", s.powerW());
        }
    }

    private static void energyHistory(ObjectNode json, EnergyHistoryReply r) {
        json.put("period", r.period().name().toLowerCase(Locale.ROOT));
        ArrayNode days = json.putArray("days");
        for (EnergyHistoryReply.Day d : r.days()) {
            days.addObject().put("date", text(d.date())).put("energyKwh", d.energyKwh());
        }
    }

    private static void ints(ArrayNode array, List<Integer> values) {
        values.forEach(array::add);
    }

    private static String text(LocalDateTime t) {
        return t == null ? null : DATE_TIME.format(t);
    }

    private static String text(LocalDate d) {
        return d == null ? null : d.toString();
    }

    private static String text(LocalTime t) {
        return t == null ? null : TIME.format(t);
    }
}
