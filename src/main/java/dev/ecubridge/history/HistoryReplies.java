package dev.ecubridge.history;

import dev.ecubridge.protocol.EnergyHistoryReply;
import dev.ecubridge.protocol.PowerOfDayReply;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/** The ECU's history replies as {@link HistoryDay}s: shared by the gap filler and the {@code backfill} command. */
public final class HistoryReplies {

    private HistoryReplies() {
    }

    /** The records of a {@code 0003} reply for {@code date} whose local time {@code wanted} accepts; invalid times dropped. */
    public static HistoryDay curve(String ecuId, String model, ZoneId zone, LocalDate date, PowerOfDayReply reply,
                                   Predicate<LocalDateTime> wanted) {
        List<HistoryDay.Power> points = new ArrayList<>();
        for (PowerOfDayReply.Sample s : reply.samples()) {
            if (s.time() != null && wanted.test(date.atTime(s.time()))) {
                points.add(new HistoryDay.Power(s.time(), s.powerW()));
            }
        }
        return new HistoryDay(ecuId, model, date, zone, points, null);
    }

    /** One day per record of a {@code 0004} reply whose date is among {@code dates}. */
    public static List<HistoryDay> energy(String ecuId, String model, ZoneId zone, EnergyHistoryReply reply,
                                          Collection<LocalDate> dates) {
        List<HistoryDay> days = new ArrayList<>();
        for (EnergyHistoryReply.Day d : reply.days()) {
            if (d.date() != null && dates.contains(d.date())) {
                days.add(new HistoryDay(ecuId, model, d.date(), zone, List.of(), d.energyKwh()));
            }
        }
        return days;
    }
}
