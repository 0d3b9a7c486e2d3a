package dev.ecubridge.protocol;

import java.time.LocalDateTime;

/**
 * {@code 0001} ECU / system info (spec §4).
 *
 * @param group            "11" or "12" (ECU-R-Pro / ECU-C newer firmware)
 * @param variant          "01" normal, "02" ECU-R-RS (rapid-shutdown layout)
 * @param lastEmaContact   the ECU's last cloud contact, null where the ECU sends no valid BCD (ECU-R, ECU-B, variant 02)
 * @param zigbeeChannel    ASCII channel field, e.g. "10"
 * @param timezone         the zone the ECU claims (ECU-R/B always say Etc/GMT-8); null for variant 02
 * @param mac1             Ethernet MAC as hex, null for variant 02
 * @param mac2             WiFi MAC as hex (all zero on ECU-R/B), null for variant 02
 */
public record InfoReply(
        String group,
        String ecuId,
        String variant,
        long lifetimeEnergyRaw,
        long currentPowerW,
        long todayEnergyRaw,
        LocalDateTime lastEmaContact,
        int invertersRegistered,
        int invertersOnline,
        String zigbeeChannel,
        String firmware,
        String timezone,
        String mac1,
        String mac2) implements EcuReply {

    @Override
    public EcuCommand command() {
        return EcuCommand.INFO;
    }

    public String ecuModel() {
        return Models.ecuModel(ecuId);
    }

    public double lifetimeEnergyKwh() {
        return lifetimeEnergyRaw / 10.0;
    }

    public double todayEnergyKwh() {
        return todayEnergyRaw / 100.0;
    }
}
