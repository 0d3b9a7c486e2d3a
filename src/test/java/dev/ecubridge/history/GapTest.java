package dev.ecubridge.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ecubridge.protocol.EnergyPeriod;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which queries a gap needs: the curve of each date, the energy of whole days from the week or the month. */
class GapTest {

    @Test
    void aGapWithinADayNeedsOnlyThatDaysCurve() {
        Gap gap = Gap.of(LocalDateTime.parse("2026-06-21T10:00"), LocalDateTime.parse("2026-06-21T12:00"), 31);
        assertThat(gap.tasks()).containsExactly(Gap.Task.curve(LocalDate.parse("2026-06-21")));
        assertThat(gap.contains(LocalDateTime.parse("2026-06-21T10:00"))).as("the live point before").isFalse();
        assertThat(gap.contains(LocalDateTime.parse("2026-06-21T10:05"))).isTrue();
        assertThat(gap.contains(LocalDateTime.parse("2026-06-21T12:00"))).as("the live point after").isFalse();
    }

    @Test
    void wholeDaysTakeTheirEnergyFromTheWeekThenTheMonthAndOlderOnesAreSaidToBeMissing() {
        Gap gap = Gap.of(LocalDateTime.parse("2026-05-30T18:00"), LocalDateTime.parse("2026-06-21T08:00"), 31);
        assertThat(gap.tasks()).hasSize(23 + 2);
        assertThat(gap.tasks().get(0)).isEqualTo(Gap.Task.curve(LocalDate.parse("2026-05-30")));
        Gap.Task week = gap.tasks().get(23);
        assertThat(week.period()).isEqualTo(EnergyPeriod.WEEK);
        assertThat(week.days()).first().isEqualTo(LocalDate.parse("2026-06-15"));
        assertThat(week.days()).last().isEqualTo(LocalDate.parse("2026-06-20"));
        Gap.Task month = gap.tasks().get(24);
        assertThat(month.period()).isEqualTo(EnergyPeriod.MONTH);
        assertThat(month.days()).hasSize(14).first().isEqualTo(LocalDate.parse("2026-06-01"));
        assertThat(gap.missing()).containsExactly("daily energy of 2026-05-31 (the ECU keeps monthly totals only)");
    }

    @Test
    void daysBeyondMaxDaysAreNotAskedFor() {
        Gap gap = Gap.of(LocalDateTime.parse("2026-01-01T12:00"), LocalDateTime.parse("2026-06-21T08:00"), 3);
        assertThat(gap.tasks().stream().filter(Gap.Task::isCurve).map(Gap.Task::date).toList())
                .isEqualTo(List.of(LocalDate.parse("2026-06-18"), LocalDate.parse("2026-06-19"), LocalDate.parse("2026-06-20"),
                        LocalDate.parse("2026-06-21")));
        assertThat(gap.missing()).first().asString().startsWith("power and energy before 2026-06-18");
    }

    @Test
    void aFailedQueryIsTriedAgainThenGivenUp() {
        Gap gap = Gap.of(LocalDateTime.parse("2026-06-21T10:00"), LocalDateTime.parse("2026-06-21T12:00"), 31);
        Gap again = gap.retry().retry();
        assertThat(again.tasks().get(0).attempts()).isEqualTo(2);
        Gap done = again.done(0, 0, "power of 2026-06-21 (3 attempts failed: timeout)");
        assertThat(done.tasks()).isEmpty();
        assertThat(done.missing()).containsExactly("power of 2026-06-21 (3 attempts failed: timeout)");
    }
}
