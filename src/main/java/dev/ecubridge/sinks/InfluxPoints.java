package dev.ecubridge.sinks;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import dev.ecubridge.snapshot.InverterSnapshot;
import dev.ecubridge.snapshot.Snapshot;
import dev.ecubridge.history.HistoryDay;
import dev.ecubridge.meter.MeterReading;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.component.influxdb2.data.Records;

/**
 * The InfluxDB schema: measurements {@code ecu}, {@code inverter}, {@code channel} and {@code meter}, whose fields are the
 * {@link Quantities} marked for InfluxDB, written at the ECU's data time (seconds), as line protocol, so a repeated
 * write of the same cycle overwrites instead of duplicating. Fields that are "no data" (offline inverters, rejected
 * values) are left out; an offline inverter writes {@code online=false} and its energy counters. History from the
 * ECU's memory goes to {@code ecu} with the tag {@code source=history} ({@link #history}).
 */
public final class InfluxPoints {

    /** Every line of a snapshot: the ECU, its inverters and their channels. */
    public Records snapshot(Snapshot s) {
        List<Point> points = new ArrayList<>();
        points.add(ecuPoint(s));
        s.inverters().forEach(i -> points.addAll(inverterPoints(i)));
        return lines(points);
    }

    /** Measurement {@code meter}: one point per meter point, at the meter's own time. */
    public Records meter(List<MeterReading> readings) {
        List<Point> points = new ArrayList<>();
        for (MeterReading r : readings) {
            // tagged by the configured name only: the ECU id is not known before its first 8899 cycle
            points.add(fields(Point.measurement("meter").addTag("meter", r.meter()).time(r.time(), WritePrecision.S),
                    Quantities.METER, r));
        }
        return lines(points);
    }

    /**
     * What the ECU's memory gave for one day, in measurement {@code ecu} with the tag {@code source=history}: its
     * power points ({@code power_w}) at their own times, the day's energy ({@code today_kwh}) at its last second. The
     * tag makes them a series of their own, so they never overwrite a point live polling wrote.
     */
    public Records history(HistoryDay day) {
        List<Point> points = new ArrayList<>();
        for (HistoryDay.Power p : day.power()) {
            points.add(historyPoint(day, p.time()).addField("power_w", p.watts()));
        }
        if (day.energyKwh() != null) {
            points.add(historyPoint(day, day.energyTime()).addField("today_kwh", day.energyKwh()));
        }
        return lines(points);
    }

    private static Point historyPoint(HistoryDay day, LocalTime time) {
        return Point.measurement("ecu")
                .addTag("ecu_id", day.ecuId())
                .addTag("ecu_model", day.ecuModel())
                .addTag("source", "history")
                .time(day.instant(time), WritePrecision.S);
    }

    private static Point ecuPoint(Snapshot s) {
        Point p = Point.measurement("ecu")
                .addTag("ecu_id", s.ecuId())
                .addTag("ecu_model", s.ecuModel())
                .time(s.time(), WritePrecision.S);
        return fields(p, Quantities.ECU, s);
    }

    /** The inverter's point and one point per channel. */
    private static List<Point> inverterPoints(InverterSnapshot i) {
        List<Point> points = new ArrayList<>();
        points.add(fields(Point.measurement("inverter")
                .addTag("ecu_id", i.ecuId())
                .addTag("inverter_uid", i.uid())
                .addTag("model", i.model())
                .time(i.time(), WritePrecision.S), Quantities.INVERTER, i));
        for (InverterSnapshot.Channel c : i.channels()) {
            points.add(fields(Point.measurement("channel")
                    .addTag("ecu_id", i.ecuId())
                    .addTag("inverter_uid", i.uid())
                    .addTag("channel", Integer.toString(c.channel()))
                    .time(i.time(), WritePrecision.S), Quantities.CHANNEL, c));
        }
        return points;
    }

    private static <S> Point fields(Point p, List<Quantity<S>> quantities, S source) {
        for (Quantity<S> q : quantities) {
            Object value = q.influx() && q.existsFor(source) ? q.valueOf(source) : null;
            if (value instanceof Boolean b) {
                p.addField(q.key(), b);
            } else if (value instanceof Number n) {
                p.addField(q.key(), n);
            }
        }
        return p;
    }

    /** As line protocol: what camel-influxdb2 writes, and what the outbox can keep as text. */
    private static Records lines(List<Point> points) {
        Records records = new Records();
        for (Point p : points) {
            String line = p.toLineProtocol();
            if (!line.isEmpty()) { // a channel without any value (all rejected) has no field left
                records.addRecord(line);
            }
        }
        return records;
    }

    public static Records records(List<String> lines) {
        Records records = new Records();
        lines.forEach(records::addRecord);
        return records;
    }
}
