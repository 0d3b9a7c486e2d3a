package dev.ecubridge.sinks;

import java.util.List;

/** The enabled sink instances, bound as {@code sinks}: the publishing routes hand data over to them by type. */
public final class Sinks {

    private final List<SinkConfig> enabled;

    public Sinks(List<SinkConfig> enabled) {
        this.enabled = List.copyOf(enabled);
    }

    /** Every enabled sink's hand-over endpoint. */
    public List<String> all() {
        return enabled.stream().map(SinkConfig::handover).toList();
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
