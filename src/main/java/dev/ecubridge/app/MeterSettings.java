package dev.ecubridge.app;

import dev.ecubridge.meter.MeterSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code ecubridge.meter.*} keys: which ECUs (ECU-C with CT clamps) have their meter read over HTTP, and how often.
 * A meter is on its ECU's host, port 80, unless {@code ecubridge.meter.ecus} says {@code name=host[:port]}.
 *
 * @param meters the meters to read (none while {@code ecubridge.meter.enabled=false})
 */
public record MeterSettings(boolean enabled, int intervalSeconds, int timeoutMillis, List<MeterSource> meters,
                            List<String> problems) {

    public static MeterSettings read(Function<String, Optional<String>> lookup, List<Settings.Ecu> ecus) {
        Settings.Reader r = new Settings.Reader(lookup);
        boolean enabled = r.bool("ecubridge.meter.enabled");
        int interval = r.integer("ecubridge.meter.interval-seconds", 1, 86_400);
        int timeout = r.integer("ecubridge.meter.timeout-ms", 100, 120_000);
        List<MeterSource> meters = new ArrayList<>();
        if (enabled) {
            String list = r.string("ecubridge.meter.ecus");
            List<String> entries = list.isEmpty() ? ecus.stream().map(Settings.Ecu::name).toList() : List.of(list.split(","));
            for (String entry : entries) {
                String e = entry.trim();
                int eq = e.indexOf('=');
                String name = eq < 0 ? e : e.substring(0, eq).trim();
                Optional<Settings.Ecu> ecu = ecus.stream().filter(x -> x.name().equals(name)).findFirst();
                String host = eq < 0 ? ecu.map(Settings.Ecu::host).orElse(null) : e.substring(eq + 1).trim();
                if (host != null && host.toLowerCase(Locale.ROOT).startsWith("http://")) {
                    host = host.substring("http://".length());
                }
                if (ecu.isEmpty()) {
                    r.problems.add("ecubridge.meter.ecus: '" + name + "' is not the name of an ECU in ecubridge.ecus");
                } else if (host == null || !host.matches("[A-Za-z0-9_.\\-\\[\\]:]+/?")) {
                    r.problems.add("ecubridge.meter.ecus: '" + e + "' is not name[=host[:port]]");
                } else if (meters.stream().anyMatch(m -> m.ecu().equals(name))) {
                    r.problems.add("ecubridge.meter.ecus: '" + name + "' is listed twice");
                } else {
                    meters.add(new MeterSource(name, "http://" + host.replaceAll("/$", "") + MeterSource.PATH));
                }
            }
        }
        return new MeterSettings(enabled, interval, timeout, List.copyOf(meters), List.copyOf(r.problems));
    }
}
