package dev.ecubridge.meter;

/** Why a read of the meter gave no series: one word per kind (logs, health, counter) and the detail. */
public record MeterFailure(Kind kind, String explanation) implements MeterResult {

    public enum Kind {
        /** The ECU answers 404: firmware without the meter page, or no meter configured (issues #122, #131). */
        NOT_FOUND("404"),
        /** Empty series (the first minutes after midnight) or "No Data" (firmware C1.2.26). */
        NO_DATA("no-data"),
        /** An answer that is not the expected JSON. */
        MALFORMED("malformed"),
        /** No answer within ecubridge.meter.timeout-ms. */
        TIMEOUT("timeout"),
        /** Connection refused, unreachable, unknown host. */
        UNREACHABLE("unreachable"),
        /** Any other HTTP status or I/O error. */
        HTTP_ERROR("http-error");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }
}
