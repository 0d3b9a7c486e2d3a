package dev.ecubridge.sinks;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One published quantity, described once for every output: the JSON lines and states ({@link SnapshotJson}), InfluxDB
 * ({@link InfluxPoints}), MQTT topics and Home Assistant discovery ({@link MqttMessages}). See {@link Quantities}.
 *
 * @param key        JSON field, InfluxDB field and MQTT topic name; a channel's is prefixed {@code ch<N>_} in JSON and
 *                   {@code ch<N>/} in topics
 * @param level      the measurement it belongs to, and the type {@code value} reads
 * @param name       the Home Assistant entity name (a channel's gets " ch<N>")
 * @param unit       null for none
 * @param kind       live values expire (MQTT message expiry, HA {@code expire_after}); counters never do
 * @param value      where the value comes from; null is "no data"
 * @param exists     whether the quantity exists for this inverter's or channel's layout, online or not
 * @param ha         how Home Assistant announces it; null: not announced
 * @param topic      whether it has a topic of its own under the base topic
 * @param influx     whether it is an InfluxDB field
 * @param prometheus a metric name for this quantity (HELP text in {@code help}); null: none
 */
public record Quantity<S>(String key, Level level, String name, String unit, Type type, Kind kind,
                          Function<S, ?> value, Predicate<S> exists, Ha ha, boolean topic, boolean influx,
                          String prometheus, String help) {

    public enum Level { ECU, INVERTER, CHANNEL, METER }

    public enum Type { INTEGER, DECIMAL, BOOLEAN }

    public enum Kind {
        /** A measurement of now: expires when not renewed; unavailable while its inverter is offline. */
        LIVE,
        /** An energy counter: never expires, stays available while the inverter is offline. */
        COUNTER,
        /** A state of the bridge's view (online, how many inverters): never expires. */
        STATE
    }

    /**
     * Home Assistant's view of a quantity.
     *
     * @param id          the component id after the device's id (stable: it is part of the entity's unique id)
     * @param template    a value template on the device's JSON state; null: {@code {{ value_json.<key> }}}, or for
     *                    counters their own topic (a rejected value is not published there, so the last good one stays)
     * @param zeroAtNight with {@code ecubridge.night=zero} the entity stays available while its inverter is offline
     */
    public record Ha(String id, String platform, String deviceClass, String stateClass, String category,
                     String template, boolean zeroAtNight) {
    }

    public Object valueOf(S source) {
        return value.apply(source);
    }

    public boolean existsFor(S source) {
        return exists.test(source);
    }

    Quantity<S> diagnostic() {
        return withHa(new Ha(ha.id(), ha.platform(), ha.deviceClass(), ha.stateClass(), "diagnostic", ha.template(),
                ha.zeroAtNight()));
    }

    Quantity<S> zeroAtNight() {
        return withHa(new Ha(ha.id(), ha.platform(), ha.deviceClass(), ha.stateClass(), ha.category(), ha.template(), true));
    }

    Quantity<S> withHa(Ha newHa) {
        return new Quantity<>(key, level, name, unit, type, kind, value, exists, newHa, topic, influx, prometheus, help);
    }

    Quantity<S> notInInflux() {
        return new Quantity<>(key, level, name, unit, type, kind, value, exists, ha, topic, false, prometheus, help);
    }

    Quantity<S> noTopic() {
        return new Quantity<>(key, level, name, unit, type, kind, value, exists, ha, false, influx, prometheus, help);
    }

    Quantity<S> onlyWhere(Predicate<S> where) {
        return new Quantity<>(key, level, name, unit, type, kind, value, where, ha, topic, influx, prometheus, help);
    }

    Quantity<S> metric(String metricName, String helpText) {
        return new Quantity<>(key, level, name, unit, type, kind, value, exists, ha, topic, influx, metricName, helpText);
    }
}
