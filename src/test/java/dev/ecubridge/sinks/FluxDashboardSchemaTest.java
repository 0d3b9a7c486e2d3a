package dev.ecubridge.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecubridge.snapshot.InverterSnapshot;
import dev.ecubridge.snapshot.Snapshot;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Flux queries of the shipped InfluxDB dashboard read what the bridge writes: each query's measurement, fields
 * and tags are checked against the line protocol {@link InfluxPoints} makes of a snapshot with every value present.
 */
class FluxDashboardSchemaTest {

    private static final Path DASHBOARD = Path.of("grafana/ecu-bridge-influxdb.json");
    private static final Set<String> FLUX_COLUMNS = Set.of("_measurement", "_field", "_value", "_time", "_start", "_stop");
    private static final Pattern MEASUREMENT = Pattern.compile("r\\._measurement\\s*==\\s*\"([^\"]+)\"");
    private static final Pattern FIELD = Pattern.compile("r\\._field\\s*==\\s*\"([^\"]+)\"");
    private static final Pattern COLUMN = Pattern.compile("\\br\\.(\\w+)");
    private static final Pattern COLUMN_LIST = Pattern.compile("columns:\\s*\\[([^]]*)]");

    /** measurement → its tag keys and field keys, as written. */
    record Schema(Set<String> tags, Set<String> fields) {
    }

    static Map<String, Schema> writtenSchema() {
        Instant time = Instant.parse("2026-06-21T10:00:00Z");
        InverterSnapshot inverter = new InverterSnapshot("216000123456", time, "703785694711", "DS3", "03", true, 50.0, 27,
                230, List.of(new InverterSnapshot.Channel(1, 310, 231, true, 1.25, 410.5), new InverterSnapshot.Channel(2, 305, 231, true, 1.2, 402.25)));
        Snapshot snapshot = new Snapshot("216000123456", "ECU-R", "ECU_R_1.3.10", time, LocalDateTime.parse("2026-06-21T12:00:00"),
                615, 3.06, 1234.6, 1, 1, List.of(inverter), null, List.of());
        InfluxPoints points = new InfluxPoints();
        List<String> lines = new ArrayList<>();
        lines.addAll(points.snapshot(snapshot).getInfluxRecords());
        Map<String, Schema> schema = new HashMap<>();
        for (String line : lines) {
            // measurement,tag=v,tag=v field=v,field=v time (no spaces or commas inside our values)
            String[] parts = line.split(" ");
            String[] series = parts[0].split(",");
            Schema s = schema.computeIfAbsent(series[0], m -> new Schema(new TreeSet<>(), new TreeSet<>()));
            for (int i = 1; i < series.length; i++) {
                s.tags().add(series[i].substring(0, series[i].indexOf('=')));
            }
            for (String field : parts[1].split(",")) {
                s.fields().add(field.substring(0, field.indexOf('=')));
            }
        }
        return schema;
    }

    @Test
    void theSchemaIsTheDocumentedOne() {
        Map<String, Schema> schema = writtenSchema();
        assertThat(schema.keySet()).containsExactlyInAnyOrder("ecu", "inverter", "channel");
        assertThat(schema.get("ecu").tags()).contains("ecu_id", "ecu_model");
        assertThat(schema.get("channel").fields()).contains("power_w", "voltage_v");
    }

    @Test
    void everyFluxQueryReadsMeasurementsFieldsAndTagsThatAreWritten() throws Exception {
        Map<String, Schema> schema = writtenSchema();
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels")) {
            panel.path("targets").forEach(t -> queries.add(t.get("query").asText()));
        }
        assertThat(queries).hasSizeGreaterThanOrEqualTo(6);
        for (String query : queries) {
            List<String> measurements = all(MEASUREMENT, query);
            assertThat(measurements).as("one measurement in %s", query).hasSize(1);
            Schema written = schema.get(measurements.get(0));
            assertThat(written).as("measurement of %s", query).isNotNull();
            assertThat(all(FIELD, query)).as("fields of %s", query).isNotEmpty().allMatch(written.fields()::contains);
            Set<String> tags = new TreeSet<>(all(COLUMN, query));
            Matcher lists = COLUMN_LIST.matcher(query);
            while (lists.find()) {
                for (String column : lists.group(1).split(",")) {
                    tags.add(column.trim().replace("\"", ""));
                }
            }
            tags.removeAll(FLUX_COLUMNS);
            assertThat(tags).as("tags of %s", query).allMatch(written.tags()::contains);
        }
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
