package dev.ecubridge.meter;

import java.util.List;

/**
 * The meter's series of the current day, oldest first, one point per time stamp.
 *
 * @param todayKwh the ECU's own {@code today_energy} (production), null when absent
 */
public record MeterReply(List<MeterPoint> points, Double todayKwh) implements MeterResult {

    public MeterReply {
        points = List.copyOf(points);
    }
}
