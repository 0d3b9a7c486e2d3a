package dev.ecubridge.app;

import dev.ecubridge.metrics.SolarMetrics;
import dev.ecubridge.snapshot.Night;
import dev.ecubridge.gate.Plausibility;
import dev.ecubridge.sinks.SinkConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The bridge's configuration (never logged as a whole: it holds the InfluxDB token and the MQTT password): the {@code ecubridge.*} keys of application.properties, each overridable by an
 * environment variable (ECUBRIDGE_SINK_MQTT_BROKER_URL for ecubridge.sink.mqtt.broker-url) or a -D system property. Read
 * through Camel's properties component, so routes and this class see the same values.
 */
public record Settings(List<Ecu> ecus, int pollIntervalSeconds, int queryPauseMillis, int requestTimeoutMillis,
                       int unavailableAfterFailures, ZoneId zone, List<SinkConfig> sinks, boolean filesEnabled, Path filesDirectory,
                       Path outboxDirectory, int outboxMaxEntries, int outboxMaxAgeDays,
                       int backoffMaxSeconds, int recoveryAfterFailures, int recoveryCooldownMinutes,
                       String recoveryWebhookUrl, String recoveryMqttTopic, String recoveryMqttPayload,
                       Plausibility plausibility, Night night,
                       SolarMetrics.Detail prometheusSolarSeries, boolean prometheusCountersAtZero,
                       boolean managementEnabled, String managementHost, int managementPort,
                       Path ecusFile, int ecusFileCheckSeconds, int maxCyclesInFlight,
                       List<String> problems, List<String> warnings) {

    /** One ECU to poll, and the zone of its time stamps when it has its own (null: {@code ecubridge.zone}). */
    public record Ecu(String name, String host, int port, ZoneId zone) {

        public Ecu(String name, String host, int port) {
            this(name, host, port, null);
        }

        /** Why this ECU cannot be polled besides those whose names and host:port are given, or null; else adds it. */
        public String addTo(Set<String> names, Set<String> addresses) {
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                return "name '" + name + "' may use letters, digits, '.', '_' and '-' only";
            }
            if (host.isEmpty() || port < 1 || port > 65535) {
                return "'" + host + ":" + port + "' is not host:port";
            }
            if (addresses.contains(host + ":" + port)) {
                return host + ":" + port + " is listed twice (one connection per ECU at a time)";
            }
            if (!names.add(name)) {
                return "the name '" + name + "' is used twice";
            }
            addresses.add(host + ":" + port);
            return null;
        }
    }

    /** The enabled sink instances, in the order of ecubridge.sinks. */
    public List<SinkConfig> enabledSinks() {
        return sinks.stream().filter(SinkConfig::enabled).toList();
    }

    /** The configured sink of that name, or null. */
    public SinkConfig sink(String name) {
        return sinks.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** Reads and checks every key; problems are collected, not thrown, so all of them can be shown at once. */
    public static Settings read(Function<String, Optional<String>> lookup) {
        Reader r = new Reader(lookup);
        String file = r.string("ecubridge.ecus-file");
        Path ecusFile = file.isEmpty() ? null : Path.of(file);
        List<Ecu> ecus = ecusFile == null ? r.ecus("ecubridge.ecus") : r.ecusFile(ecusFile);
        int inFlight = r.integer("ecubridge.max-cycles-in-flight", 1, 100_000);
        int fileCheck = r.integer("ecubridge.ecus-file-check-seconds", 1, 3600);
        int interval = r.integer("ecubridge.poll-interval-seconds", 1, 86_400);
        if (interval < 60) {
            r.warnings.add("ecubridge.poll-interval-seconds=" + interval + ": below 60 s; an ECU refreshes its data only every"
                    + " 300 s and some hang when polled often");
        }
        int pause = r.integer("ecubridge.query-pause-ms", 0, 60_000);
        int timeout = r.integer("ecubridge.request-timeout-ms", 100, 120_000);
        int unavailableAfter = r.integer("ecubridge.unavailable-after-failures", 1, 1000);
        ZoneId zone = r.zone("ecubridge.zone");
        List<SinkConfig> sinks = SinkSettings.read(r);
        boolean files = r.bool("ecubridge.files.enabled", true);
        Path dir = Path.of(r.string("ecubridge.files.directory", "data"));
        r.bool("ecubridge.files.captures"); // read by the files route
        Path outbox = Path.of(r.string("ecubridge.outbox.directory", dir.resolve("outbox").toString()));
        int outboxEntries = r.integer("ecubridge.outbox.max-entries", 500_000, 1, Integer.MAX_VALUE);
        int outboxDays = r.integer("ecubridge.outbox.max-age-days", 30, 1, 3650);
        r.integer("ecubridge.outbox.retry-seconds", 10, 1, 3600);
        int backoffMax = r.integer("ecubridge.backoff-max-seconds", 1, 86_400);
        int recoverAfter = r.integer("ecubridge.recovery.after-failures", 0, 10_000);
        int cooldown = r.integer("ecubridge.recovery.cooldown-minutes", 1, 10_080);
        String webhook = r.string("ecubridge.recovery.webhook-url");
        if (!webhook.isEmpty()) {
            r.url("ecubridge.recovery.webhook-url", webhook, "http://", "https://");
        }
        String command = r.string("ecubridge.recovery.mqtt-topic");
        if (!command.isEmpty() && sinks.stream().noneMatch(k -> k.enabled() && k.type().equals("mqtt"))) {
            r.problems.add("ecubridge.recovery.mqtt-topic is set but no MQTT sink is enabled");
        }
        if (recoverAfter > 0 && webhook.isEmpty() && command.isEmpty()) {
            r.problems.add("ecubridge.recovery.after-failures=" + recoverAfter + " but neither ecubridge.recovery.webhook-url "
                    + "nor ecubridge.recovery.mqtt-topic is set");
        }
        String commandPayload = r.string("ecubridge.recovery.mqtt-payload");
        Plausibility plausibility = new Plausibility(
                Duration.ofMinutes(r.integer("ecubridge.plausibility.max-clock-skew-minutes", 1, 525_600)),
                r.integer("ecubridge.plausibility.rebase-after", 1, 1000),
                1 + r.integer("ecubridge.plausibility.energy-margin-percent", 0, 1000) / 100.0,
                r.integer("ecubridge.plausibility.stale-after-refreshes", 0, 100_000));
        String nightWord = r.string("ecubridge.night");
        Night night = Night.of(nightWord);
        if (night == null) {
            r.problems.add("ecubridge.night=" + nightWord + ": must be unavailable or zero");
            night = Night.UNAVAILABLE;
        }
        String seriesWord = r.string("ecubridge.prometheus.solar-series");
        SolarMetrics.Detail solarSeries = SolarMetrics.Detail.of(seriesWord);
        if (solarSeries == null) {
            r.problems.add("ecubridge.prometheus.solar-series=" + seriesWord + ": must be all, ecu or none");
            solarSeries = SolarMetrics.Detail.ALL;
        }
        boolean countersAtZero = r.bool("ecubridge.prometheus.counters-at-zero");
        boolean management = r.bool("camel.management.enabled");
        String managementHost = r.string("camel.management.host");
        int managementPort = r.integer("camel.management.port", 1, 65535);
        return new Settings(ecus, interval, pause, timeout, unavailableAfter, zone, sinks, files, dir, outbox, outboxEntries, outboxDays, backoffMax, recoverAfter, cooldown, webhook,
                command, commandPayload, plausibility, night, solarSeries, countersAtZero, management, managementHost, managementPort,
                ecusFile, fileCheck, inFlight, List.copyOf(r.problems), List.copyOf(r.warnings));
    }

    /** Collects problems as it reads (also {@link MeterSettings}). */
    static final class Reader {
        final Function<String, Optional<String>> lookup;
        final List<String> problems = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        Reader(Function<String, Optional<String>> lookup) {
            this.lookup = lookup;
        }

        String string(String key, String fallback) {
            return lookup.apply(key).map(String::trim).orElse(fallback);
        }

        /** A key whose default is in the shipped application.properties, which the lookup always has: "" when empty. */
        String string(String key) {
            return string(key, "");
        }

        /** A key with its default in the shipped application.properties: empty is a problem. */
        int integer(String key, int min, int max) {
            String v = string(key);
            if (v.isEmpty()) {
                problems.add(key + " is empty: a whole number between " + min + " and " + max);
                return min;
            }
            return integer(key, min, min, max);
        }

        /** A key with its default in the shipped application.properties: empty is a problem. */
        boolean bool(String key) {
            if (string(key).isEmpty()) {
                problems.add(key + " is empty: true or false");
                return false;
            }
            return bool(key, false);
        }

        int integer(String key, int fallback, int min, int max) {
            String v = string(key, Integer.toString(fallback));
            try {
                int i = Integer.parseInt(v);
                if (i < min || i > max) {
                    problems.add(key + "=" + v + ": must be between " + min + " and " + max);
                }
                return i;
            } catch (NumberFormatException e) {
                problems.add(key + "=" + v + ": not a whole number");
                return fallback;
            }
        }

        boolean bool(String key, boolean fallback) {
            String v = string(key, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                problems.add(key + "=" + v + ": true or false");
                return fallback;
            }
            return Boolean.parseBoolean(v);
        }

        ZoneId zone(String key) {
            String v = string(key);
            if (v.isEmpty()) {
                return null;
            }
            try {
                return ZoneId.of(v);
            } catch (DateTimeException e) {
                problems.add(key + "=" + v + ": not a time zone (e.g. Europe/Amsterdam)");
                return null;
            }
        }

        void url(String key, String value, String... schemes) {
            for (String scheme : schemes) {
                if (value.startsWith(scheme) && value.length() > scheme.length()) {
                    return;
                }
            }
            problems.add(key + "=" + value + ": must start with " + String.join(" or ", schemes));
        }

        void nonEmpty(String key, String value) {
            if (value.isEmpty()) {
                problems.add(key + " is empty");
            }
        }

        List<Ecu> ecus(String key) {
            String v = string(key);
            List<Ecu> ecus = new ArrayList<>();
            Set<String> names = new HashSet<>();
            Set<String> addresses = new HashSet<>();
            if (v.isEmpty()) {
                problems.add(key + " is empty: list the ECUs to poll, e.g. " + key + "=192.0.2.10 or roof=192.0.2.10:8899,garage=192.0.2.11");
                return ecus;
            }
            for (String entry : v.split(",")) {
                String e = entry.trim();
                String name = null;
                int eq = e.indexOf('=');
                if (eq >= 0) {
                    name = e.substring(0, eq).trim();
                    e = e.substring(eq + 1).trim();
                }
                String host = e;
                int port = 8899;
                int colon = e.lastIndexOf(':');
                if (colon >= 0) {
                    host = e.substring(0, colon);
                    try {
                        port = Integer.parseInt(e.substring(colon + 1));
                    } catch (NumberFormatException ex) {
                        port = -1;
                    }
                }
                if (host.isEmpty() || port < 1 || port > 65535) {
                    problems.add(key + ": '" + entry.trim() + "' is not host[:port]");
                    continue;
                }
                if (name == null || name.isEmpty()) {
                    name = host + (port == 8899 ? "" : "-" + port);
                }
                Ecu ecu = new Ecu(name, host, port);
                String conflict = ecu.addTo(names, addresses);
                if (conflict != null) {
                    problems.add(key + ": " + conflict);
                    continue;
                }
                ecus.add(ecu);
            }
            return ecus;
        }

        /** A missing file stops the start; a bad line is a warning, and the other lines are polled. */
        List<Ecu> ecusFile(Path file) {
            try {
                EcusFile read = EcusFile.read(file);
                warnings.addAll(read.problems());
                if (read.ecus().isEmpty()) {
                    warnings.add("ecubridge.ecus-file=" + file + " lists no ECUs yet");
                }
                return read.ecus();
            } catch (java.io.IOException e) {
                problems.add("ecubridge.ecus-file=" + file + ": cannot read it (" + e + ")");
                return List.of();
            }
        }
    }
}
