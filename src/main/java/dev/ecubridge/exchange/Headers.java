package dev.ecubridge.exchange;

/**
 * The names of the exchange headers that the routes ({@code routes/*.yaml}) and the Java beans share, defined here
 * only. The YAML spells them out (the simple language has no constants); {@code ExchangeNamesTest} proves that every
 * name a route uses is one of these and that each of these is used.
 */
public final class Headers {

    /** The {@link dev.ecubridge.protocol.EcuCommand} a reply must answer; checked when converting the reply. */
    public static final String COMMAND = "EcuCommand";

    /** The {@link dev.ecubridge.protocol.EcuRequest} sent; a "reply" of its bytes is an echo, not an answer. */
    public static final String REQUEST = "EcuRequest";

    /** Set when an ECU has just gone down; the body is then its ECU id. */
    public static final String UNAVAILABLE = "EcuUnavailable";

    /** Set when the recovery hook should fire; {@link ExchangeProperties#RECOVERY} then says what happened. */
    public static final String RECOVER = "EcuRecover";

    /** The ECU id of the data, naming its folder in the files sink. */
    public static final String ECU_ID = "EcuId";

    /** The local day (YYYY-MM-DD) of the data, naming the day's file of the files sink. */
    public static final String DAY = "EcuDay";

    /** A delivery replayed from the sink's outbox. */
    public static final String REPLAY = "EcuReplay";

    /** What an MQTT message that is not a snapshot is (an ECU or meter going unavailable, a meter reading, discovery). */
    public static final String MQTT_EVENT = "EcuMqttEvent";

    private Headers() {
    }
}
