package dev.ecubridge.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CT clamps of a simulated ECU-C: production per phase from the ECU's own solar model, consumption from a
 * {@link HouseLoad}, grid = consumption - production (positive = import), one point every 5 minutes of the current
 * local day, as {@code /index.php/meter/old_meter_power_graph} serves them.
 */
public final class SimulatedMeter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STEP = SimulatedEcu.REFRESH_SECONDS;

    private final SimulatedEcu ecu;
    private final Clock clock;
    private final HouseLoad house;

    /** One point: watts per phase A, B, C. */
    public record Point(Instant time, int[] production, int[] consumption) {

        public int[] grid() {
            return new int[] {consumption[0] - production[0], consumption[1] - production[1], consumption[2] - production[2]};
        }

        int sum(int[] phases) {
            return phases[0] + phases[1] + phases[2];
        }
    }

    /** Energies in Wh, booked as the bridge does: each point's power until the next point. */
    public record Totals(double gridImportWh, double gridExportWh, double consumptionWh, double productionWh) {
    }

    /** The meter of {@code ecu}'s site, on its clock. */
    public SimulatedMeter(SimulatedEcu ecu) {
        this.ecu = ecu;
        this.clock = ecu.clock();
        this.house = new HouseLoad(ecu.site().seed(), ecu.site().zone());
    }

    public Point point(Instant t) {
        return new Point(t, ecu.productionPerPhase(t), house.watts(t));
    }

    /** Today's points from local midnight up to now. */
    public List<Point> today() {
        Instant now = clock.instant();
        LocalDate day = now.atZone(ecu.site().zone()).toLocalDate();
        List<Point> points = new ArrayList<>();
        for (Instant t = day.atStartOfDay(ecu.site().zone()).toInstant(); !t.isAfter(now); t = t.plusSeconds(STEP)) {
            points.add(point(t));
        }
        return points;
    }

    /** The energies of the points at {@code from} and after, before {@code to} (5-minute marks). */
    public Totals integrate(Instant from, Instant to) {
        double in = 0;
        double out = 0;
        double used = 0;
        double made = 0;
        for (Instant t = from; t.isBefore(to); t = t.plusSeconds(STEP)) {
            Point p = point(t);
            int grid = p.sum(p.grid());
            double hours = STEP / 3600.0;
            in += Math.max(0, grid) * hours;
            out += Math.max(0, -grid) * hours;
            used += p.sum(p.consumption()) * hours;
            made += p.sum(p.production()) * hours;
        }
        return new Totals(in, out, used, made);
    }

    /** The endpoint's answer: {@code power1} production, {@code power2} grid, {@code today_energy} in kWh. */
    public String json() {
        List<Point> points = today();
        ObjectNode o = JSON.createObjectNode();
        ArrayNode production = o.putArray("power1");
        ArrayNode grid = o.putArray("power2");
        double todayWh = 0;
        for (Point p : points) {
            phases(production.addObject(), p.time(), p.production());
            phases(grid.addObject(), p.time(), p.grid());
            todayWh += p.sum(p.production()) * STEP / 3600.0;
        }
        o.put("today_energy", String.format(Locale.ROOT, "%.2f", todayWh / 1000));
        return o.toString();
    }

    private static void phases(ObjectNode o, Instant time, int[] watts) {
        o.put("time", time.toEpochMilli());
        o.put("powerA", watts[0]);
        o.put("powerB", watts[1]);
        o.put("powerC", watts[2]);
    }
}
