package dev.ecubridge.protocol;

/**
 * Why a frame could not be decoded: which reply, what is wrong and where.
 *
 * @param reply  the reply it concerns ("realtime", "info", ... or "frame" before the command is known)
 * @param kind   the class of problem, for counters and tests
 * @param offset byte offset in the frame where the problem is, or -1 when it concerns the frame as a whole
 * @param detail what is wrong, in words, naming the offset
 * @param partial what could be decoded before the problem (realtime records before an unknown type), else null
 */
public record FrameError(String reply, Kind kind, int offset, String detail, EcuReply partial) implements DecodeResult {

    public FrameError(String reply, Kind kind, int offset, String detail) {
        this(reply, kind, offset, detail, null);
    }

    public FrameError withPartial(EcuReply decoded) {
        return new FrameError(reply, kind, offset, detail, decoded);
    }

    public enum Kind {
        /** Does not start with {@code APS}, or is too short to be any reply. */
        NOT_A_FRAME,
        /**
         * Bytes on the connection that cannot start a reply (not {@code APS}, unknown group, bad length field): the
         * stream framer stops reading the connection there.
         */
        CORRUPTED,
        /** The connection closed without any reply (camel-netty then hands back the request itself). */
        NO_REPLY,
        /** The ECU sent the request back instead of a reply. */
        ECHO,
        /** The length field is not 4 decimal digits or is impossibly small. */
        BAD_LENGTH_FIELD,
        /** Fewer bytes than the length field announces. */
        TRUNCATED,
        /** More bytes than the length field announces. */
        TRAILING_BYTES,
        UNKNOWN_GROUP,
        /** A command number this collector never sends. */
        UNKNOWN_COMMAND,
        /** A valid reply, but not to the request that was sent. */
        UNEXPECTED_COMMAND,
        /** No {@code END\n} where the frame should end. */
        MISSING_TRAILER,
        /** A field holds a value its encoding does not allow (e.g. non-digit ASCII length). */
        BAD_FIELD,
        /** Variable parts (records, strings) do not add up to the frame length. */
        LAYOUT_MISMATCH,
        UNKNOWN_RECORD_TYPE,
        /** More than one record layout fits the frame. */
        AMBIGUOUS_RECORDS,
        /** A layout the protocol has but this collector does not decode (e.g. optimiser records). */
        UNSUPPORTED
    }

    /** One line: "realtime: record 3 at offset 80 has unknown type code '07'". */
    public String message() {
        return reply + ": " + detail;
    }

    @Override
    public String toString() {
        return message();
    }
}
