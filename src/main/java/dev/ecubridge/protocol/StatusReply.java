package dev.ecubridge.protocol;

/**
 * A reply whose status is not {@code 00}: {@code 01} the ECU id did not match, {@code 02} the ECU has no data.
 * Such replies carry no data (often as the 16-byte short form without {@code END}).
 */
public record StatusReply(EcuCommand command, String status) implements EcuReply {

    public static final String ID_MISMATCH = "01";
    public static final String NO_DATA = "02";

    public String meaning() {
        switch (status) {
            case ID_MISMATCH: return "the ECU id in the request does not match this ECU";
            case NO_DATA: return "the ECU has no data";
            default: return "unknown status";
        }
    }
}
