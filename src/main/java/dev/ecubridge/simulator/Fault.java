package dev.ecubridge.simulator;

import dev.ecubridge.protocol.EcuCommand;
import java.util.Locale;

/** The ways a simulated ECU can misbehave, as real ones do. */
public enum Fault {
    /** Accept the connection, never answer. */
    STALL(false),
    /** Send half of the reply, then close. */
    CLOSE_MID_FRAME(false),
    /** Send the reply one byte per TCP segment. */
    DRIP(false),
    /** Spread the reply over N seconds (parameter, default 5). */
    SLOW_DRIP(true),
    /** Answer with random bytes. */
    GARBAGE(false),
    /** Echo another command number than the one asked. */
    WRONG_COMMAND(false),
    /** A length field that does not match the reply. */
    WRONG_LENGTH(false),
    /** Status 01: the ECU id does not match (16-byte short reply). */
    STATUS_01(false),
    /** Status 02: no data (16-byte short reply, as a freshly replaced ECU sends). */
    STATUS_02(false),
    /** A realtime reply with 0 inverters (ECU-C firmware of 2026). */
    ZERO_INVERTERS(false),
    /** The last realtime record carries type code 07, which nobody knows. */
    UNKNOWN_TYPE(false),
    /** Info reports lifetime energy 0. */
    LIFETIME_ZERO(false),
    /** Info reports today's energy 0. */
    TODAY_ZERO(false),
    /** After N answered requests (parameter), refuse every connection until power-cycled. */
    HANG_AFTER(true),
    /** Refuse a connection while another one is open. */
    REFUSE_CONCURRENT(false),
    /** On every other ECU refresh the realtime data time is one hour earlier (a clock that flips). */
    TIME_BACKWARDS(false),
    /** The realtime data time is not valid BCD. */
    BAD_TIME(false),
    /** The realtime data time lies in 2099. */
    TIME_FUTURE(false),
    /** The realtime data time lies in 2001. */
    TIME_PAST(false),
    /** Info reports 13 MWh more lifetime energy than produced. */
    LIFETIME_SPIKE(false),
    /** Info reports today's energy above lifetime. */
    TODAY_ABOVE_LIFETIME(false),
    /** The first online inverter's frequency, temperature, powers and voltages are raw 0xFFFF. */
    FFFF_FIELDS(false),
    /** The first inverter's record appears twice. */
    DUPLICATE_UID(false),
    /** The first inverter's uid has a non-decimal digit. */
    BAD_UID(false),
    /** The realtime data time stops at its value when the fault is switched on. */
    FROZEN_TIME(false),
    /** The inverters get new uids (of an unknown model) at every ECU refresh. */
    UID_CHURN(false),
    /** The reply followed, in the same TCP write, by a frame-shaped write command (0006, "set clock"). */
    TRAILING_WRITE(false),
    /** The reply sent twice, in one TCP write. */
    ANSWER_TWICE(false),
    /** Send the request back instead of a reply. */
    ECHO(false),
    /** Reset the connection (RST) instead of answering. */
    RESET(false),
    /** Power of day ({@code 0003}) and energy history ({@code 0004}) answer status 00 and no records, as some firmware does. */
    HISTORY_EMPTY(false);

    private final boolean takesParameter;

    Fault(boolean takesParameter) {
        this.takesParameter = takesParameter;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * One active fault: its parameter (seconds for slow-drip, polls for hang-after) and, optionally, the only command
     * it affects.
     */
    public record Spec(Fault fault, int parameter, EcuCommand only) {

        public boolean affects(EcuCommand command) {
            return only == null || only == command;
        }

        /** "stall", "slow-drip=5", "hang-after=3", "status-02@0002" */
        public static Spec parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            EcuCommand only = null;
            int at = t.indexOf('@');
            if (at >= 0) {
                String code = t.substring(at + 1);
                only = EcuCommand.fromCode(code).orElseThrow(() -> new IllegalArgumentException("fault " + text + ": unknown command " + code));
                t = t.substring(0, at);
            }
            int parameter = 0;
            int eq = t.indexOf('=');
            if (eq >= 0) {
                parameter = Integer.parseInt(t.substring(eq + 1));
                t = t.substring(0, eq);
            }
            for (Fault f : values()) {
                if (f.cliName().equals(t)) {
                    if (f.takesParameter && eq < 0) {
                        parameter = f == SLOW_DRIP ? 5 : 3;
                    }
                    return new Spec(f, parameter, only);
                }
            }
            throw new IllegalArgumentException("unknown fault '" + text + "'; one of " + names());
        }

        @Override
        public String toString() {
            return fault.cliName() + (fault.takesParameter ? "=" + parameter : "") + (only == null ? "" : "@" + only.code());
        }
    }

    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (Fault f : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f.cliName()).append(f.takesParameter ? "=N" : "");
        }
        return sb.toString();
    }
}
