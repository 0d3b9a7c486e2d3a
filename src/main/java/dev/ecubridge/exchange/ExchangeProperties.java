package dev.ecubridge.exchange;

/**
 * The names of the exchange properties that the routes ({@code routes/*.yaml}) and the Java beans share, or that
 * more than one bean reads, defined here only. {@code ExchangeNamesTest} proves that every name a route uses is one
 * of these and that each of these is used.
 */
public final class ExchangeProperties {

    /** The name of the ECU a cycle polls (ecubridge.ecus). */
    public static final String ECU = "ecu";

    /** The host of that ECU. */
    public static final String HOST = "ecuHost";

    /** The time zone of that ECU. */
    public static final String ZONE = "ecuZone";

    /** Which query of the cycle is due: info, realtime, signal or history. */
    public static final String STEP = "EcuStep";

    /** Whether a history query follows the signal query (an open gap). */
    public static final String HISTORY_DUE = "EcuHistoryDue";

    /** The raw reply just received, kept by the query route before it is converted. */
    public static final String FRAME = "EcuFrame";

    /** What the recovery hook is told ({@link dev.ecubridge.poll.PollCycle.Recovery}). */
    public static final String RECOVERY = "recovery";

    /** The grid meter a meter read is for. */
    public static final String METER = "meter";

    /** The snapshot a sink is writing, kept while the body becomes its output. */
    public static final String SNAPSHOT = "snapshot";

    /** What a sink is delivering, kept for its outbox should the delivery fail. */
    public static final String DELIVERY = "delivery";

    /** Set by a sink's delivery when its send failed, so that the delivery goes on to the outbox. */
    public static final String SINK_FAILED = "sinkFailed";

    /**
     * Set by a sink reading the readings topic (cluster mode) when the record needs no write: the sink wrote its (ECU id,
     * ECU time) already, or it is no snapshot. Its offset is committed all the same.
     */
    public static final String READING_SKIP = "readingSkip";

    private ExchangeProperties() {
    }
}
