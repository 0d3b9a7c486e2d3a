package dev.ecubridge.protocol;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A request to an ECU. The constructor is private and the factories below build only the read-only queries
 * of {@link EcuCommand}, each with validated parameters: this class cannot produce a command that changes
 * an ECU's configuration.
 */
public final class EcuRequest {

    private static final Pattern ECU_ID = Pattern.compile("\\d{12}");
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

    private final EcuCommand command;
    private final byte[] bytes;

    private EcuRequest(EcuCommand command, String parameters) {
        // APS + group 11 + LLLL + CCCC + parameters + END; LLLL excludes the trailing LF (spec §2)
        int length = 3 + 2 + 4 + 4 + parameters.length() + 3;
        String text = String.format("APS11%04d%s%sEND\n", length, command.code(), parameters);
        this.command = command;
        this.bytes = text.getBytes(StandardCharsets.US_ASCII);
    }

    public static EcuRequest info() {
        return new EcuRequest(EcuCommand.INFO, "");
    }

    public static EcuRequest realtime(String ecuId) {
        return new EcuRequest(EcuCommand.REALTIME, checkedId(ecuId));
    }

    public static EcuRequest signal(String ecuId) {
        return new EcuRequest(EcuCommand.SIGNAL, checkedId(ecuId));
    }

    public static EcuRequest powerOfDay(String ecuId, LocalDate day) {
        return new EcuRequest(EcuCommand.POWER_OF_DAY, checkedId(ecuId) + "END" + YYYYMMDD.format(day));
    }

    public static EcuRequest energyHistory(String ecuId, EnergyPeriod period) {
        return new EcuRequest(EcuCommand.ENERGY_HISTORY, checkedId(ecuId) + "END" + period.code());
    }

    /** Builds the query for {@code command} that needs only the ECU id (info ignores it). */
    public static EcuRequest of(EcuCommand command, String ecuId) {
        switch (command) {
            case INFO: return info();
            case REALTIME: return realtime(ecuId);
            case SIGNAL: return signal(ecuId);
            default: throw new IllegalArgumentException(command.label() + " needs more parameters than an ECU id");
        }
    }

    private static String checkedId(String ecuId) {
        if (ecuId == null || !ECU_ID.matcher(ecuId).matches()) {
            throw new IllegalArgumentException("ECU id must be 12 digits, got '" + ecuId + "'");
        }
        return ecuId;
    }

    public EcuCommand command() {
        return command;
    }

    /** The bytes to send, including the trailing LF. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.US_ASCII);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EcuRequest && Arrays.equals(bytes, ((EcuRequest) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
