package dev.ecubridge.sinks;

import java.util.Map;

/**
 * One configured sink instance: {@code ecubridge.sinks} lists the names, {@code ecubridge.sink.NAME.*} holds its type,
 * whether it is enabled and the options of its type (keys without the prefix: url, token, base-topic, ...).
 */
public record SinkConfig(String name, String type, boolean enabled, Map<String, String> options) {

    public SinkConfig {
        options = Map.copyOf(options);
    }

    /** The option's value; empty when not set. */
    public String option(String key) {
        return options.getOrDefault(key, "");
    }

    /** The endpoint that hands data over to this sink (routes/sinks.yaml). */
    public String handover() {
        return "direct:sink-" + name;
    }

    /** The option names only: values hold passwords and tokens. */
    @Override
    public String toString() {
        return "SinkConfig[name=" + name + ", type=" + type + ", enabled=" + enabled + ", options=" + options.keySet() + "]";
    }
}
