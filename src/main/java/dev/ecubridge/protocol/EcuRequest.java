package dev.ecubridge.protocol;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
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
    private final String ecuId;
    private final LocalDate day;
    private final EnergyPeriod period;
    private final byte[] bytes;

    private EcuRequest(EcuCommand command, String ecuId, LocalDate day, EnergyPeriod period) {
        String parameters = ecuId == null ? ""
                : ecuId + (day != null ? "END" + YYYYMMDD.format(day) : period != null ? "END" + period.code() : "");
        // APS + group 11 + LLLL + CCCC + parameters + END; LLLL excludes the trailing LF (spec §2)
        int length = 3 + 2 + 4 + 4 + parameters.length() + 3;
        String lengthField = Integer.toString(10_000 + length).substring(1); // 4 digits; String.format costs per request
        String text = "APS11" + lengthField + command.code() + parameters + "END\n";
        this.command = command;
        this.ecuId = ecuId;
        this.day = day;
        this.period = period;
        this.bytes = text.getBytes(StandardCharsets.US_ASCII);
    }

    public static EcuRequest info() {
        return new EcuRequest(EcuCommand.INFO, null, null, null);
    }

    public static EcuRequest realtime(String ecuId) {
        return new EcuRequest(EcuCommand.REALTIME, checkedId(ecuId), null, null);
    }

    public static EcuRequest signal(String ecuId) {
        return new EcuRequest(EcuCommand.SIGNAL, checkedId(ecuId), null, null);
    }

    public static EcuRequest powerOfDay(String ecuId, LocalDate day) {
        return new EcuRequest(EcuCommand.POWER_OF_DAY, checkedId(ecuId), Objects.requireNonNull(day, "day"), null);
    }

    public static EcuRequest energyHistory(String ecuId, EnergyPeriod period) {
        return new EcuRequest(EcuCommand.ENERGY_HISTORY, checkedId(ecuId), null, Objects.requireNonNull(period, "period"));
    }

    /** The request length without the optional trailing LF, per command: what an ECU reads. */
    public static int length(EcuCommand command) {
        switch (command) {
            case INFO: return 16;
            case POWER_OF_DAY: return 39;
            case ENERGY_HISTORY: return 33;
            default: return 28;
        }
    }

    /**
     * Recognises a request as an ECU reads it (used by the simulator): one of the read-only queries with valid
     * parameters, with or without the trailing LF. Like a real ECU it does not insist on the length field.
     * Anything else, including every configuration command, is empty.
     */
    public static Optional<EcuRequest> parse(byte[] received) {
        int n = received.length;
        if (n > 0 && received[n - 1] == '\n') {
            n--;
        }
        String text = new String(received, 0, n, StandardCharsets.ISO_8859_1);
        if (text.length() < 16 || !text.startsWith("APS11") || !text.endsWith("END")) {
            return Optional.empty();
        }
        Optional<EcuCommand> command = EcuCommand.fromCode(text.substring(9, 13));
        if (command.isEmpty() || text.length() != length(command.get())) {
            return Optional.empty();
        }
        String params = text.substring(13, text.length() - 3);
        try {
            switch (command.get()) {
                case INFO: return params.isEmpty() ? Optional.of(info()) : Optional.empty();
                case REALTIME: return Optional.of(realtime(params));
                case SIGNAL: return Optional.of(signal(params));
                case POWER_OF_DAY: return params.startsWith("END", 12)
                        ? Optional.of(powerOfDay(params.substring(0, 12), LocalDate.parse(params.substring(15), YYYYMMDD)))
                        : Optional.empty();
                default: return params.startsWith("END", 12)
                        ? EnergyPeriod.fromCode(params.substring(15)).map(p -> energyHistory(params.substring(0, 12), p))
                        : Optional.empty();
            }
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The ECU id the request carries; null for info. */
    public String ecuId() {
        return ecuId;
    }

    /** The day of a power-of-day request, else null. */
    public LocalDate day() {
        return day;
    }

    /** The period of an energy-history request, else null. */
    public EnergyPeriod period() {
        return period;
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
