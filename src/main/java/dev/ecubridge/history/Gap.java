package dev.ecubridge.history;

import dev.ecubridge.protocol.EnergyPeriod;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Refreshes the bridge missed for one ECU: after {@code from}, the last snapshot published, and before {@code to},
 * the next one (both ECU-local). What is still to ask the ECU, one query each, and what it gave so far.
 *
 * @param missing what the ECU did not have, for the one log line when the gap is done
 */
public record Gap(LocalDateTime from, LocalDateTime to, List<Task> tasks, int points, int days, List<String> missing) {

    /** Attempts of one query that failed (timeout, bad frame) before it is given up. */
    static final int ATTEMPTS = 3;

    public Gap {
        tasks = List.copyOf(tasks);
        missing = List.copyOf(missing);
    }

    /**
     * One query: the power curve of {@code date} ({@code 0003}), or the energy of whole missed {@code days} from one
     * period of {@code 0004}.
     */
    public record Task(LocalDate date, EnergyPeriod period, List<LocalDate> days, int attempts) {

        public Task {
            days = List.copyOf(days);
        }

        static Task curve(LocalDate date) {
            return new Task(date, null, List.of(), 0);
        }

        static Task energy(EnergyPeriod period, List<LocalDate> days) {
            return new Task(null, period, days, 0);
        }

        boolean isCurve() {
            return period == null;
        }

        String describe() {
            return isCurve() ? "power of " + date : "energy of " + span(days);
        }
    }

    /**
     * The queries for a gap: the curve of each date in it (at most {@code maxDays} back from {@code to}), then the
     * energy of each whole missed day, from the week's or the month's {@code 0004} (the ECU keeps only monthly totals
     * beyond its month).
     */
    static Gap of(LocalDateTime from, LocalDateTime to, int maxDays) {
        LocalDate today = to.toLocalDate();
        LocalDate oldest = today.minusDays(maxDays);
        List<Task> tasks = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (from.toLocalDate().isBefore(oldest)) {
            missing.add("power and energy before " + oldest + " (more than ecubridge.history.max-days back)");
        }
        for (LocalDate d = from.toLocalDate().isBefore(oldest) ? oldest : from.toLocalDate(); !d.isAfter(today); d = d.plusDays(1)) {
            tasks.add(Task.curve(d));
        }
        List<LocalDate> week = new ArrayList<>();
        List<LocalDate> month = new ArrayList<>();
        List<LocalDate> old = new ArrayList<>();
        for (LocalDate d = from.toLocalDate().plusDays(1); d.isBefore(today); d = d.plusDays(1)) {
            if (d.isBefore(oldest)) {
                continue;
            }
            if (!d.isBefore(today.minusDays(6))) {
                week.add(d);
            } else if (d.getMonth() == today.getMonth() && d.getYear() == today.getYear()) {
                month.add(d);
            } else {
                old.add(d);
            }
        }
        if (!week.isEmpty()) {
            tasks.add(Task.energy(EnergyPeriod.WEEK, week));
        }
        if (!month.isEmpty()) {
            tasks.add(Task.energy(EnergyPeriod.MONTH, month));
        }
        if (!old.isEmpty()) {
            missing.add("daily energy of " + span(old) + " (the ECU keeps monthly totals only)");
        }
        return new Gap(from, to, tasks, 0, 0, missing);
    }

    /** "2026-06-01" or "2026-06-01 to 2026-06-14". */
    static String span(List<LocalDate> days) {
        return days.get(0) + (days.size() > 1 ? " to " + days.get(days.size() - 1) : "");
    }

    /** Whether a power point's ECU-local time lies in the gap: live points at either end are never written again. */
    boolean contains(LocalDateTime t) {
        return t.isAfter(from) && t.isBefore(to);
    }

    Gap done(int morePoints, int moreDays, String notThere) {
        List<String> m = new ArrayList<>(missing);
        if (notThere != null) {
            m.add(notThere);
        }
        return new Gap(from, to, tasks.subList(1, tasks.size()), points + morePoints, days + moreDays, m);
    }

    Gap retry() {
        List<Task> t = new ArrayList<>(tasks);
        Task first = t.get(0);
        t.set(0, new Task(first.date(), first.period(), first.days(), first.attempts() + 1));
        return new Gap(from, to, t, points, days, missing);
    }
}
