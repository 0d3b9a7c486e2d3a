package dev.ecubridge.app;

import dev.ecubridge.sinks.HttpFormat;
import dev.ecubridge.sinks.SinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the sink instances: {@code ecubridge.sinks=a,b} and {@code ecubridge.sink.NAME.KEY}. A key an instance does
 * not set has the shipped default of the instance named like its type. The older keys {@code ecubridge.influxdb.KEY}
 * {@code ecubridge.mqtt.KEY} and {@code ecubridge.kafka.KEY} set the instances named influxdb, mqtt and kafka; problems
 * are then reported under them.
 */
final class SinkSettings {

    /** The option keys of each type, besides type and enabled. A new type adds its line here. */
    static final Map<String, List<String>> TYPES = Map.of(
            "influxdb", List.of("url", "org", "bucket", "token"),
            "mqtt", List.of("broker-url", "client-id", "username", "password", "truststore", "truststore-password",
                    "base-topic", "discovery", "discovery-prefix", "discovery-listener"),
            "http", List.of("url", "headers", "username", "password", "bearer-token"),
            "kafka", Stream.concat(Stream.of("bootstrap-servers", "topic", "inverter-topic"),
                    KafkaSettings.CLIENT_KEYS.stream().sorted()).toList());

    /** The sink types whose older keys ({@code ecubridge.TYPE.KEY}) still configure the instance of that name. */
    static final Set<String> LEGACY = Set.of("influxdb", "mqtt", "kafka");

    private SinkSettings() {
    }

    static List<SinkConfig> read(Settings.Reader r) {
        Map<String, String> shipped = new LinkedHashMap<>();
        ShippedDefaults.entries().forEach(e -> shipped.put(e.key(), e.value() == null ? "" : e.value()));
        List<SinkConfig> sinks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : r.string("ecubridge.sinks", "").split(",")) {
            String name = entry.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!name.matches("[a-z0-9][a-z0-9-]*") || !names.add(name)) {
                r.problems.add("ecubridge.sinks: '" + name + "' " + (names.contains(name) && name.matches("[a-z0-9][a-z0-9-]*")
                        ? "is listed twice" : "is no name (lower-case letters, digits and '-')"));
                continue;
            }
            String type = r.string("ecubridge.sink." + name + ".type", TYPES.containsKey(name) ? name : "");
            if (!TYPES.containsKey(type)) {
                r.problems.add("ecubridge.sink." + name + ".type=" + type + ": must be one of " + String.join(", ", TYPES.keySet().stream().sorted().toList()));
                continue;
            }
            boolean legacy = LEGACY.contains(name) && usesLegacyKeys(r, name, type);
            Keys keys = new Keys(r, name, type, legacy, shipped);
            boolean enabled = r.bool(keys.key("enabled"), Boolean.parseBoolean(keys.fallback("enabled")));
            Map<String, String> options = new LinkedHashMap<>();
            for (String k : TYPES.get(type)) {
                options.put(k, keys.value(k));
            }
            SinkConfig sink = new SinkConfig(name, type, enabled, options);
            check(r, keys, sink);
            sinks.add(sink);
        }
        for (String legacy : LEGACY) {
            if (!names.contains(legacy) && r.lookup.apply("ecubridge." + legacy + ".enabled").map(v -> v.trim().equals("true")).orElse(false)) {
                r.problems.add("ecubridge." + legacy + ".enabled=true, but ecubridge.sinks does not list '" + legacy
                        + "': add it, or configure the sink as ecubridge.sink.NAME.*");
            }
        }
        return sinks;
    }

    private static boolean usesLegacyKeys(Settings.Reader r, String name, String type) {
        return r.lookup.apply("ecubridge." + name + ".enabled").isPresent()
                || TYPES.get(type).stream().anyMatch(k -> r.lookup.apply("ecubridge." + name + "." + k).isPresent());
    }

    /** Where an instance's keys are read: its own, the older ones, the defaults of its type. */
    private record Keys(Settings.Reader r, String name, String type, boolean legacy, Map<String, String> shipped) {

        String key(String option) {
            String old = "ecubridge." + name + "." + option;
            if (legacy && r.lookup.apply(old).isPresent()) {
                return old;
            }
            return legacy && !r.lookup.apply("ecubridge.sink." + name + "." + option).isPresent() ? old : "ecubridge.sink." + name + "." + option;
        }

        String fallback(String option) {
            return shipped.getOrDefault("ecubridge.sink." + type + "." + option, "");
        }

        String value(String option) {
            String old = "ecubridge." + name + "." + option;
            if (legacy && r.lookup.apply(old).isPresent()) {
                return r.string(old, "");
            }
            return r.string("ecubridge.sink." + name + "." + option, fallback(option));
        }
    }

    /** The checks of each type; an enabled instance must be complete, some values are checked either way. */
    private static void check(Settings.Reader r, Keys keys, SinkConfig s) {
        switch (s.type()) {
            case "influxdb" -> {
                if (s.enabled()) {
                    r.url(keys.key("url"), s.option("url"), "http://", "https://");
                    r.nonEmpty(keys.key("org"), s.option("org"));
                    r.nonEmpty(keys.key("bucket"), s.option("bucket"));
                    if (s.option("token").isEmpty()) {
                        r.problems.add(keys.key("token") + " is empty: InfluxDB 2 takes writes with a token only (best set as "
                                + SettingsSources.environmentName(keys.key("token")) + ")");
                    }
                }
            }
            case "mqtt" -> {
                if (s.enabled()) {
                    r.url(keys.key("broker-url"), s.option("broker-url"), "tcp://", "ssl://", "ws://", "wss://");
                }
                String base = s.option("base-topic");
                if (base.isEmpty() || base.contains("#") || base.contains("+") || base.endsWith("/")) {
                    r.problems.add(keys.key("base-topic") + "='" + base + "': a topic without wildcards or a trailing /");
                }
                String truststore = s.option("truststore");
                if (!truststore.isEmpty() && !Files.isReadable(Path.of(truststore))) {
                    r.problems.add(keys.key("truststore") + "=" + truststore + ": no readable file");
                }
                r.bool(keys.key("discovery"), true);
                r.bool(keys.key("discovery-listener"), true);
            }
            case "http" -> {
                if (s.enabled()) {
                    r.url(keys.key("url"), s.option("url"), "http://", "https://");
                }
                String headers = HttpFormat.problem(s.option("headers"));
                if (headers != null) {
                    r.problems.add(keys.key("headers") + ": " + headers);
                }
            }
            case "kafka" -> {
                if (s.enabled()) {
                    r.nonEmpty(keys.key("bootstrap-servers"), s.option("bootstrap-servers"));
                    r.nonEmpty(keys.key("topic"), s.option("topic"));
                }
            }
            default -> throw new IllegalStateException(s.type());
        }
    }
}
