package dev.ecubridge.simulator;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated installation: one ECU and its inverters.
 *
 * @param inverters      model and count, in the order the ECU reports them
 * @param lifetimeKwh    the lifetime counter when the simulation starts
 * @param seed           everything random (weather, panels, signal) derives from it: same seed, same data
 */
public record SiteSpec(EcuKind ecu, String ecuId, String firmware, ZoneId zone, double latitude, double longitude,
                       List<Group> inverters, double lifetimeKwh, long seed) {

    public record Group(InverterKind kind, int count) {
    }

    public SiteSpec {
        inverters = List.copyOf(inverters);
        if (!ecuId.matches("\\d{12}")) {
            throw new IllegalArgumentException("ECU id must be 12 digits: " + ecuId);
        }
    }

    /** The default site: a mixed 8-inverter ECU-R in the Netherlands. */
    public static SiteSpec defaults() {
        return new SiteSpec(EcuKind.ECU_R, "216000123456", EcuKind.ECU_R.defaultFirmware(), ZoneId.of("Europe/Amsterdam"),
                52.1, 5.1, parseInverters("DS3:4,QS1:2,YC600:1,QT2:1"), 1234.5, 1L);
    }

    public SiteSpec withEcu(EcuKind kind, String id) {
        return new SiteSpec(kind, id, kind.defaultFirmware(), zone, latitude, longitude, inverters, lifetimeKwh, seed);
    }

    public SiteSpec withInverters(List<Group> groups) {
        return new SiteSpec(ecu, ecuId, firmware, zone, latitude, longitude, groups, lifetimeKwh, seed);
    }

    public SiteSpec withSeed(long newSeed) {
        return new SiteSpec(ecu, ecuId, firmware, zone, latitude, longitude, inverters, lifetimeKwh, newSeed);
    }

    /** "DS3:4,QS1:2,YC600:1,QT2:1" */
    public static List<Group> parseInverters(String text) {
        List<Group> groups = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] kv = part.trim().split(":");
            if (kv.length != 2) {
                throw new IllegalArgumentException("inverters: '" + part + "' is not MODEL:COUNT");
            }
            int count = Integer.parseInt(kv[1].trim());
            if (count < 0 || count > 500) {
                throw new IllegalArgumentException("inverters: count " + count + " out of range 0..500");
            }
            groups.add(new Group(InverterKind.parse(kv[0]), count));
        }
        return groups;
    }

    /** Grid frequency of the region: 60 Hz in the Americas, else 50 Hz. */
    public int gridHertz() {
        return zone.getId().startsWith("America/") ? 60 : 50;
    }

    /** Nominal single-phase voltage: 240 V split phase in the Americas, else 230 V. */
    public int nominalVolts() {
        return zone.getId().startsWith("America/") ? 240 : 230;
    }
}
