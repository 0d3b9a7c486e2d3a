package dev.ecubridge.sinks;

import java.util.List;

/**
 * The enabled sink instances, bound as {@code sinks}: the publishing routes hand data over to them by type. In cluster
 * mode with a readings topic, snapshots go to that topic instead (through the Kafka sink instance {@code readings}),
 * and the sinks read them from there.
 */
public final class Sinks {

    private final List<SinkConfig> enabled;
    private final SinkConfig readings;

    public Sinks(List<SinkConfig> enabled) {
        this(enabled, null);
    }

    /** @param readings the instance that writes the readings topic; null: snapshots go to the sinks directly */
    public Sinks(List<SinkConfig> enabled, SinkConfig readings) {
        this.enabled = List.copyOf(enabled);
        this.readings = readings;
    }

    /** Where each snapshot goes: every enabled sink's hand-over endpoint, or the readings topic's. */
    public List<String> all() {
        return readings != null ? List.of(readings.handover()) : enabled.stream().map(SinkConfig::handover).toList();
    }

    /** Snapshots go to the readings topic: the files and sinks write them as they read it, not as they are polled. */
    public boolean viaReadings() {
        return readings != null;
    }

    /** The hand-over endpoints of the enabled sinks of this type. */
    public List<String> ofType(String type) {
        return enabled.stream().filter(s -> s.type().equals(type)).map(SinkConfig::handover).toList();
    }

    public boolean has(String type) {
        return !ofType(type).isEmpty();
    }

    /** The send endpoint of the first enabled sink of this type (the recovery hook's MQTT command), or null. */
    public String firstSend(String type) {
        return enabled.stream().filter(s -> s.type().equals(type)).findFirst().map(s -> "direct:sink-" + s.name() + "-send")
                .orElse(null);
    }
}
