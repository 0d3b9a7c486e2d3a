package dev.ecubridge.history;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * What the ECU's memory gave for one local date: 5-minute power points ({@code 0003}) and/or the day's energy
 * ({@code 0004}). Sinks write it marked as history, at the points' own times; MQTT never gets it.
 *
 * @param energyKwh the day's energy; null when not asked for or not known
 */
public record HistoryDay(String ecuId, String ecuModel, LocalDate date, ZoneId zone, List<Power> power, Double energyKwh) {

    public HistoryDay {
        power = List.copyOf(power);
    }

    /** One power point of the ECU's curve, at the ECU-local time of its record. */
    public record Power(LocalTime time, int watts) {
    }

    public Instant instant(LocalTime time) {
        return date.atTime(time).atZone(zone).toInstant();
    }

    public LocalDateTime localTime(LocalTime time) {
        return date.atTime(time);
    }

    /** Where the day's energy is stamped: the day's last second, so that daily windows find it in its day. */
    public LocalTime energyTime() {
        return LocalTime.of(23, 59, 59);
    }
}
