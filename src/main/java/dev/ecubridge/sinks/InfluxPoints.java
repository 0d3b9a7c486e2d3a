package dev.ecubridge.sinks;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import dev.ecubridge.conversion.InverterSnapshot;
import dev.ecubridge.conversion.Snapshot;
import java.util.ArrayList;
import org.apache.camel.component.influxdb2.data.Records;
import java.util.List;

/**
 * The InfluxDB schema: measurements {@code ecu}, {@code inverter} and {@code channel}, written at the ECU's data time
 * (seconds), as line protocol, so a repeated write of the same cycle overwrites instead of duplicating. Fields that are "no data"
 * (offline inverters, rejected counters) are left out; an offline inverter writes only {@code online=false}.
 */
public final class InfluxPoints {

    /** All lines of one cycle, for one write: the ECU's, then each inverter's and its channels'. */
    public Records snapshot(Snapshot s) {
        List<Point> points = new ArrayList<>();
        points.add(ecu(s));
        s.inverters().forEach(i -> inverter(i, points));
        return lines(points);
    }

    private static Point ecu(Snapshot s) {
        Point p = Point.measurement("ecu")
                .addTag("ecu_id", s.ecuId())
                .addTag("ecu_model", s.ecuModel())
                .addField("power_w", s.powerW())
                .addField("inverters", s.inverterCount())
                .addField("inverters_online", s.invertersOnline())
                .time(s.time(), WritePrecision.S);
        if (s.todayKwh() != null) {
            p.addField("today_kwh", s.todayKwh());
        }
        if (s.lifetimeKwh() != null) {
            p.addField("lifetime_kwh", s.lifetimeKwh());
        }
        return p;
    }

    /** The inverter's point and, when it is online, one point per channel. */
    private static void inverter(InverterSnapshot i, List<Point> points) {
        Point p = Point.measurement("inverter")
                .addTag("ecu_id", i.ecuId())
                .addTag("inverter_uid", i.uid())
                .addTag("model", i.model())
                .addField("online", i.online())
                .time(i.time(), WritePrecision.S);
        if (i.frequencyHz() != null) {
            p.addField("frequency_hz", i.frequencyHz());
        }
        if (i.temperatureC() != null) {
            p.addField("temperature_c", i.temperatureC());
        }
        if (i.signal() != null) {
            p.addField("signal", i.signal());
        }
        points.add(p);
        if (i.online()) {
            for (InverterSnapshot.Channel c : i.channels()) {
                Point ch = Point.measurement("channel")
                        .addTag("ecu_id", i.ecuId())
                        .addTag("inverter_uid", i.uid())
                        .addTag("channel", Integer.toString(c.channel()))
                        .addField("power_w", c.powerW())
                        .time(i.time(), WritePrecision.S);
                if (c.voltageV() != null) {
                    ch.addField("voltage_v", c.voltageV());
                }
                points.add(ch);
            }
        }
    }

    /** As line protocol: what camel-influxdb2 writes, and what the outbox can keep as text. */
    private static Records lines(List<Point> points) {
        Records records = new Records();
        points.forEach(p -> records.addRecord(p.toLineProtocol()));
        return records;
    }

    public static Records records(List<String> lines) {
        Records records = new Records();
        lines.forEach(records::addRecord);
        return records;
    }
}
