package dev.ecubridge.sinks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.history.HistoryDay;
import dev.ecubridge.snapshot.Snapshot;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.influxdb2.data.Records;

/** InfluxDB: one write per snapshot or history day (line protocol); the meter's points come as Records already. */
public final class InfluxFormat implements SinkFormat {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final InfluxPoints points = new InfluxPoints();

    @Override
    public List<?> deliveries(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof Records r) {
            return List.of(r);
        }
        if (body instanceof HistoryDay day) {
            return List.of(points.history(day));
        }
        if (body instanceof Snapshot s) {
            return List.of(points.snapshot(s));
        }
        return List.of();
    }

    @Override
    public JsonNode encode(Object delivery) {
        return JSON.valueToTree(((Records) delivery).getInfluxRecords());
    }

    @Override
    public Object decode(JsonNode stored) {
        return InfluxPoints.records(JSON.convertValue(stored, new TypeReference<List<String>>() { }));
    }
}
