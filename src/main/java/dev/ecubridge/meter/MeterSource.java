package dev.ecubridge.meter;

/**
 * One ECU-C meter to read.
 *
 * @param ecu the ECU's name in {@code ecubridge.ecus}
 * @param url the meter series, {@code http://<host>[:port]/index.php/meter/old_meter_power_graph}
 */
public record MeterSource(String ecu, String url) {

    public static final String PATH = "/index.php/meter/old_meter_power_graph";
}
