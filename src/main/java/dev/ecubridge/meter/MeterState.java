package dev.ecubridge.meter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ecubridge.snapshot.EnergyMeter;
import dev.ecubridge.snapshot.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the bridge remembers of one meter: the time of the last point it published (a series read again publishes
 * only what came after it) and the energies integrated by {@link EnergyMeter} from the 5-minute series: grid import,
 * grid export, consumption and production, today and lifetime. Saved to {@code <state>/meter-<name>.json} beside the
 * ECUs' state after every read that published something.
 */
public final class MeterState {

    private static final Logger LOG = LoggerFactory.getLogger(MeterState.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERIES = "meter";

    private final String meter;
    private final Path file;
    private final ZoneId zone;
    private final EnergyMeter energy = new EnergyMeter(1);
    private Instant lastPublished;

    private MeterState(String meter, Path file, ZoneId zone) {
        this.meter = meter;
        this.file = file;
        this.zone = zone;
    }

    /** @param file null: nothing is saved (tests) */
    public static MeterState load(String meter, Path file, ZoneId zone) {
        MeterState state = new MeterState(meter, file, zone);
        if (file != null && Files.exists(file)) {
            try {
                JsonNode json = JSON.readTree(file.toFile());
                state.lastPublished = json.hasNonNull("last_published") ? Instant.parse(json.get("last_published").asText()) : null;
                state.energy.load(json.get("energy"));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Meter {}: cannot read {} ({}); starting without history", meter, file, e.getMessage());
            }
        }
        return state;
    }

    /**
     * The points of {@code reply} after the last one published, in time order, each with the energies up to its time;
     * saves the state when there are any.
     */
    public synchronized List<MeterReading> accept(MeterReply reply, String ecuId) {
        List<MeterReading> readings = new ArrayList<>();
        for (MeterPoint p : reply.points()) {
            if (lastPublished != null && !p.time().isAfter(lastPublished)) {
                continue;
            }
            ZonedDateTime local = p.time().atZone(zone);
            int grid = p.grid().sum();
            // each holds until the next point (left rectangle); a clamp that reads slightly negative books nothing
            EnergyMeter.Totals t = energy.add(SERIES, local, List.of(Math.max(0, grid), Math.max(0, -grid),
                    Math.max(0, p.consumption().sum()), Math.max(0, p.production().sum())));
            double[] today = t.todayKwh();
            double[] lifetime = t.lifetimeKwh();
            readings.add(new MeterReading(meter, ecuId, p.time(), local, p.production(), p.grid(),
                    new MeterReading.Energies(today[0], lifetime[0], today[1], lifetime[1], today[2], lifetime[2],
                            today[3], lifetime[3])));
            lastPublished = p.time();
        }
        if (!readings.isEmpty()) {
            save();
        }
        return readings;
    }

    public synchronized Instant lastPublished() {
        return lastPublished;
    }

    private void save() {
        if (file == null) {
            return;
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("last_published", lastPublished == null ? null : lastPublished.toString());
        json.set("energy", energy.toJson());
        try {
            StateFiles.write(file, json.toString());
        } catch (IOException e) {
            LOG.warn("Meter {}: cannot save {}: {}", meter, file, e.getMessage());
        }
    }
}
