package dev.ecubridge.gate;

import java.time.LocalDateTime;

/**
 * The last good value of a counter or clock, which the next reading is checked against. A rejected reading never
 * becomes the reference; but when {@code rebaseAfter} readings in a row contradict the reference and agree with each
 * other (each one follows the one before it by the same rule), the ECU is believed and the reference re-based: one
 * glitch that got through (or was persisted by an older version) cannot block a counter for months.
 */
public final class Reference<T> {

    /** What {@link #offer} decided. */
    public enum Verdict { ACCEPTED, REJECTED, REBASED }

    private T value;
    private LocalDateTime at;
    private T candidate;
    private LocalDateTime candidateAt;
    private int contradictions;
    private String reason;

    public Reference(T value, LocalDateTime at) {
        this.value = value;
        this.at = at;
    }

    public T value() {
        return value;
    }

    public LocalDateTime at() {
        return at;
    }

    /** Why the last offer was rejected, or null. */
    public String reason() {
        return reason;
    }

    /** Readings in a row that contradict the reference and agree with each other. */
    public int contradictions() {
        return contradictions;
    }

    /** Checks a reading against the reference by {@code rule}; without a reference, any reading is accepted. */
    public Verdict offer(T reading, LocalDateTime readingAt, Rule<T> rule, int rebaseAfter) {
        reason = value == null ? null : rule.reject(value, at, reading, readingAt);
        if (reason == null) {
            set(reading, readingAt);
            return Verdict.ACCEPTED;
        }
        boolean agrees = candidate != null && rule.reject(candidate, candidateAt, reading, readingAt) == null;
        contradictions = agrees ? contradictions + 1 : 1;
        candidate = reading;
        candidateAt = readingAt;
        if (contradictions >= rebaseAfter) {
            set(reading, readingAt);
            return Verdict.REBASED;
        }
        return Verdict.REJECTED;
    }

    /** Sets the reference, e.g. at a new day; forgets pending contradictions. */
    public void set(T newValue, LocalDateTime newAt) {
        value = newValue;
        at = newAt;
        candidate = null;
        candidateAt = null;
        contradictions = 0;
    }
}
